"""Migrations and the catalog version record on a real SQLite file and on PostgreSQL; the
bootstrap that picks the database, catalog and instance folder for an app."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, select

from configurator.bootstrap import Context, bootstrap
from configurator.store import CatalogVersion, Database
from configurator.web import context, create_app
from tests.conftest import CATALOG


def test_migrations_create_the_schema_and_versions_are_recorded_once(database_url, app):
    database = Database(database_url)
    try:
        database.upgrade()
        assert "catalog_version" in inspect(database.engine).get_table_names()
        products = app.extensions["catalogs"].products
        assert database.record_versions(products) == len(products)
        assert database.record_versions(products) == 0
        with database.session() as session:
            rows = session.scalars(select(CatalogVersion)).all()
        assert {(r.product_id, r.version) for r in rows} == {(p.id, p.version) for p in products}
        database.upgrade()  # idempotent
    finally:
        database.dispose()


def test_an_app_built_with_test_config_ignores_conflicting_environment_variables(
    tmp_path, monkeypatch
):
    for key in ("INSTANCE_DIR", "CATALOG_DIR", "DATABASE_URL", "SECRET_KEY"):
        monkeypatch.setenv(f"CONFIGURATOR_{key}", str(tmp_path / "from-the-environment"))
    monkeypatch.setenv("CONFIGURATOR_PREVIEW_MEMORY_MB", "999")
    config = {
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "CATALOG_DIR": str(CATALOG),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
        "SECRET_KEY": "from the test",
        "PREVIEW_MEMORY_MB": 2,
    }
    app = create_app(config)
    try:
        settings = app.extensions["configurator"].settings
        assert settings.instance_dir == tmp_path / "instance"
        assert settings.catalog_dir == CATALOG
        assert settings.database_url == config["DATABASE_URL"]
        assert app.config["SECRET_KEY"] == "from the test"
        assert app.instance_path == str(tmp_path / "instance")
        assert app.extensions["previews"].memory.max_bytes == 2 * 1024 * 1024
        assert app.extensions["previews"].disk.folder == tmp_path / "instance" / "renders"
        assert {p.id for p in app.extensions["catalogs"].products} == {"helmet", "jacket"}
        app.extensions["database"].upgrade()
        assert (tmp_path / "app.sqlite3").exists()
    finally:
        app.extensions["configurator"].close()
    assert not (tmp_path / "from-the-environment").exists()


def test_without_config_the_environment_then_the_defaults_decide(tmp_path):
    environ = {"CONFIGURATOR_INSTANCE_DIR": str(tmp_path / "instance")}
    wired = bootstrap(environ=environ, load_catalog=False)
    try:
        assert wired.settings.instance_dir == tmp_path / "instance"
        assert (
            wired.settings.database_url
            == f"sqlite:///{tmp_path / 'instance' / 'configurator.sqlite3'}"
        )
        assert wired.settings.catalog_dir == CATALOG
        kept = (tmp_path / "instance" / "secret_key").read_text().strip()
        assert wired.settings.secret_key == kept
        assert bootstrap(environ=environ, load_catalog=False).settings.secret_key == kept
        assert (wired.settings.preview_memory_mb, wired.settings.preview_disk_mb) == (64, 512)
    finally:
        wired.close()


def test_a_context_without_the_catalog_loaded_reads_it_on_first_use(tmp_path):
    wired = bootstrap(
        {"INSTANCE_DIR": str(tmp_path), "CATALOG_DIR": str(tmp_path / "none")}, load_catalog=False
    )
    try:
        assert wired.catalogs.folder == tmp_path / "none"
        assert wired.catalogs.products == ()
        assert [p.message for p in wired.catalogs.catalog.problems] == ["catalog folder not found"]
    finally:
        wired.close()
    lazy = bootstrap({"INSTANCE_DIR": str(tmp_path)}, load_catalog=False)
    assert lazy.catalogs.engine("helmet").product.id == "helmet"
    lazy.close()


def test_each_app_has_its_own_context_caches_and_memos(make_app):
    first, second = make_app(), make_app()
    with first.app_context():
        wired = context()
        assert isinstance(wired, Context)
        assert first.extensions["database"] is wired.database
        assert first.extensions["catalogs"] is wired.catalogs
        assert first.extensions["previews"] is wired.previews
        memo = wired.memos.get("test", maxsize=4)
    with second.app_context():
        assert context().memos.get("test", maxsize=4) is not memo
        assert context().previews is not first.extensions["previews"]
    assert isinstance(first.extensions["configurator"].settings.instance_dir, Path)


def test_the_migrations_build_exactly_the_models(database_url):
    """A model changed without a migration (or the reverse) shows up here, on both databases."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from configurator.store import Base

    database = Database(database_url)
    try:
        database.upgrade()
        with database.engine.connect() as connection:
            context_ = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context_, Base.metadata)
        assert differences == []
    finally:
        database.dispose()
