"""Migrations and the catalog version record on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect, select

from configurator.store import CatalogVersion, Database


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
