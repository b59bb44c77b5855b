"""The catalogs the engine benchmark runs on, each with the targets it should meet.

(a) the shipped helmet, (b) a generic generated catalog, (c) and (d) car look-alikes
(seeded, so every run times the same catalogs), (e) real feature models. A catalog
that cannot be built yet raises `Unavailable` and its rows say why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from configurator.catalog.model import Product
from tests.support import dimacs, generate

ROOT = Path(__file__).resolve().parent.parent

FEATURE_MODELS = (
    ROOT.parent / "shared" / "data" / "feature-models",
    ROOT / "tests" / "data" / "feature-models",
)


class Unavailable(Exception):
    """The catalog cannot be built in this checkout (yet)."""


@dataclass(frozen=True)
class BenchCatalog:
    name: str
    label: str
    build: Callable[[], Product]
    targets: dict[str, float] = field(default_factory=dict)  # metric -> upper bound in ms
    samples: int = 1000
    explain: bool = False  # also time explanations and repairs
    analyse: bool = False  # also time the dead/core analysis


def helmet() -> Product:
    path = ROOT / "catalog" / "helmet.yaml"
    try:
        from configurator.catalog import load_product
    except ImportError as error:
        raise Unavailable(
            f"configurator.catalog.load_product is not importable yet ({error})"
        ) from error
    if not path.exists():
        raise Unavailable(f"{path.relative_to(ROOT)} does not exist yet")
    try:
        return load_product(path)
    except Exception as error:  # the loader is being written: report, don't crash the bench
        raise Unavailable(f"loading {path.relative_to(ROOT)} failed: {error}") from error


def feature_model(name: str) -> Callable[[], Product]:
    def build() -> Product:
        for folder in FEATURE_MODELS:
            path = folder / f"{name}.dimacs"
            if path.exists():
                return dimacs.load(path)[1]
        raise Unavailable(f"{name}.dimacs not found in {', '.join(str(f) for f in FEATURE_MODELS)}")

    return build


CATALOGS = [
    BenchCatalog("helmet", "(a) shipped helmet", helmet, {"domains": 1.0}),
    BenchCatalog(
        "generated",
        "(b) 100 attributes x 10 options, 300 rules",
        generate.generated_catalog,
        {
            "domains": 10.0,
            "domains_p99": 30.0,
            "explain": 20.0,
            "repair": 50.0,
            "compile": 1000.0,
        },
        explain=True,
    ),
    BenchCatalog(
        "car",
        "(c) car look-alike, 150 attributes, 175 tables",
        generate.car_catalog,
        {"domains": 10.0},
    ),
    BenchCatalog(
        "car-large",
        "(d) car look-alike, 270 attributes, 330 tables",
        generate.large_car_catalog,
        {"domains": 250.0, "compile": 10_000.0},
        samples=300,
    ),
    BenchCatalog(
        "pc-richmond",
        "(e) pc-richmond feature model",
        feature_model("pc-richmond"),
        {"domains": 5.0},
    ),
    BenchCatalog(
        "automotive01",
        "(e) automotive01 feature model",
        feature_model("automotive01"),
        {"domains": 50.0, "analyse": 5000.0},
        analyse=True,
    ),
]


def describe(product: Product) -> str:
    values = sum(len(a.options) or 2 for a in product.attributes)
    tables = [r for r in product.rules if r.kind == "table"]
    text = f"{len(product.attributes)} attributes, {values} values, {len(product.rules)} rules"
    if tables:
        widest = max(len(r.attributes) for r in tables)
        text += (
            f" ({len(tables)} tables, up to {widest} columns, {generate.row_count(product)} rows)"
        )
    return text
