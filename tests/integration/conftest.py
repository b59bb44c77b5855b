"""The services' Context on a fresh database (SQLite, and PostgreSQL when configured) with
the shipped catalog, for the service tests that need nothing else."""

from __future__ import annotations

import pytest

from configurator.bootstrap import bootstrap
from tests.conftest import CATALOG


@pytest.fixture
def ctx(database_url, tmp_path):
    context = bootstrap(
        {"DATABASE_URL": database_url, "INSTANCE_DIR": str(tmp_path), "CATALOG_DIR": str(CATALOG)}
    )
    context.database.upgrade()
    yield context
    context.close()
