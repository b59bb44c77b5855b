"""The "from" price: the cheapest valid design, against the brute-force oracle."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator import pricing
from configurator.catalog.model import Rule
from configurator.engine import Engine
from tests.support.generate import choice, make_product, products
from tests.support.oracle import Oracle


def costs(product) -> dict[tuple[str, str], Decimal]:
    """What each value adds to the price: the costs `Engine.cheapest` minimises."""
    engine = Engine(product)
    return {(a, v): pricing.delta(product, a, v) for a, vs in engine.domains.items() for v in vs}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_cheapest_is_the_minimum_over_every_valid_design(data):
    product = data.draw(products())
    oracle = Oracle(product)
    assume(oracle.count() > 0)
    design = Engine(product).cheapest(costs(product))
    assert oracle.is_valid(design)
    assert pricing.total(product, design) == min(
        pricing.total(product, d) for d in oracle.designs()
    )


def test_negative_and_fractional_prices():
    colour = choice("colour", ["red", "blue", "green"])
    colour = replace(
        colour,
        options=tuple(
            replace(o, price=Decimal(p))
            for o, p in zip(colour.options, ["19.99", "-5.50", "0.25"], strict=True)
        ),
    )
    size = choice("size", ["s", "m"])  # s costs 0, m costs 1
    rules = [
        Rule("r1", "excludes", "No blue small.", when=(("colour", ("blue",)), ("size", ("s",))))
    ]
    product = make_product([colour, size], rules)
    design = Engine(product).cheapest(costs(product))
    assert design == {"colour": "blue", "size": "m"}
    assert pricing.total(product, design) == product.base_price + Decimal("-5.50") + Decimal("1")


def test_no_design_has_no_cheapest():
    product = make_product(
        [choice("a", ["x"])], [Rule("r1", "excludes", "never x", when=(("a", ("x",)),))]
    )
    assert Engine(product).cheapest({}) is None


def test_missing_costs_count_as_zero():
    product = make_product([choice("a", ["x", "y"]), choice("b", ["p", "q"])], [])
    assert Engine(product).cheapest({("a", "x"): Decimal("2"), ("b", "q"): Decimal("-1")}) == {
        "a": "y",
        "b": "q",
    }
