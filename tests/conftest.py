"""Shared fixtures: a real app on a real SQLite file (and PostgreSQL when configured)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from configurator.web import create_app

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"
REQUIRE_ALL = os.environ.get("CONFIGURATOR_REQUIRE_ALL") == "1"

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def _postgres_url() -> str | None:
    return os.environ.get("CONFIGURATOR_TEST_DATABASE_URL")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """Each database test runs on a fresh SQLite file and, when configured, a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    url = _postgres_url()
    if not url:
        if REQUIRE_ALL:
            pytest.fail("CONFIGURATOR_TEST_DATABASE_URL is not set but CONFIGURATOR_REQUIRE_ALL=1")
        pytest.skip("PostgreSQL not configured (set CONFIGURATOR_TEST_DATABASE_URL)")
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def app_config(instance_dir: Path, catalog_dir: Path, database_url: str, **config) -> dict:
    """A test app's whole configuration: create_app reads no environment variable it covers."""
    return {
        "TESTING": True,
        "INSTANCE_DIR": str(instance_dir),
        "CATALOG_DIR": str(catalog_dir),
        "DATABASE_URL": database_url,
        **config,
    }


@pytest.fixture
def make_app(tmp_path):
    """Build an app over a catalog folder and database URL of the test's choosing.

    Every app of one test shares the instance folder (so a second app is a restarted worker).
    """
    created = []

    def build(catalog_dir: Path = CATALOG, database_url: str | None = None, **config):
        app = create_app(
            app_config(
                tmp_path / "instance",
                catalog_dir,
                database_url or f"sqlite:///{tmp_path / 'app.sqlite3'}",
                **config,
            )
        )
        app.extensions["database"].upgrade()
        created.append(app)
        return app

    yield build
    from configurator.web import protect

    for app in created:
        app.extensions["configurator"].close()
        protect.close(app)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()
