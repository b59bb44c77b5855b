"""`configurator catalog plan` on real catalog pairs (copies of catalog/ edited on disk): every kind
of change field by field, the impact on saved designs and unshipped orders in a real database
(SQLite and PostgreSQL), `--from REV` against a real git repository, and the exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from sqlalchemy import update

from configurator.bootstrap import bootstrap
from configurator.catalog import load_catalog
from configurator.cli import cli
from configurator.services import orders, publishing, saving
from configurator.services.plan import CatalogBroken, plan
from configurator.store import Order
from tests.conftest import CATALOG

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
CUSTOMER = {
    "name": "Zoë Example",
    "email": "zoe@example.org",
    "address": {"line1": "Hauptstraße 1", "postcode": "10115", "city": "Berlin", "country": "DE"},
}
HELMET = {
    "shell_type": "full_face",
    "size": "m",
    "finish": "gloss",
    "visor": "clear",
    "lining": "black",
}
SCARF = """\
product:
  id: scarf
  name: Riding scarf
  description: A silk scarf for open-face helmets.
  currency: EUR
  base_price: "39.00"
  sku: SCF
  views: [front]

steps:
  - id: scarf
    label: Scarf
    attributes: [colour]

attributes:
  - id: colour
    label: Colour
    default: ivory
    options:
      - {id: ivory, label: Ivory, price: "0.00", sku: IV}
      - {id: oxblood, label: Oxblood, price: "5.00", sku: OX}

rules: []
"""
BURNT_ORANGE = """\
      - id: burnt_orange
        label: Burnt orange
        price: "0.00"
        sku: BOR
        swatch: "#d0581c"
        layers:
          - {view: front, image: "helmet/shell-{shell_type}-front.png", order: 20, tint: true}
          - {view: side, image: "helmet/shell-{shell_type}-side.png", order: 20, tint: true}
        bom:
          - {part: "Paint, burnt orange", quantity: "0.25", unit: l}
"""
CHEQUERED_RULE = """\
  - id: chequered-needs-clear-coat
    message: The chequered band needs a gloss or satin clear coat to seal its edges.
    excludes: {graphics: chequered, finish: matte}

"""
NEW_RULE = """
  - id: no-tan-lining-open-face
    message: The tan lining is made for closed shells.
    excludes: {shell_type: open_face, lining: tan}
