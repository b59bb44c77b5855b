"""The fast path against the plain reference (engine/reference.py) on real-sized catalogs:
the shipped helmet and jacket and the test catalog (the helmets also against the
brute-force oracle), the test catalog, catalog (b) of the benchmarks and a car look-alike.

Random value walks keep one engine of each kind answering many queries, as in a shop,
so the fast path's reused state (witnesses, learnt clauses, rebuilt solvers) is
exercised too. The random products of hypothesis are in test_properties.py.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest

from configurator.catalog import load_product
from configurator.engine import Engine
from configurator.engine.fast import search
from tests.support.generate import car_catalog, generated_catalog
from tests.support.oracle import Oracle

ROOT = Path(__file__).resolve().parents[3]
CATALOGS = {
    "helmet": lambda: load_product(ROOT / "catalog" / "helmet.yaml"),
    "jacket": lambda: load_product(ROOT / "catalog" / "jacket.yaml"),
    "test-helmet": lambda: load_product(
        ROOT / "tests" / "data" / "catalogs" / "good" / "helmet.yaml"
    ),
    "generated": generated_catalog,
    "car": lambda: car_catalog(attributes=40, tables=30, max_width=8),
}
ORACLE_MAX_DESIGNS = 200_000


@cache
def engines(name: str) -> tuple[Engine, Engine]:
    """(the search, the reference): the design table is tested in test_table.py."""
    product = CATALOGS[name]()
    return Engine(product, table=False), Engine(product, reference=True)


def walks(
    engine: Engine, seed: int, count: int, most: int = 12, clash: float = 0.2
) -> list[dict[str, str]]:
    """Value sets a shopper could reach: mostly consistent (each value picked among the
    valid ones), now and then (`clash`) ending on an impossible one (a conflict); at most
    `most` values."""
    rng = random.Random(seed)
    out = []
    attributes = list(engine.domains)
    for _ in range(count):
        values: dict[str, str] = {}
        for attr_id in rng.sample(attributes, rng.randint(0, min(most, len(attributes)))):
            possible = engine.configure(values, alternatives=False).available(attr_id)
            impossible = [v for v in engine.domain(attr_id) if v not in possible]
            if impossible and rng.random() < clash:
                values[attr_id] = rng.choice(impossible)
                break
            values[attr_id] = rng.choice(possible)
        out.append(values)
    return out


@pytest.mark.parametrize("name", list(CATALOGS))
def test_the_fast_path_configures_as_the_reference_does(name):
    fast, reference = engines(name)
    walked = walks(fast, seed=len(name), count=25)
    assert any(not fast.consistent(v) for v in walked) and any(v for v in walked)
    for values in walked:
        assert fast.configure(values) == reference.configure(values), values


@pytest.mark.parametrize("name", ["helmet", "test-helmet"])
def test_the_shipped_catalogs_agree_with_the_oracle(name):
    fast, reference = engines(name)
    product = fast.product
    size = 1
    for domain in fast.domains.values():
        size *= len(domain)
    assert size <= ORACLE_MAX_DESIGNS, f"{name} has grown too big to enumerate ({size})"
    oracle = Oracle(product)
    for values in walks(fast, seed=11, count=15):
        configuration = fast.configure(values)
        effective = configuration.effective
        expected = oracle.valid_domains(effective)
        for attr_id, options in configuration.valid.items():
            if attr_id not in effective:
                assert options == expected[attr_id], (attr_id, values)
        for attr_id, options in configuration.alternatives.items():
            assert options == expected[attr_id], (attr_id, values)
        assert reference.configure(values) == configuration


@pytest.mark.parametrize("name", ["helmet", "jacket", "test-helmet"])
def test_alternatives_from_the_witness_pool_agree_on_small_catalogs(name, monkeypatch):
    """Small catalogs skip the pool for alternatives (search.POOL_ALTERNATIVES_MIN_VALUES);
    asked to use it, a fresh engine still answers as the reference does."""
    monkeypatch.setattr(search, "POOL_ALTERNATIVES_MIN_VALUES", 0)
    _, reference = engines(name)
    fast = Engine(reference.product, table=False)
    for values in walks(fast, seed=5, count=40):
        assert fast.configure(values) == reference.configure(values), values
