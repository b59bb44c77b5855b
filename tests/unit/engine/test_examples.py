"""The engine on a tiny helmet and a few hand-made catalogs: readable examples of the spec."""

from __future__ import annotations

import pytest

from configurator.catalog.model import FILLED, NONE
from configurator.engine import Engine
from tests.factories import applies, excludes, product, requires, table
from tests.support import dimacs
from tests.support.oracle import Oracle

IRIDIUM_MESSAGE = "Iridium visors need a full-face shell."


def helmet(defaults=None):
    return product(
        {
            "shell": ["open_face", "full_face", "modular"],
            "visor": ["clear", "tinted", "iridium"],
            "finish": ["gloss", "matte"],
            "lining": ["black", "white"],
        },
        [
            requires(
                "iridium-needs-full-face",
                {"visor": "iridium"},
                {"shell": "full_face"},
                IRIDIUM_MESSAGE,
            ),
            applies(
                "visor-only-on-closed-shells",
                "visor",
                {"shell": ["full_face", "modular"]},
                "Open-face shells come without a visor.",
            ),
            excludes(
                "no-white-lining-with-matte",
                {"lining": "white", "finish": "matte"},
                "A white lining is not offered with a matte finish.",
            ),
            table(
                "finish-by-shell",
                ["shell", "finish"],
                [["open_face", "gloss"], ["full_face|modular", "*"]],
                message="Open-face shells come in gloss only.",
            ),
        ],
        defaults=defaults if defaults is not None else {"shell": "full_face", "finish": "gloss"},
        texts={"monogram": 3},
        optional=["monogram"],
        product_id="helmet",
    )


@pytest.fixture
def engine():
    return Engine(helmet())


def test_iridium_is_unavailable_on_a_modular_shell(engine):
    configuration = engine.configure({"shell": "modular"})

    assert configuration.consistent
    assert configuration.valid["visor"] == {
        "clear": True,
        "tinted": True,
        "iridium": False,
        NONE: False,
    }
    assert configuration.valid["finish"] == {"gloss": True, "matte": True}
    assert configuration.design is None and not configuration.complete


def test_the_domains_are_every_value_an_attribute_can_take(engine):
    assert engine.domain("visor") == ("clear", "tinted", "iridium", NONE)
    assert engine.domain("shell") == ("open_face", "full_face", "modular")
    assert engine.domain("monogram") == (FILLED, NONE)
    assert list(engine.domains) == ["shell", "visor", "finish", "lining", "monogram"]
    assert engine.domains["finish"] == ("gloss", "matte")


def test_a_design_with_every_value_forced_or_empty_is_complete(engine):
    values = {"shell": "open_face", "lining": "black"}

    configuration = engine.configure(values)

    assert configuration.complete
    assert configuration.design == {
        "shell": "open_face",
        "visor": NONE,
        "finish": "gloss",
        "lining": "black",
        "monogram": NONE,
    }
    assert configuration.forced() == {
        "shell": "open_face",
        "visor": NONE,
        "finish": "gloss",
        "lining": "black",
    }
    assert configuration.available("visor") == [NONE]
    assert configuration.selectable("shell", "modular")
    assert not configuration.selectable("finish", "matte")


def test_explanation_names_the_rule_and_the_chosen_shell(engine):
    explanation = engine.explain({"shell": "modular", "finish": "matte"}, "visor", "iridium")

    assert explanation.selections == (("shell", "modular"),)
    assert [r.id for r in explanation.rules] == ["iridium-needs-full-face"]
    assert explanation.rules[0].message == IRIDIUM_MESSAGE
    assert (explanation.attribute, explanation.value) == ("visor", "iridium")


def test_an_available_option_needs_no_explanation(engine):
    assert engine.explain({"shell": "full_face"}, "visor", "iridium") is None


def test_repair_switches_the_shell_and_keeps_the_rest(engine):
    repairs = engine.repairs({"shell": "modular", "finish": "matte"}, ("visor", "iridium"))

    assert repairs[0].changes == (("shell", "modular", "full_face"),)
    assert repairs[0].wanted == ("visor", "iridium")
    assert repairs[0].dropped == ("shell",)