"""


# -- catalog pairs ------------------------------------------------------------------------


def copy_catalog(folder: Path) -> Path:
    shutil.copytree(CATALOG, folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    """Replace one exact passage (it must be there exactly once)."""
    path = folder / name
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} in {name}"
    path.write_text(text.replace(old, new))


def line_of(folder: Path, name: str, passage: str) -> int:
    text = (folder / name).read_text()
    assert text.count(passage) == 1, passage
    return text[: text.index(passage)].count("\n") + 1


def rename_cobalt(folder: Path) -> None:
    """Rename an option: cobalt_blue is now cobalt (`replaces`), and every reference follows."""
    edit(
        folder,
        "helmet.yaml",
        "      - id: cobalt_blue\n",
        "      - id: cobalt\n        replaces: [cobalt_blue]\n",
    )
    edit(
        folder,
        "helmet.yaml",
        "[carbon_black, cobalt_blue, gunmetal",
        "[carbon_black, cobalt, gunmetal",
    )
    edit(folder, "preferences.yaml", "blue: cobalt_blue", "blue: cobalt")


def raise_chrome(folder: Path) -> None:
    edit(
        folder,
        "helmet.yaml",
        'price: "120.00"\n        sku: CHR',
        'price: "135.00"\n        sku: CHR',
    )


def retire_burnt_orange(folder: Path) -> None:
    edit(folder, "helmet.yaml", BURNT_ORANGE, "")
    edit(folder, "helmet.yaml", "[racing_red, burnt_orange]", "[racing_red]")
    edit(folder, "preferences.yaml", "          orange: burnt_orange\n", "")


def every_kind(folder: Path) -> None:
    """One change of every kind, on a copy of catalog/."""
    rename_cobalt(folder)
    raise_chrome(folder)
    edit(folder, "helmet.yaml", 'price: "19.00"\n    sku: MONO', 'price: "21.00"\n    sku: MONO')
    retire_burnt_orange(folder)
    edit(folder, "helmet.yaml", CHEQUERED_RULE, "")  # a rule removed
    (folder / "helmet.yaml").write_text((folder / "helmet.yaml").read_text() + NEW_RULE)
    edit(
        folder,
        "helmet.yaml",
        "        - [signal_yellow, matte]\n",
        "        - [signal_yellow, matte]\n        - [racing_green, matte]\n",
    )
    # XXL no longer made in any shell: a rule changed through its CSV, and a dead option
    edit(folder, "helmet-size-by-shell.csv", "full_face,*", "full_face,xs|s|m|l|xl")
    edit(folder, "helmet-size-by-shell.csv", "modular,s|m|l|xl|xxl", "modular,s|m|l|xl")
    (folder / "scarf.yaml").write_text(SCARF)  # a product added
    visor = folder / "helmet" / "visor-clear-front.png"
    with Image.open(visor) as image:
        changed = image.copy()
    changed.putpixel((0, 0), (255, 0, 0, 255))
    changed.save(visor)


@pytest.fixture
def pair(tmp_path):
    old = copy_catalog(tmp_path / "old")
    new = copy_catalog(tmp_path / "new")
    every_kind(new)
    return old, new


def sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the differences ----------------------------------------------------------------------


def test_every_kind_of_change_field_by_field(pair):
    old, new = pair
    found = plan(load_catalog(old), load_catalog(new)).to_json()
    assert found["products_added"] == ["scarf"]
    assert found["products_removed"] == []
    assert found["attributes_added"] == [] and found["attributes_removed"] == []
    assert found["options_added"] == []
    assert found["options_removed"] == [
        {
            "product": "helmet",
            "attribute": "shell_colour",
            "option": "burnt_orange",
            "label": "Shell colour: Burnt orange",
            "price": "0.00",
        }
    ]
    assert found["options_renamed"] == [
        {
            "product": "helmet",
            "attribute": "shell_colour",
            "old": "cobalt_blue",
            "new": "cobalt",
            "old_label": "Shell colour: Cobalt blue metallic",
            "new_label": "Shell colour: Cobalt blue metallic",
        }
    ]
    assert found["prices"] == [
        {
            "product": "helmet",
            "attribute": "shell_colour",
            "option": "chrome",
            "label": "Shell colour: Chrome",
            "currency": "EUR",
            "old": "120.00",
            "new": "135.00",
            "delta": "15.00",
        },
        {
            "product": "helmet",
            "attribute": "monogram",
            "option": None,
            "label": "Monogram: text",
            "currency": "EUR",
            "old": "19.00",
            "new": "21.00",
            "delta": "2.00",
        },
    ]
    added_at = line_of(new, "helmet.yaml", "  - id: no-tan-lining-open-face")
    assert found["rules_added"] == [
        {
            "product": "helmet",
            "rule": "no-tan-lining-open-face",
            "kind": "excludes",
            "where": f"helmet.yaml:{added_at}",
        }
    ]
    removed_at = line_of(old, "helmet.yaml", "  - id: chequered-needs-clear-coat")
    assert found["rules_removed"] == [
        {
            "product": "helmet",
            "rule": "chequered-needs-clear-coat",
            "kind": "excludes",
            "where": f"helmet.yaml:{removed_at}",
        }
    ]

    def both(rule: str) -> tuple[str, str]:
        return (
            f"helmet.yaml:{line_of(old, 'helmet.yaml', f'  - id: {rule}')}",
            f"helmet.yaml:{line_of(new, 'helmet.yaml', f'  - id: {rule}')}",
        )

    changed = {c["rule"]: c for c in found["rules_changed"]}
    assert list(changed) == [
        "size-by-shell",
        "finish-by-colour",
        "no-flames-on-red",
        "pinstripe-on-dark-shells",
    ]
    for rule, fields, renames_only in [
        ("size-by-shell", ["rows"], False),
        ("finish-by-colour", ["rows"], False),
        ("no-flames-on-red", ["when"], False),  # burnt orange taken out
        ("pinstripe-on-dark-shells", ["then"], True),  # cobalt_blue is cobalt now
    ]:
        old_where, new_where = both(rule)
        assert changed[rule] == {
            "product": "helmet",
            "rule": rule,
            "old_where": old_where,
            "new_where": new_where,
            "changed": fields,
            "renames_only": renames_only,
        }
    assert (
        changed["pinstripe-on-dark-shells"]["old_where"]
        != changed["pinstripe-on-dark-shells"]["new_where"]
    )

    helmet, scarf = found["analysis"]
    assert helmet["product"] == "helmet"
    assert (helmet["old_satisfiable"], helmet["new_satisfiable"], helmet["conflict"]) == (
        True,
        True,
        [],
    )
    (dead,) = helmet["dead_added"]
    size_at = line_of(new, "helmet.yaml", "  - id: size-by-shell")
    assert dead == {
        "product": "helmet",
        "attribute": "size",
        "option": "xxl",
        "label": "Size: XXL (63-64 cm)",
        "because": [f"size-by-shell (helmet.yaml:{size_at})"],
    }
    assert helmet["dead_removed"] == [] and helmet["redundant_added"] == []
    assert helmet["redundant_removed"] == []
    assert helmet["designs_exact"] is True
    assert int(helmet["designs_old"]) == 40205 and int(helmet["designs_new"]) < 40205
    assert scarf == {
        "product": "scarf",
        "old_satisfiable": None,
        "new_satisfiable": True,
        "conflict": [],
        "dead_added": [],
        "dead_removed": [],
        "redundant_added": [],
        "redundant_removed": [],
        "designs_old": None,
        "designs_new": "2",
        "designs_exact": True,
    }
    visor = "helmet/visor-clear-front.png"
    assert found["artwork"] == [
        {
            "path": visor,
            "change": "changed",
            "old_sha256": sha256(old / visor),
            "new_sha256": sha256(new / visor),
        }
    ]
    assert found["impact"] is None
    assert found["breaking"] == [
        "option helmet.shell_colour=burnt_orange removed",
        "dead option helmet.size=xxl",
    ]
    assert found["warnings"] == [
        "price Shell colour: Chrome: 120.00 -> 135.00",
        "price Monogram: text: 19.00 -> 21.00",
        "option helmet.shell_colour=cobalt_blue renamed cobalt",
    ]


def test_attributes_and_options_added_and_removed_artwork_added_and_removed(tmp_path):
    old = copy_catalog(tmp_path / "old")
    new = copy_catalog(tmp_path / "new")
    lettering_at = line_of(old, "jacket.yaml", "  - id: lettering-above-patch")
    start = (new / "jacket.yaml").read_text().index("  - id: back_lettering\n")
    end = (new / "jacket.yaml").read_text().index("  - id: initials\n")
    text = (new / "jacket.yaml").read_text()
    (new / "jacket.yaml").write_text(text[:start] + text[end:])
    edit(
        new,
        "jacket.yaml",
        "[back_patch, back_lettering, initials]",
        "[back_patch, initials, sleeve_stripe]",
    )
    rule = (new / "jacket.yaml").read_text()
    rule_start = rule.index("  - id: lettering-above-patch")
    rule_end = rule.index("  - id: no-initials-on-biker")
    (new / "jacket.yaml").write_text(rule[:rule_start] + rule[rule_end:])
    edit(
        new,
        "jacket.yaml",
        "rules:\n",
        """  - id: sleeve_stripe
    label: Sleeve stripe
    required: false
    options:
      - {id: white_stripe, label: White stripe, price: "20.00", sku: SWS}
      - {id: red_stripe, label: Red stripe, price: "20.00", sku: SRS}

