"""The loaded catalog and one compiled engine per product version, shared by every request.

An engine whose product version has a circuit stored at publish (`services.circuits`,
under `circuits`) gets it installed at once. Otherwise large catalogs get a d-DNNF
circuit compiled in the background (`services.compiling`: a thread and a child
process), installed into the engine when it arrives."""

from __future__ import annotations

import threading
from pathlib import Path

from configurator.catalog import load_catalog
from configurator.catalog.model import Catalog, Product
from configurator.engine import Engine

from . import circuits as stored_circuits
from . import compiling


class UnknownProduct(LookupError):
    """No product with this id is loaded."""


class Catalogs:
    """Holds the catalog as loaded from a folder; engines compile on first use.

    `circuits`: the folder of circuits stored at publish (`<instance>/circuits`), if any."""

    def __init__(
        self, folder: Path, circuits: Path | None = None, circuit_max_bytes: int | None = None
    ):
        self.folder = Path(folder)
        self.circuits = Path(circuits) if circuits is not None else None
        self.circuit_max_bytes = circuit_max_bytes
        self.catalog: Catalog = load_catalog(self.folder)
        self.background = True  # large catalogs compile a circuit in the background
        self._engines: dict[tuple[str, str], Engine] = {}
        self._compiling: dict[tuple[str, str], compiling.Compiling] = {}
        self._lock = threading.Lock()

    @classmethod
    def holding(cls, catalog: Catalog) -> Catalogs:
        """Catalogs over a catalog already loaded, with no background compile (a plan
        evolves designs under it once)."""
        made = cls.__new__(cls)
        made.folder, made.circuits, made.circuit_max_bytes = Path("."), None, None
        made.catalog, made.background = catalog, False
        made._engines, made._compiling, made._lock = {}, {}, threading.Lock()
        return made

    @property
    def products(self) -> tuple[Product, ...]:
        return self.catalog.products

    def product(self, product_id: str) -> Product:
        product = self.catalog.product(product_id)
        if product is None:
            raise UnknownProduct(product_id)
        return product

    def engine(self, product_id: str) -> Engine:
        product = self.product(product_id)
        key = (product.id, product.version)
        engine = self._engines.get(key)
        if engine is None:
            with self._lock:
                engine = self._engines.get(key)
                if engine is None:
                    engine = Engine(product)
                    circuit = None
                    if self._loadable(product):
                        circuit = stored_circuits.load(self.circuits, product, engine)
                    if circuit is not None:
                        engine.install_circuit(circuit)
                    elif self.background:
                        handle = compiling.start_if_worth_it(engine)
                        if handle is not None:
                            self._compiling[key] = handle
                    self._engines[key] = engine
        return engine

    def _loadable(self, product: Product) -> bool:
        """A stored circuit within the size limit: a big one costs a worker about a hundred
        times its file size in memory and answers a typical click slower than SAT
        (bench/results/circuit.json: 12 MB on the car look-alike (d), +1.2 GB, 51 vs 15 ms)."""
        if self.circuits is None:
            return False
        path = stored_circuits.path_for(self.circuits, product)
        try:
            size = path.stat().st_size
        except OSError:
            return False
        return self.circuit_max_bytes is None or size <= self.circuit_max_bytes

    def background_compile(self, product_id: str) -> compiling.Compiling | None:
        """The background compile of this product's engine, if one was started (tests
        wait on its `ready` event)."""
        product = self.product(product_id)
        return self._compiling.get((product.id, product.version))