def test_repairs_drop_older_values_first_and_clear_only_when_no_option_fits():
    engine = Engine(
        product(
            {"a": ["x", "y"], "b": ["x", "y"], "c": ["x", "y"]},
            [excludes("all-x", {"a": "x", "b": "x", "c": "x"}, "Not all x.")],
            optional=["b"],
        )
    )
    values = {"c": "x", "a": "x", "b": "x"}

    repairs = engine.repairs(values, None)

    assert [r.changes for r in repairs] == [
        (("c", "x", "y"),),
        (("a", "x", "y"),),
        (("b", "x", "y"),),
    ]
    clash = engine.configure(values).repair  # repaired around the newest value, b
    assert (clash.wanted, clash.changes) == (("b", "x"), repairs[0].changes)


def test_a_repair_clears_an_attribute_no_option_of_which_fits(engine):
    repairs = engine.repairs({"visor": "clear", "finish": "gloss"}, ("shell", "open_face"))

    assert [r.changes for r in repairs] == [(("visor", "clear", None),)]


def test_no_repair_for_an_option_that_is_never_possible():
    engine = Engine(
        product(
            {"shell": ["open_face", "full_face"], "visor": ["clear", "gold"]},
            [excludes("no-gold", {"visor": "gold"}, "Gold visors are sold out.")],
        )
    )

    assert engine.repairs({"shell": "open_face"}, ("visor", "gold")) == []
    assert [r.id for r in engine.explain({}, "visor", "gold").rules] == ["no-gold"]


def test_contradictory_selections_get_a_conflict_and_a_repair(engine):
    configuration = engine.configure({"shell": "open_face", "visor": "clear"})

    assert not configuration.consistent
    assert [r.id for r in configuration.conflict.rules] == ["visor-only-on-closed-shells"]
    assert configuration.conflict.selections == (("shell", "open_face"), ("visor", "clear"))
    assert configuration.conflict.attribute is None
    assert engine.explain({"shell": "open_face", "visor": "clear"}, None, None) == (
        configuration.conflict
    )
    assert len(configuration.repair.changes) == 1
    dropped = configuration.repair.dropped
    assert configuration.effective == {
        a: v for a, v in {"shell": "open_face", "visor": "clear"}.items() if a not in dropped
    }
    assert configuration.valid == engine.configure(configuration.effective).valid
    assert configuration.values == {"shell": "open_face", "visor": "clear"}


def test_a_filled_text_is_a_value_like_any_other(engine):
    configuration = engine.configure({"monogram": FILLED})

    assert configuration.consistent
    assert configuration.effective == {"monogram": FILLED}
    assert configuration.valid["monogram"] == {FILLED: True, NONE: False}


def test_completion_uses_the_defaults(engine):
    design = engine.complete({})

    assert design["shell"] == "full_face"
    assert design["finish"] == "gloss"
    assert Oracle(helmet()).is_valid(design)


def test_completion_drops_a_default_the_selections_rule_out():
    engine = Engine(helmet(defaults={"finish": "matte"}))

    design = engine.complete({"lining": "white"})

    assert design["lining"] == "white"
    assert design["finish"] == "gloss"


def test_completion_keeps_a_filled_text(engine):
    assert engine.complete({"monogram": FILLED})["monogram"] == FILLED
    assert engine.complete({})["monogram"] == NONE


def test_a_default_wins_over_leaving_an_earlier_optional_attribute_empty():
    """Greedy over defaults only: an attribute without a default is not pinned first."""
    watch = product(
        {"strap": ["leather", "fabric"], "buckle": ["steel", "gold"]},
        [requires("gold-needs-a-strap", {"buckle": "gold"}, {"strap": ["leather", "fabric"]})],
        optional=["strap"],
        defaults={"buckle": "gold"},
    )

    design = Engine(watch).complete({})

    assert design["buckle"] == "gold"
    assert design["strap"] != NONE