rules:
""",
    )
    # a new option with new artwork, and an option whose artwork goes with it
    edit(
        new,
        "jacket.yaml",
        "      - id: lightning\n",
        """      - id: skull
        label: Skull
        price: "30.00"
        sku: PSK
        layers:
          - {view: back, image: jacket/patch-skull-back.png, order: 70}
      - id: lightning
""",
    )
    shutil.copy(
        new / "jacket" / "patch-lightning-back.png", new / "jacket" / "patch-skull-back.png"
    )
    # the lightning bolt's artwork renamed: one file removed, one added
    (new / "jacket" / "patch-lightning-back.png").rename(new / "jacket" / "patch-bolt-back.png")
    edit(new, "jacket.yaml", "jacket/patch-lightning-back.png", "jacket/patch-bolt-back.png")
    found = plan(load_catalog(old), load_catalog(new), count=False).to_json()
    assert found["attributes_added"] == [
        {
            "product": "jacket",
            "attribute": "sleeve_stripe",
            "label": "Sleeve stripe",
            "kind": "choice",
        }
    ]
    assert found["attributes_removed"] == [
        {
            "product": "jacket",
            "attribute": "back_lettering",
            "label": "Back lettering",
            "kind": "text",
        }
    ]
    assert found["options_added"] == [
        {
            "product": "jacket",
            "attribute": "back_patch",
            "option": "skull",
            "label": "Back patch: Skull",
            "price": "30.00",
        }
    ]
    assert found["options_removed"] == [] and found["options_renamed"] == []
    assert found["rules_removed"] == [
        {
            "product": "jacket",
            "rule": "lettering-above-patch",
            "kind": "requires",
            "where": f"jacket.yaml:{lettering_at}",
        }
    ]
    skull, bolt = "jacket/patch-skull-back.png", "jacket/patch-bolt-back.png"
    lightning = "jacket/patch-lightning-back.png"
    assert found["artwork"] == [
        {"path": bolt, "change": "added", "old_sha256": None, "new_sha256": sha256(new / bolt)},
        {
            "path": lightning,
            "change": "removed",
            "old_sha256": sha256(old / lightning),
            "new_sha256": None,
        },
        {"path": skull, "change": "added", "old_sha256": None, "new_sha256": sha256(new / skull)},
    ]
    assert found["analysis"] == []  # not counted, and no finding changed
    assert found["breaking"] == ["attribute jacket.back_lettering removed"]
    assert found["warnings"] == []


def test_analysis_changes_conflict_redundant_and_an_option_revived(tmp_path):
    old = copy_catalog(tmp_path / "old")
    # the old side has a dead option (XXL) and no redundant rule
    edit(old, "helmet-size-by-shell.csv", "full_face,*", "full_face,xs|s|m|l|xl")
    edit(old, "helmet-size-by-shell.csv", "modular,s|m|l|xl|xxl", "modular,s|m|l|xl")
    new = copy_catalog(tmp_path / "new")
    again = "\n  - id: chrome-gloss-again\n    message: Gloss only.\n    requires:\n      when: {shell_colour: chrome}\n      then: {finish: gloss}\n"
    (new / "helmet.yaml").write_text((new / "helmet.yaml").read_text() + again)
    found = plan(load_catalog(old), load_catalog(new)).to_json()
    (helmet,) = found["analysis"]
    assert helmet["dead_added"] == []
    assert [(d["attribute"], d["option"]) for d in helmet["dead_removed"]] == [("size", "xxl")]
    assert [r["rule"] for r in helmet["redundant_added"]] == [
        "chrome-only-gloss",
        "chrome-gloss-again",
    ]
    assert int(helmet["designs_new"]) == 40205 > int(helmet["designs_old"])
    assert found["breaking"] == []
    assert found["warnings"] == [
        "redundant rule helmet.chrome-only-gloss",
        "redundant rule helmet.chrome-gloss-again",
    ]

    # a rule that leaves no design at all: the conflict, cited with file:line
    never = "\n  - id: no-shells\n    message: None.\n    excludes: {shell_type: [open_face, full_face, modular]}\n"
    (new / "helmet.yaml").write_text((new / "helmet.yaml").read_text() + never)
    found = plan(load_catalog(old), load_catalog(new), count=False).to_json()
    (helmet,) = found["analysis"]
    at = line_of(new, "helmet.yaml", "  - id: no-shells")
    assert (helmet["old_satisfiable"], helmet["new_satisfiable"]) == (True, False)
    assert helmet["conflict"] == [f"no-shells (helmet.yaml:{at})"]
    assert "helmet: the rules allow no design" in found["breaking"]


def test_a_side_with_errors_is_refused_not_read_as_removed_products(tmp_path):
    old = copy_catalog(tmp_path / "old")
    new = copy_catalog(tmp_path / "new")
    edit(
        new, "helmet.yaml", "      - id: cobalt_blue\n", "      - id: cobalt\n"
    )  # rules still name it
    with pytest.raises(CatalogBroken) as broken:
        plan(load_catalog(old), load_catalog(new))
    assert broken.value.side == "new"
    assert any("cobalt_blue" in p.message for p in broken.value.problems)


# -- the impact on live data ----------------------------------------------------------------


@pytest.fixture
def shop(database_url, pair, tmp_path):
    """A shop on the old catalog with saved designs and orders; the plan's new side beside it."""
    old, new = pair
    context = bootstrap(
        {"DATABASE_URL": database_url, "INSTANCE_DIR": str(tmp_path / "i"), "CATALOG_DIR": str(old)}
    )
    context.database.upgrade()
    yield context, old, new
    context.close()


