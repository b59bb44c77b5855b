"""The loaded catalog and one compiled engine per product version, shared by every request."""

from __future__ import annotations

import threading
from pathlib import Path

from configurator.catalog import load_catalog
from configurator.catalog.model import Catalog, Product
from configurator.engine import Engine


class UnknownProduct(LookupError):
    """No product with this id is loaded."""


class Catalogs:
    """Holds the catalog as loaded from a folder; engines compile on first use."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.catalog: Catalog = load_catalog(self.folder)
        self._engines: dict[tuple[str, str], Engine] = {}
        self._lock = threading.Lock()

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
                    self._engines[key] = engine
        return engine