def test_random_design_fills_a_required_text():
    plate = product({"colour": ["red", "blue"]}, texts={"engraving": 5})

    design = Engine(plate).random_design(7, {})

    assert design["engraving"] == FILLED
    assert Oracle(plate).is_valid(design)


def test_values_outside_the_domain_never_match():
    # shell is required, so "none" is not in its domain: the rule can never fire
    engine = Engine(
        product(
            {"shell": ["open_face", "full_face"], "finish": ["gloss", "matte"]},
            [requires("never", {"shell": NONE}, {"finish": "matte"})],
        )
    )

    assert engine.configure({}).valid["finish"] == {"gloss": True, "matte": True}


def test_a_star_cell_matches_an_empty_attribute(engine):
    configuration = engine.configure({"shell": "open_face"})

    assert configuration.valid["visor"] == {
        "clear": False,
        "tinted": False,
        "iridium": False,
        NONE: True,
    }
    assert configuration.valid["finish"] == {"gloss": True, "matte": False}


def test_a_forbidden_table_removes_its_rows():
    engine = Engine(
        product(
            {"shell": ["open_face", "full_face"], "colour": ["red", "blue", "black"]},
            [
                table(
                    "no-bright-open",
                    ["shell", "colour"],
                    [["open_face", "red|blue"]],
                    allowed=False,
                )
            ],
        )
    )

    assert engine.configure({"shell": "open_face"}).valid["colour"] == {
        "red": False,
        "blue": False,
        "black": True,
    }
    assert engine.configure({"colour": "red"}).valid["shell"] == {
        "open_face": False,
        "full_face": True,
    }


def test_analysis_finds_a_dead_option_and_the_rule_behind_it():
    from configurator.engine.analysis import analyse

    engine = Engine(
        product(
            {"shell": ["open_face", "full_face"], "visor": ["clear", "gold"]},
            [
                excludes("no-gold", {"visor": "gold"}, "Gold visors are sold out."),
                excludes("no-gold-open", {"visor": "gold", "shell": "open_face"}),
            ],
        )
    )

    analysis = analyse(engine)

    assert analysis.satisfiable
    assert [(d.attribute, d.value, [r.id for r in d.rules]) for d in analysis.dead] == [
        ("visor", "gold", ["no-gold"])
    ]
    assert set(analysis.core) == {("visor", "clear")}
    assert [r.id for r in analysis.redundant] == ["no-gold-open"]
    assert (analysis.count, analysis.count_exact) == (2, True)


def test_analysis_of_an_unsatisfiable_catalog_names_the_conflicting_rules():
    from configurator.engine.analysis import analyse

    engine = Engine(
        product(
            {"shell": ["open_face", "full_face"], "visor": ["clear", "gold"]},
            [
                requires("gold-only", {"shell": ["open_face", "full_face"]}, {"visor": "gold"}),
                excludes("harmless", {"shell": "open_face", "visor": "clear"}),
                excludes("no-gold", {"visor": "gold"}),
            ],
        )
    )

    analysis = analyse(engine)

    assert not analysis.satisfiable
    assert sorted(r.id for r in analysis.conflict) == ["gold-only", "no-gold"]


def test_dimacs_clauses_become_excludes_rules():
    model = dimacs.parse("c 1 Engine\nc 2 Turbo\np cnf 2 2\n1 2 0\n-2 1 0\n")
    catalog = dimacs.to_product(model)

    assert [a.id for a in catalog.attributes] == ["v1", "v2"]
    assert catalog.attribute("v2").label == "Turbo"
    assert [(r.id, r.kind, r.when) for r in catalog.rules] == [
        ("c1", "excludes", (("v1", ("no",)), ("v2", ("no",)))),
        ("c2", "excludes", (("v2", ("yes",)), ("v1", ("no",)))),
    ]
    assert Engine(catalog).configure({}).valid == {
        "v1": {"yes": True, "no": False},
        "v2": {"yes": True, "no": True},
    }