def save(ctx, secret, raw, product_id="helmet"):
    notice = saving.current_notice(ctx)
    stored = saving.save(
        ctx,
        secret=secret,
        product_id=product_id,
        raw=raw,
        name="",
        consent=True,
        notice_sha256=notice.sha256,
        now=NOW,
    )
    return stored.new_secret or secret


def order(ctx, key, colour, status) -> str:
    placed = orders.place(
        ctx,
        product_id="helmet",
        raw={**HELMET, "shell_colour": colour},
        quantity=1,
        customer=CUSTOMER,
        terms_accepted=True,
        shown_total=None,
        idempotency_key=key,
        order_url=lambda token: f"http://shop.example/orders/{token}",
        now=NOW,
    )
    with ctx.database.session() as session:
        session.execute(update(Order).where(Order.number == placed.number).values(status=status))
    return placed.number


def test_impact_on_saved_designs_and_unshipped_orders(shop):
    ctx, old, new = shop
    secret = None
    for raw in [
        {"shell_colour": "cobalt_blue"},  # migrated through replaces
        {"shell_type": "open_face", "shell_colour": "chrome"},  # repriced: chrome 120 -> 135
        {"shell_colour": "racing_red", "monogram": "AB"},  # repriced: the monogram 19 -> 21
        {"shell_colour": "burnt_orange"},  # invalid: retired without replaces
        {"shell_type": "modular", "size": "xxl"},  # invalid: XXL is dead now
        {"shell_type": "open_face", "lining": "tan"},  # invalid: clashes with the new rule
        {"shell_colour": "arctic_white"},  # unchanged
        {"shell_colour": "arctic_white"},  # unchanged (the same choices, counted again)
    ]:
        secret = save(ctx, secret, raw)
    secret = save(ctx, secret, {}, product_id="jacket")  # a product the change leaves alone
    paid = order(ctx, "k-1", "burnt_orange", "paid")
    order(ctx, "k-2", "burnt_orange", "shipped")
    order(ctx, "k-3", "burnt_orange", "cancelled")
    waiting = order(ctx, "k-4", "cobalt_blue", "awaiting_payment")
    order(ctx, "k-5", "racing_red", "in_production")

    found = plan(load_catalog(old), load_catalog(new), ctx=ctx, count=False).to_json()
    assert found["impact"] == {
        "designs": [
            {
                "product": "helmet",
                "saved": 8,
                "invalid": 3,
                "repriced": 2,
                "migrated": 1,
                "unchanged": 2,
            },
            {
                "product": "jacket",
                "saved": 1,
                "invalid": 0,
                "repriced": 0,
                "migrated": 0,
                "unchanged": 1,
            },
        ],
        "orders": [
            {
                "number": paid,
                "status": "paid",
                "product": "helmet",
                "removed": ["shell_colour=burnt_orange"],
                "renamed": [],
            },
            {
                "number": waiting,
                "status": "awaiting_payment",
                "product": "helmet",
                "removed": [],
                "renamed": ["shell_colour=cobalt_blue->cobalt"],
            },
        ],
    }
    assert "3 saved helmet design(s) made invalid" in found["breaking"]
    assert f"order {paid} (paid) names removed shell_colour=burnt_orange" in found["breaking"]
    assert "2 saved helmet design(s) repriced" in found["warnings"]
    assert "1 saved helmet design(s) migrated" in found["warnings"]

    # the command reads the same database (CONFIGURATOR_DATABASE_URL) and prints the same plan
    env = {
        "CONFIGURATOR_DATABASE_URL": ctx.settings.database_url,
        "CONFIGURATOR_INSTANCE_DIR": str(ctx.settings.instance_dir),
        "CONFIGURATOR_CATALOG_DIR": str(old),
    }
    runner = CliRunner()
    result = runner.invoke(cli, ["catalog", "plan", str(new), "--json", "--no-count"], env=env)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["impact"] == found["impact"]
    assert (printed["old"], printed["new"]) == (str(old), str(new))  # nothing published yet
    text = runner.invoke(cli, ["catalog", "plan", str(old), str(new), "--no-count"], env=env)
    assert text.exit_code == 0, text.output
    assert (
        "  helmet: 8 saved designs: 3 made invalid, 2 repriced, 1 migrated through `replaces`, "
        "2 unchanged" in text.output
    )
    assert "  orders not yet shipped naming a removed option: 1" in text.output
    assert f"    {paid} (paid): shell_colour=burnt_orange" in text.output
    assert (
        runner.invoke(
            cli, ["catalog", "plan", str(new), "--fail-on", "breaking"], env=env
        ).exit_code
        == 1
    )
    # once published, NEW_DIR alone is compared with the publication, not the folder
    publishing.publish(ctx, old, actor="test")
    edit(old, "helmet.yaml", 'base_price: "229.00"', 'base_price: "1.00"')  # not published
    result = runner.invoke(cli, ["catalog", "plan", str(new), "--json", "--no-count"], env=env)
    published = json.loads(result.output)
    assert published["old"] == "published #1"
    assert published["impact"] == found["impact"] and published["prices"] == found["prices"]


