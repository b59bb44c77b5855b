"""Wiring once: the settings, database, catalog and caches an app or a CLI command runs on.

`create_app(test_config)` and every CLI command call `bootstrap()`; nothing else
reads the environment or builds these objects, and no cache is a module global.

    context = bootstrap({"DATABASE_URL": "sqlite:///:memory:"})   # config beats the environment
    context.catalogs.engine("helmet")

A CLI command that never reads the catalog passes `load_catalog=False`: its Context's
`catalogs` then loads the folder on first use instead of at start-up (about a second
for the shipped catalog, and more for a big one).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from configurator.catalog.model import Catalog
from configurator.config import Settings
from configurator.services.catalogs import Catalogs
from configurator.services.files import LocalFiles
from configurator.services.memo import Memos
from configurator.services.render_cache import RenderCache
from configurator.store import Database


@dataclass(frozen=True)
class Context:
    """Everything one app or one CLI command runs on."""

    settings: Settings
    database: Database
    catalogs: Catalogs
    previews: RenderCache
    memos: Memos

    @property
    def files(self) -> LocalFiles:
        """Kept files (order pictures, export batches), named by their SHA-256."""
        return LocalFiles(self.settings.instance_dir / "orders")

    def close(self) -> None:
        """Release connections (database pool, preview cache index); files stay."""
        self.database.dispose()
        self.previews.close()


def bootstrap(
    config: Mapping[str, object] | None = None,
    *,
    environ: Mapping[str, str] = os.environ,
    load_catalog: bool = True,
) -> Context:
    """Read the settings (config, then CONFIGURATOR_* in `environ`, then defaults) and build a Context."""
    settings = Settings.read(config, environ)
    stored = circuits_of(settings)
    catalogs = (
        Catalogs(settings.catalog_dir, **stored)
        if load_catalog
        else LazyCatalogs(settings.catalog_dir, **stored)
    )
    return Context(
        settings=settings,
        database=Database(settings.database_url),
        catalogs=catalogs,
        previews=RenderCache.under(
            settings.instance_dir,
            memory_mb=settings.preview_memory_mb,
            disk_mb=settings.preview_disk_mb,
        ),
        memos=Memos(),
    )


def log_catalog_problems(catalog: Catalog, folder: Path) -> None:
    """Each catalog problem once, for staff: the shop never shows them (paths relative to `folder`)."""
    log = logging.getLogger("configurator.catalog")
    for problem in catalog.problems:
        log.warning(
            "%s:%s:%s: %s (%s)",
            _relative(problem.source.file, folder),
            problem.source.line,
            problem.source.column,
            problem.message,
            problem.severity,
        )


def _relative(file: str, folder: Path) -> str:
    try:
        return str(Path(file).resolve().relative_to(Path(folder).resolve()))
    except ValueError:  # the folder itself (not found), or a file outside it
        return Path(file).name


def circuits_of(settings: Settings) -> dict:
    """Where circuits stored at publish are, and the largest a worker loads."""
    return {
        "circuits": settings.instance_dir / "circuits",
        "circuit_max_bytes": settings.circuit_max_mb * 1024 * 1024,
    }


class LazyCatalogs(Catalogs):
    """Catalogs that read their folder on first use, for commands that may never need it.

    Not `Catalogs.__init__` (that reads the folder): whatever it would have set is taken,
    on first use, from a real `Catalogs` built then, so every method works unchanged.
    """

    def __init__(self, folder: Path, **stored):
        self.folder = Path(folder)
        self._lazy_stored = stored
        self._lazy_lock = threading.Lock()
        self._lazy_loaded: Catalogs | None = None

    def __getattr__(self, name: str):
        if name.startswith("_lazy"):
            raise AttributeError(name)
        with self._lazy_lock:
            if self._lazy_loaded is None:
                self._lazy_loaded = Catalogs(self.folder, **self._lazy_stored)
        return getattr(self._lazy_loaded, name)
