"""The privacy export round-trips: whatever a shopper saved and answered comes back, every field
accounted for, valid against docs/privacy-export.schema.json (hypothesis, SQLite)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configurator.bootstrap import bootstrap
from configurator.services import preferences, privacy, saving
from tests.conftest import CATALOG

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "privacy-export.schema.json").read_text()
)
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
SIZES = ["xs", "s", "m", "l", "xl", "xxl"]
COLOURS = ["carbon_black", "arctic_white", "racing_red", "cobalt_blue", "gunmetal"]

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip())
designs = st.lists(
    st.tuples(
        names,
        st.fixed_dictionaries(
            {},
            optional={
                "size": st.sampled_from(SIZES),
                "shell_colour": st.sampled_from(COLOURS),
                "monogram": st.from_regex(r"[A-Z]{1,3}", fullmatch=True),
            },
        ),
    ),
    min_size=1,
    max_size=4,
)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    context = bootstrap(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'x.sqlite3'}",
            "INSTANCE_DIR": str(folder),
            "CATALOG_DIR": str(CATALOG),
        }
    )
    context.database.upgrade()
    yield context
    context.close()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    saved=designs,
    head=st.sampled_from(SIZES),
    tastes=st.sets(st.sampled_from(["gloss", "satin", "matte"]), min_size=1),
)
def test_export_round_trip(ctx, saved, head, tastes):
    secret = None
    for index, (name, choices) in enumerate(saved):
        stored = saving.save(
            ctx,
            secret=secret,
            product_id="helmet",
            raw=choices,
            name=name,
            consent=True,
            notice_sha256=saving.current_notice(ctx).sha256,
            now=NOW + timedelta(minutes=index),
        )
        secret = secret or stored.new_secret
    for key, answers in (("head_size", [head]), ("finishes_i_like", sorted(tastes))):
        asked = preferences.question(ctx, key)
        preferences.declare(
            ctx,
            secret,
            key,
            answers,
            consent=True,
            notice_sha256=preferences.notice_for(ctx, asked).sha256,
            now=NOW,
        )
    data = json.loads(json.dumps(privacy.export(ctx, secret, now=NOW)))  # through JSON text
    jsonschema.validate(data, SCHEMA)
    exported = sorted(
        (d["name"], tuple((c["attribute"], c["value"]) for c in d["choices"]))
        for d in data["designs"]
    )
    expected = sorted(
        (" ".join(name.split()), tuple((a, v) for a, v in choices.items()))
        for name, choices in saved
    )
    assert exported == expected
    assert {p["question"]: p["answers"] for p in data["preferences"]} == {
        "head_size": [head],
        "finishes_i_like": [t for t in ("gloss", "satin", "matte") if t in tastes],
    }
    assert [c["purpose"] for c in data["consents"]].count("keep-designs") == 1
    assert len(data["consents"]) == 3
    privacy.erase(ctx, secret)