def test_an_unready_database_is_a_clear_error(pair, tmp_path):
    old, new = pair
    env = {
        "CONFIGURATOR_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "CONFIGURATOR_INSTANCE_DIR": str(tmp_path / "i"),
    }
    result = CliRunner().invoke(cli, ["catalog", "plan", str(old), str(new), "--no-count"], env=env)
    assert result.exit_code == 2
    assert "configurator db upgrade" in result.output and "--no-impact" in result.output


# -- the command: text, exit codes ------------------------------------------------------------


def run(*args, env=None):
    return CliRunner().invoke(cli, ["catalog", "plan", *map(str, args)], env=env)


def test_the_text_report_groups_sections_and_cites_rules_on_both_sides(pair):
    old, new = pair
    result = run(old, new, "--no-impact")
    assert result.exit_code == 0, result.output
    out = result.output
    old_at = line_of(old, "helmet.yaml", "  - id: pinstripe-on-dark-shells")
    new_at = line_of(new, "helmet.yaml", "  - id: pinstripe-on-dark-shells")
    for line in [
        f"Plan: {old} -> {new}",
        "Products: 1 added, 0 removed",
        "  + scarf",
        "Options: 0 added, 1 removed, 1 renamed",
        "  - helmet: Shell colour: Burnt orange (burnt_orange) no `replaces`: removed",
        "  ~ helmet: Shell colour: Cobalt blue metallic (shell_colour: cobalt_blue -> cobalt, through `replaces`)",
        "Prices: 2 changed",
        "  helmet: Shell colour: Chrome: EUR 120.00 -> EUR 135.00 (+15.00)",
        "Rules: 1 added, 1 removed, 4 changed",
        f"  ~ helmet: pinstripe-on-dark-shells: helmet.yaml:{old_at} -> helmet.yaml:{new_at} (then; only renamed ids)",
        "Artwork: 0 added, 0 removed, 1 changed",
        "Impact: not read (--no-impact)",
        "Breaking: 2",
        "  ! dead option helmet.size=xxl",
        "Warnings: 3",
    ]:
        assert line in out.splitlines(), line
    assert (
        "  ! helmet: new dead option Size: XXL (63-64 cm), because of size-by-shell (helmet.yaml:"
        in out
    )


