"""Circuits compiled once and kept on disk (services/circuits.py): a stored circuit answers as
the SAT search does, a stale or corrupt file is ignored, and a worker's `Catalogs` that finds
one installs it instead of starting a background compile."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from click.testing import CliRunner

from bench.catalog_yaml import write_product
from configurator.bootstrap import bootstrap
from configurator.catalog import load_product
from configurator.cli import cli
from configurator.engine import Engine
from configurator.services import circuits, compiling
from configurator.services.catalogs import Catalogs
from tests.conftest import CATALOG
from tests.support.generate import generated_catalog

if not compiling.available():  # d4solver is a test dependency: fail loudly, never skip
    pytest.fail("d4 (the d4solver package) is not installed", pytrace=False)


def small_generated():
    """Catalog (b)'s generator, small enough for d4 to compile in well under a second
    (40 attributes x 5 options: 206 values, so a worker would compile it in the background)."""
    product = generated_catalog(seed=3, attributes=40, options=5, rules=20)
    return dataclasses.replace(product, version="gen-3")


PRODUCTS = {
    "helmet": lambda: load_product(CATALOG / "helmet.yaml"),
    "jacket": lambda: load_product(CATALOG / "jacket.yaml"),
    "generated": small_generated,
}


def random_selections(engine: Engine, rng: random.Random) -> dict[str, str]:
    """Mostly a random subset of a random valid design; sometimes any values (clashes too)."""
    attributes = sorted(engine.domains)
    if rng.random() < 0.25:
        picked = rng.sample(attributes, rng.randint(1, min(4, len(attributes))))
        return {a: rng.choice(engine.domain(a)) for a in picked}
    design = engine.random_design(rng.randrange(2**31), {})
    picked = rng.sample(attributes, rng.randint(0, len(attributes)))
    return {a: design[a] for a in picked if a in design}


@pytest.mark.parametrize("name", sorted(PRODUCTS))
def test_a_stored_circuit_answers_as_the_sat_search_does(name, tmp_path):
    product = PRODUCTS[name]()
    phases: list[str] = []
    stored = circuits.compile_and_store(
        tmp_path, product, budget_s=60, progress=lambda _s, phase: phases.append(phase)
    )
    assert stored is not None
    assert stored.path == tmp_path / f"{product.id}-{product.version}.circuit"
    assert stored.file_bytes == stored.path.stat().st_size > 0 and stored.edges > 0
    assert phases[0] == "encoding" and phases[-3:] == ["parsing", "writing", "stored"]
    assert list(tmp_path.iterdir()) == [stored.path]  # no temporary file left behind

    with_circuit = Engine(product, table=False)  # small products would answer from a table
    loaded = circuits.load(tmp_path, product, with_circuit)
    assert loaded is not None and loaded.size == stored.edges
    with_circuit.install_circuit(loaded)
    by_sat = Engine(product, table=False)
    assert by_sat.circuit is None
    rng = random.Random(name)
    clashes = 0
    for _ in range(80):
        selections = random_selections(by_sat, rng)
        expected = by_sat.configure(selections, alternatives=False)
        got = with_circuit.configure(selections, alternatives=False)
        assert got.valid == expected.valid, selections
        assert got.consistent == expected.consistent, selections
        clashes += not expected.consistent
    assert with_circuit.circuit is loaded
    if name == "helmet":
        assert clashes > 0  # the random values did reach the clash path


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    """The helmet's circuit, stored once for the corruption tests (each gets a copy)."""
    folder = tmp_path_factory.mktemp("kept")
    product = load_product(CATALOG / "helmet.yaml")
    stored = circuits.compile_and_store(folder, product, budget_s=60)
    assert stored is not None
    return product, stored.path.read_bytes()


def damaged(content: bytes, how: str) -> bytes:
    header_end = content.index(b"\n", len(circuits.MAGIC)) + 1
    header = json.loads(content[len(circuits.MAGIC) : header_end])
    body = content[header_end:]
    if how == "empty":
        return b""
    if how == "truncated":
        return content[: len(content) - 40]
    if how == "a flipped byte":
        middle = header_end + len(body) // 2
        return content[:middle] + bytes([content[middle] ^ 0xFF]) + content[middle + 1 :]
    if how == "another format":
        return b"configurator-circuit 99\n" + content[len(circuits.MAGIC) :]
    if how == "not json":
        return circuits.MAGIC + b"{not json\n" + body
    if how == "body is not nnf":
        garbage = circuits.zlib.compress(b"this is not a circuit\n")
        header["sha256"] = circuits.hashlib.sha256(garbage).hexdigest()
        return circuits.MAGIC + json.dumps(header).encode() + b"\n" + garbage
    changed = {
        "another version": {"version": "0000000000000000"},
        "another product": {"product": "jacket"},
        "another numbering": {"encoding": "0" * 64},
        "another variable count": {"nvars": header["nvars"] + 1},
    }[how]
    header.update(changed)
    return circuits.MAGIC + json.dumps(header).encode() + b"\n" + body


