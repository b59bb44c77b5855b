"""A finished design's snapshot: every value with its id, label and SKU, the text as typed, exact
prices, the SKU and parts, and each view's preview stored under its SHA-256."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from PIL import Image

from configurator.bootstrap import bootstrap
from configurator.services import designs
from configurator.services.files import LocalFiles
from configurator.services.snapshots import NotFinished, design_snapshot
from tests.conftest import CATALOG

DESIGN = {
    "shell_type": "full_face",
    "size": "m",
    "shell_colour": "cobalt_blue",
    "finish": "gloss",
    "visor": "clear",
    "lining": "black",
    "monogram": "KZ7",
}


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("snap")
    context = bootstrap(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'x.sqlite3'}",
            "INSTANCE_DIR": str(folder),
            "CATALOG_DIR": str(CATALOG),
        }
    )
    yield context
    context.close()


def test_a_snapshot_holds_everything_the_workshop_needs(ctx, tmp_path):
    design = {**DESIGN, "monogram": "KZ7"}
    files = LocalFiles(tmp_path / "files")
    snap = design_snapshot(ctx, "helmet", design, files)
    state = designs.review(ctx, "helmet", design)
    by_attribute = {line["attribute"]: line for line in snap["selections"]}
    assert by_attribute["shell_colour"]["option"] == "cobalt_blue"
    assert by_attribute["shell_colour"]["option_label"] == "Cobalt blue metallic"
    assert by_attribute["shell_colour"]["sku"]
    assert by_attribute["monogram"]["text"] == "KZ7"
    assert snap["total"] == format(state.total, "f") and snap["sku"] == state.sku
    assert Decimal(snap["total"]) == Decimal(snap["base_price"]) + sum(
        Decimal(p["amount"]) for p in snap["price_lines"]
    )
    assert snap["bom"] and all(Decimal(b["quantity"]) > 0 for b in snap["bom"])
    assert set(snap["previews"]) == {"front", "side"}
    for name in snap["previews"].values():
        body = files.get(name)
        assert hashlib.sha256(body).hexdigest() == name.removesuffix(".webp")
        assert Image.open(io.BytesIO(body)).size == (800, 800)
    # the same design: the same snapshot and the same files
    assert design_snapshot(ctx, "helmet", design, files) == snap


def test_only_a_finished_design_is_recorded(ctx, tmp_path):
    files = LocalFiles(tmp_path)
    # suggestions count (the review page orders them too), and say so: `chosen` is False
    snap = design_snapshot(ctx, "helmet", {"shell_type": "open_face"}, files)
    chosen = {line["attribute"]: line["chosen"] for line in snap["selections"]}
    assert chosen["shell_type"] is True and chosen["size"] is False
    with pytest.raises(NotFinished, match="cannot be used"):
        design_snapshot(ctx, "helmet", {"size": "zz"}, files)
    with pytest.raises(NotFinished, match="do not go together"):
        design_snapshot(
            ctx,
            "helmet",
            {"shell_type": "open_face", "shell_colour": "chrome", "finish": "matte"},
            files,
        )
