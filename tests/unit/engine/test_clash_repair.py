"""A click on an unavailable option means the shopper wants it: the clash that follows is
repaired around the clicked value (the newest), never by reverting it.

Driven as the shop drives the engine: random consistent designs, then a click on every
(or a sample of) option that cannot be picked, as the newest value."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from configurator.catalog import load_product
from configurator.catalog.model import NONE
from configurator.engine import Engine
from tests.support.generate import generated_catalog

CATALOG = Path(__file__).resolve().parents[3] / "catalog"


def random_consistent(engine: Engine, rng: random.Random) -> dict[str, str]:
    """A few choices picked one after another from the valid domains (as a shopper does)."""
    values: dict[str, str] = {}
    attrs = list(engine.domains)
    for attr_id in rng.sample(attrs, rng.randint(1, min(6, len(attrs)))):
        domain = engine.valid_domains(values)[attr_id]
        possible = [v for v, ok in domain.items() if ok and v != NONE]
        if possible:
            values[attr_id] = rng.choice(possible)
    return values


def clicks(engine: Engine, values: dict[str, str], rng: random.Random, most: int):
    """Options that cannot be picked now (as the tiles show them), clicked as the newest."""
    cfg = engine.configure(values)
    blocked = [
        (a, v)
        for a, domain in engine.domains.items()
        for v in domain
        if v != NONE and not cfg.selectable(a, v)
    ]
    for attr_id, value in rng.sample(blocked, min(most, len(blocked))):
        yield attr_id, value, {**{k: x for k, x in values.items() if k != attr_id}, attr_id: value}


@pytest.mark.parametrize(
    ("name", "build", "designs", "per_design"),
    [
        ("helmet", lambda: load_product(CATALOG / "helmet.yaml"), 40, 20),
        ("generated", lambda: generated_catalog(seed=3, attributes=40, rules=120), 12, 6),
    ],
)
def test_a_click_on_an_unavailable_option_is_kept_by_the_repair(name, build, designs, per_design):
    engine = Engine(build())
    rng = random.Random(7)
    tried = 0
    for _ in range(designs):
        values = random_consistent(engine, rng)
        for attr_id, value, clicked in clicks(engine, values, rng, per_design):
            cfg = engine.configure(clicked)
            if engine.repairs({}, (attr_id, value), limit=1) == []:
                continue  # a dead option: no design has it at all (the analysis reports it)
            tried += 1
            assert cfg.conflict is not None, (clicked, attr_id, value)
            assert cfg.repair.wanted == (attr_id, value)
            assert attr_id not in cfg.repair.dropped
            assert cfg.effective[attr_id] == value  # the page keeps the click
            assert engine.consistent(cfg.effective)
            # and it is the smallest repair around the click (the tile's "Make it possible")
            others = {k: x for k, x in clicked.items() if k != attr_id}
            tile = engine.repairs(others, (attr_id, value), limit=1)[0]
            assert len(cfg.repair.changes) == len(tile.changes)
    assert tried >= 30, tried