def test_fail_on_exit_codes(tmp_path, pair):
    old, breaking = pair
    same = copy_catalog(tmp_path / "same")
    warnings = copy_catalog(tmp_path / "warnings")
    edit(warnings, "helmet.yaml", 'base_price: "229.00"', 'base_price: "239.00"')
    unchanged = run(old, same, "--no-impact", "--fail-on", "warnings")
    assert unchanged.exit_code == 0 and "No changes to the catalog." in unchanged.output
    assert run(old, warnings, "--no-impact", "--no-count").exit_code == 0
    assert run(old, warnings, "--no-impact", "--no-count", "--fail-on", "breaking").exit_code == 0
    assert run(old, warnings, "--no-impact", "--no-count", "--fail-on", "warnings").exit_code == 1
    assert run(old, breaking, "--no-impact", "--no-count", "--fail-on", "breaking").exit_code == 1
    assert run(old, breaking, "--no-impact", "--no-count", "--fail-on", "warnings").exit_code == 1
    assert run(old, breaking, "--no-impact", "--no-count").exit_code == 0
    printed = json.loads(run(old, warnings, "--no-impact", "--no-count", "--json").output)
    assert printed["breaking"] == []
    assert printed["warnings"] == ["price Custom motorcycle helmet: base price: 229.00 -> 239.00"]
    assert printed["prices"][0]["delta"] == "10.00"
    # usage and load errors: 2
    assert run("--no-impact").exit_code == 2
    assert run(old, same, warnings, "--no-impact").exit_code == 2
    assert run(old, same, "--fail-on", "sometimes").exit_code == 2
    broken = copy_catalog(tmp_path / "broken")
    edit(broken, "helmet.yaml", "      - id: cobalt_blue\n", "      - id: cobalt\n")
    refused = run(old, broken, "--no-impact")
    assert refused.exit_code == 2
    assert f"the new catalog ({broken}) has errors; fix them first:" in refused.output
    assert "cobalt_blue" in refused.output


