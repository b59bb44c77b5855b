"""The verbs on a design, called as the web calls them (`services.designs`), over the shipped
catalog: selections checked once, words made outside the engine, one immutable state."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from configurator.bootstrap import bootstrap
from configurator.services import designs
from tests.conftest import CATALOG

IRIDIUM = "The iridium mirror visor is made for the full-face shell only."
NO_VISOR = "Open-face helmets come without a visor; full-face and modular shells always have one."


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("designs")
    context = bootstrap(
        {
            "INSTANCE_DIR": folder,
            "CATALOG_DIR": CATALOG,
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        }
    )
    yield context
    context.close()


def option(design, attribute: str, value: str):
    return next(o for o in design.attribute(attribute).options if o.id == value)


def test_unusable_selections_are_reported_and_the_rest_kept(ctx):
    design = designs.configure(
        ctx,
        "helmet",
        {"shell_type": "modular", "colour": "red", "visor": "golden", "monogram": "TOOLONG"},
    )
    assert design.kept == (("shell_type", "modular"),)
    assert set(design.problems) == {
        "colour: There is no choice called “colour”.",
        "Visor: Visor has no option “golden”.",
    }
    assert design.attribute("monogram").error == "Monogram takes at most 3 characters."
    assert design.attribute("monogram").text == "TOOLONG"  # kept in the field to correct
    assert not design.consistent and not design.complete
    plain = designs.configure(ctx, "helmet", {"shell_type": "modular"})
    for ours, theirs in zip(design.attributes, plain.attributes, strict=True):
        assert [(o.id, o.selectable) for o in ours.options] == [
            (o.id, o.selectable) for o in theirs.options
        ]


def test_a_monogram_breaking_its_pattern_is_refused_beside_its_field(ctx):
    design = designs.configure(ctx, "helmet", {"monogram": "ab"})
    assert design.kept == ()
    assert design.problems == ()  # a text's error is shown beside the field, not above
    assert (
        design.attribute("monogram").error == "Monogram contains characters that are not allowed."
    )


def test_typed_text_is_kept_as_typed_and_priced_as_filled(ctx):
    design = designs.configure(ctx, "helmet", {"monogram": "AB7"})
    assert design.kept == (("monogram", "AB7"),)
    assert [line.amount for line in design.price_lines if line.attribute == "monogram"] == [
        Decimal("19.00")
    ]
    assert option(design, "monogram", "filled").selected is False  # texts get no tile
    assert designs.complete(ctx, "helmet", {"monogram": "AB7"}).selections["monogram"] == "AB7"


def test_reasons_and_repairs_are_worded_from_the_rules(ctx):
    design = designs.configure(
        ctx, "helmet", {"shell_type": "modular"}, detail=("visor", "iridium")
    )
    iridium = option(design, "visor", "iridium")
    assert not iridium.selectable
    assert [r.id for r in iridium.reason.rules] == ["iridium-needs-full-face"]
    assert iridium.reason.selections == (("shell_type", "modular"),)
    assert iridium.reason.text == f"{IRIDIUM} You chose Shell type: Modular."
    assert iridium.repair.text == (
        "To get Visor: Iridium mirror, change Shell type from Modular to Full face."
    )
    assert iridium.repair.selections == (("shell_type", "full_face"), ("visor", "iridium"))


def test_a_clash_is_explained_and_repaired_keeping_the_newest_choice(ctx):
    design = designs.configure(ctx, "helmet", {"shell_type": "open_face", "visor": "clear"})
    assert design.conflict is not None and NO_VISOR in design.conflict.text
    assert design.conflict_repair.text == (
        "To keep Visor: Clear, change Shell type from Open face to Full face."
    )
    assert dict(design.conflict_repair.selections)["visor"] == "clear"
    assert design.kept == (("visor", "clear"),)  # the repair's drop, applied
    assert not design.consistent


def test_a_complete_design_has_its_sku_and_parts(ctx):
    finished = designs.complete(ctx, "helmet", {})
    design = designs.review(ctx, "helmet", finished.selections)
    assert design.complete and design.sku and design.bom
    assert design.total == finished.total
    assert all(item.quantity > 0 for item in design.bom)
    assert len({(item.part, item.unit) for item in design.bom}) == len(design.bom)  # summed


def test_the_state_is_immutable(ctx):
    design = designs.configure(ctx, "helmet", {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        design.total = Decimal(0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        design.attributes[0].options[0].selectable = False


def test_the_same_selections_give_the_same_state_in_a_fresh_app(ctx, tmp_path):
    """Whatever the engine answered before (learnt clauses, memos), the answer is the same."""
    raw = {"shell_colour": "chrome", "finish": "matte", "visor": "iridium"}
    for warm in ({"shell_type": "open_face"}, {"size": "xs", "lining": "crimson"}):
        designs.configure(ctx, "helmet", warm)
    fresh = bootstrap(
        {
            "INSTANCE_DIR": tmp_path,
            "CATALOG_DIR": CATALOG,
            "DATABASE_URL": f"sqlite:///{tmp_path}/d",
        }
    )
    try:
        assert designs.configure(fresh, "helmet", raw) == designs.configure(ctx, "helmet", raw)
    finally:
        fresh.close()


def test_strict_callers_get_every_refusal_by_field(ctx):
    with pytest.raises(designs.InvalidSelections) as refused:
        designs.configure(ctx, "helmet", {"visor": "golden", "monogram": 3}, strict=True)
    assert refused.value.errors == {
        "monogram": ["Must be a string."],
        "visor": ["Visor has no option “golden”."],
    }
    with pytest.raises(designs.UnknownOption):
        designs.explain_option(ctx, "helmet", {}, "visor", "golden")


def test_an_untouched_design_shows_the_catalog_defaults_as_suggestions(ctx):
    design = designs.configure(ctx, "helmet", {})
    shown = dict(design.design)
    assert shown["shell_type"] == "full_face"  # the catalog's default
    assert all(a.source in ("suggested", "forced", None) for a in design.attributes)
    assert option(design, "shell_type", "full_face").selected
    assert design.complete and design.sku is not None
    assert design.total == Decimal("229.00") + sum(line.amount for line in design.price_lines)
    assert [line.attribute for line in design.price_lines] == [
        a for a, v in design.design if a in {"shell_type", "graphics", "visor", "lining"} and v
    ][: len(design.price_lines)]


def test_a_choice_overrides_a_suggestion_and_a_default_that_does_not_fit_gives_way(ctx):
    design = designs.configure(ctx, "helmet", {"shell_type": "open_face"})
    assert design.attribute("shell_type").source == "chosen"
    assert dict(design.design)["visor"] == "none"  # open face: no visor, whatever the default
    assert design.conflict is None


def test_an_optional_attribute_offers_none_and_a_required_one_refuses_it(ctx):
    design = designs.configure(ctx, "helmet", {"graphics": "none"})
    graphics = design.attribute("graphics")
    none = [o for o in graphics.choices if o.id == "none"]
    assert len(none) == 1 and none[0].label == "No graphics" and none[0].selected
    assert graphics.source == "chosen"
    assert "none" not in [o.id for o in design.attribute("shell_type").choices]
    refused = designs.configure(ctx, "helmet", {"shell_type": "none", "visor": "filled"})
    assert [p.split(":")[0] for p in refused.problems] == ["Shell type", "Visor"]
    assert refused.requested == ()
    with pytest.raises(designs.InvalidSelections) as error:
        designs.configure(ctx, "helmet", {"visor": "none"}, strict=True)
    assert "visor" in error.value.errors


def test_reasons_and_repairs_are_computed_only_when_asked(ctx):
    lazy = designs.configure(ctx, "helmet", {"shell_type": "modular"}, reasons=False)
    iridium = option(lazy, "visor", "iridium")
    assert not iridium.selectable and iridium.reason is None and iridium.repair is None
    eager = designs.configure(ctx, "helmet", {"shell_type": "modular"})
    assert option(eager, "visor", "iridium").reason.text.startswith(IRIDIUM)
    assert option(eager, "visor", "iridium").repair is None  # a repair: only for `detail`
    asked = designs.configure(
        ctx, "helmet", {"shell_type": "modular"}, reasons=False, detail=("visor", "iridium")
    )
    assert option(asked, "visor", "iridium").repair.wanted == ("visor", "iridium")
    assert option(asked, "size", "xs").reason is None  # only the one asked about


def test_option_named_reads_attribute_dash_option(ctx):
    assert designs.option_named(ctx, "helmet", "visor-iridium") == ("visor", "iridium")
    assert designs.option_named(ctx, "helmet", "graphics-none") == ("graphics", "none")
    assert designs.option_named(ctx, "helmet", "shell_type-none") is None
    assert designs.option_named(ctx, "helmet", "nothing") is None


def test_during_a_clash_a_tiles_repair_names_every_choice_its_link_drops(ctx):
    """A tile's repair is built on the choices the clash keeps, so its link also drops what
    the clash dropped: its words name every choice the link changes or drops."""
    clashes = [
        {"shell_type": "open_face", "shell_colour": "chrome", "finish": "matte"},
        {"shell_type": "open_face", "visor": "iridium", "size": "xxl"},
        {"shell_colour": "chrome", "monogram": "AB", "graphics": "flames"},
    ]
    seen_drop = False
    for requested in clashes:
        design = designs.configure(ctx, "helmet", requested, reasons=False)
        assert design.conflict is not None
        for state in design.attributes:
            for o in state.choices:
                if o.selectable:
                    continue
                asked = designs.configure(
                    ctx, "helmet", requested, reasons=False, detail=(state.id, o.id)
                )
                plan = option(asked, state.id, o.id).repair
                if plan is None:
                    continue
                after = dict(plan.selections)
                named = {c.attribute for c in plan.changes} | {state.id}
                changed = {a for a in requested if after.get(a) != requested[a]}
                assert changed <= named, (requested, state.id, o.id, plan.text)
                for attr in changed - {state.id}:
                    assert design.attribute(attr).attribute.label in plan.text
                seen_drop |= any(c.new is None and c.attribute in requested for c in plan.changes)
    assert seen_drop  # some link dropped a choice, and said so


def test_why_says_what_the_page_says_for_that_tile(ctx):
    """The tile's fetched text and the page built with that tile in focus agree, clashes too."""
    for requested in (
        {"shell_type": "modular"},
        {"shell_type": "open_face", "shell_colour": "chrome", "finish": "matte"},
        {"shell_colour": "chrome", "monogram": "AB", "graphics": "flames"},
    ):
        design = designs.configure(ctx, "helmet", requested, reasons=False)
        for state in design.attributes:
            for o in state.choices:
                asked = designs.why(ctx, "helmet", requested, state.id, o.id)
                assert asked.selectable is o.selectable, (requested, state.id, o.id)
                if o.selectable:
                    continue
                page = designs.configure(ctx, "helmet", requested, detail=(state.id, o.id))
                shown = option(page, state.id, o.id)
                assert (asked.reason, asked.repair) == (shown.reason, shown.repair)
    with pytest.raises(designs.UnknownOption):
        designs.why(ctx, "helmet", {}, "shell_type", "none")  # required: no "none" tile
    with pytest.raises(designs.UnknownOption):
        designs.why(ctx, "helmet", {}, "monogram", "filled")  # texts have no tiles