@pytest.mark.parametrize(
    "how",
    [
        "empty",
        "truncated",
        "a flipped byte",
        "another format",
        "not json",
        "body is not nnf",
        "another version",
        "another product",
        "another numbering",
        "another variable count",
    ],
)
def test_a_stale_or_corrupt_file_is_ignored(kept, how, tmp_path, caplog):
    product, content = kept
    path = circuits.path_for(tmp_path, product)
    path.write_bytes(damaged(content, how))
    engine = Engine(product)
    assert circuits.load(tmp_path, product, engine) is None
    assert circuits.stored(tmp_path, product, engine) is None or how in (
        "truncated",
        "a flipped byte",
        "body is not nnf",
    )  # `stored` reads the header only
    assert f"ignoring {path}" in caplog.text


def test_the_intact_copy_loads_and_an_absent_file_is_none(kept, tmp_path):
    product, content = kept
    assert circuits.load(tmp_path, product) is None
    circuits.path_for(tmp_path, product).write_bytes(content)
    assert circuits.load(tmp_path, product, Engine(product)) is not None


def test_a_product_that_cannot_compile_in_its_budget_stores_nothing(tmp_path):
    phases: list[str] = []
    stored = circuits.compile_and_store(
        tmp_path,
        generated_catalog(),  # (b): d4 needs far more than a second
        budget_s=1.0,
        progress=lambda _s, phase: phases.append(phase),
    )
    assert stored is None and phases[-1] == "gave up"
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def big_catalog(tmp_path):
    """A catalog folder holding one product a worker would compile in the background."""
    folder = tmp_path / "catalog"
    write_product(small_generated(), folder)
    return folder


def test_a_worker_with_a_stored_circuit_starts_no_background_compile(big_catalog, tmp_path):
    stored_in = tmp_path / "circuits"
    without = Catalogs(big_catalog, circuits=stored_in)  # nothing stored yet: as today
    product = without.product("generated")
    assert compiling.worth_compiling(Engine(product))
    without.engine("generated")
    handle = without.background_compile("generated")
    assert handle is not None and handle.wait(60) is not None

    assert circuits.compile_and_store(stored_in, product, budget_s=60) is not None
    worker = Catalogs(big_catalog, circuits=stored_in)
    engine = worker.engine("generated")
    assert worker.background_compile("generated") is None
    assert engine.circuit is not None
    by_sat = Engine(product)
    rng = random.Random(5)
    for _ in range(30):
        selections = random_selections(by_sat, rng)
        assert engine.configure(selections) == by_sat.configure(selections)


def test_a_worker_with_a_corrupt_file_falls_back_to_the_background_compile(big_catalog, tmp_path):
    stored_in = tmp_path / "circuits"
    product = Catalogs(big_catalog).product("generated")
    stored = circuits.compile_and_store(stored_in, product, budget_s=60)
    stored.path.write_bytes(stored.path.read_bytes()[:-100])
    worker = Catalogs(big_catalog, circuits=stored_in)
    engine = worker.engine("generated")
    handle = worker.background_compile("generated")
    assert handle is not None
    assert handle.wait(60) is not None and engine.circuit is handle.circuit


@pytest.fixture
def ctx(database_url, tmp_path):
    context = bootstrap(
        {"DATABASE_URL": database_url, "INSTANCE_DIR": str(tmp_path), "CATALOG_DIR": str(CATALOG)}
    )
    yield context
    context.close()


def test_compile_all_stores_every_product_once(ctx, tmp_path):
    seen: list[tuple[str, str]] = []
    done = circuits.compile_all(
        ctx, budget_s=60, progress=lambda product, _s, phase: seen.append((product.id, phase))
    )
    products = {p.id: p for p in ctx.catalogs.products}
    assert set(done) == set(products) == {"helmet", "jacket"}
    for product_id, stored in done.items():
        assert stored is not None
        assert stored.path.parent == tmp_path / "circuits"
        assert circuits.load(stored.path.parent, products[product_id]) is not None
        assert (product_id, "stored") in seen

    seen.clear()
    again = circuits.compile_all(
        ctx, budget_s=60, progress=lambda product, _s, phase: seen.append((product.id, phase))
    )
    assert seen == [("helmet", "kept"), ("jacket", "kept")]
    assert again == done  # the same files, described from their headers


def test_compile_all_takes_the_products_of_a_catalog_being_published(ctx, big_catalog):
    candidate = Catalogs(big_catalog).products
    done = circuits.compile_all(ctx, budget_s=60, products=candidate)
    assert set(done) == {"generated"} and done["generated"] is not None
    assert done["generated"].path.parent == ctx.settings.instance_dir / "circuits"


def test_the_compile_command_stores_every_product(tmp_path):
    env = {"CONFIGURATOR_INSTANCE_DIR": str(tmp_path), "CONFIGURATOR_CATALOG_DIR": str(CATALOG)}
    result = CliRunner().invoke(cli, ["catalog", "compile", "--budget", "60"], env=env)
    assert result.exit_code == 0, result.output
    assert "helmet: encoding" in result.output and "helmet: stored" in result.output
    names = sorted(p.name.split("-")[0] for p in (tmp_path / "circuits").iterdir())
    assert names == ["helmet", "jacket"]
    again = CliRunner().invoke(cli, ["catalog", "compile"], env=env)
    assert "helmet: kept" in again.output and again.exit_code == 0