# -- --from REV: a real git repository ---------------------------------------------------------


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Merchandiser", "-c", "user.email=m@example.org", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_plan_from_a_git_revision(tmp_path):
    repo = tmp_path / "shop"
    repo.mkdir()
    folder = copy_catalog(repo / "merch" / "catalog")  # a catalog below the repository's top
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "catalog as published")
    first = git(repo, "rev-parse", "HEAD")
    rename_cobalt(folder)
    raise_chrome(folder)
    git(repo, "commit", "-q", "-am", "rename cobalt, chrome up")
    retire_burnt_orange(folder)  # not committed: the working tree

    before = set(Path(tempfile.gettempdir()).glob("catalog-plan-*"))
    result = run("--from", "HEAD", folder, "--json", "--no-impact", "--no-count")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["old"] == f"{folder} at HEAD"
    assert [o["option"] for o in printed["options_removed"]] == ["burnt_orange"]
    assert printed["options_renamed"] == [] and printed["prices"] == []

    result = run("--from", first, folder, "--json", "--no-impact", "--no-count")
    printed = json.loads(result.output)
    assert [(r["old"], r["new"]) for r in printed["options_renamed"]] == [("cobalt_blue", "cobalt")]
    assert [(p["old"], p["new"]) for p in printed["prices"]] == [("120.00", "135.00")]
    assert [o["option"] for o in printed["options_removed"]] == ["burnt_orange"]

    # DIR defaults to the configured catalog folder
    env = {
        "CONFIGURATOR_CATALOG_DIR": str(folder),
        "CONFIGURATOR_INSTANCE_DIR": str(tmp_path / "i"),
    }
    result = run("--from", "HEAD~1", "--json", "--no-impact", "--no-count", env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["old"] == f"{folder} at HEAD~1"

    unknown = run("--from", "no-such-branch", folder, "--no-impact")
    assert unknown.exit_code == 2
    assert "unknown revision 'no-such-branch'" in unknown.output
    elsewhere = copy_catalog(tmp_path / "loose")
    outside = run("--from", "HEAD", elsewhere, "--no-impact")
    assert outside.exit_code == 2
    assert "is not in a git repository" in outside.output
    new_folder = repo / "merch" / "fresh"
    copy_catalog(new_folder)  # not committed at HEAD
    missing = run("--from", "HEAD", new_folder, "--no-impact")
    assert missing.exit_code == 2
    assert "has no folder 'merch/fresh/'" in missing.output
    assert set(Path(tempfile.gettempdir()).glob("catalog-plan-*")) <= before  # none left behind
    assert (
        Decimal("135.00")
        == load_catalog(folder).product("helmet").attribute("shell_colour").option("chrome").price
    )
