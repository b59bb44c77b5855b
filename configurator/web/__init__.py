"""The web layer: the application factory and one blueprint per audience."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app
from flask_htmx import HTMX

from configurator.bootstrap import Context, bootstrap
from configurator.config import ROOT
from configurator.services.catalogs import Catalogs
from configurator.store import Database

htmx = HTMX()


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    """Wire the Context (settings, database, catalog, caches) and the blueprints.

    `test_config` configures the app on its own: its INSTANCE_DIR, DATABASE_URL,
    CATALOG_DIR, SECRET_KEY, ... beat any CONFIGURATOR_* environment variable.
    """
    context = bootstrap(test_config)
    settings = context.settings
    app = Flask(
        __name__,
        instance_path=str(settings.instance_dir),
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
    )
    app.config.update(test_config or {})
    app.config.update(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        CATALOG_DIR=str(settings.catalog_dir),
        INSTANCE_DIR=str(settings.instance_dir),
    )
    htmx.init_app(app)
    app.extensions["configurator"] = context
    app.extensions["database"] = context.database
    app.extensions["catalogs"] = context.catalogs
    app.extensions["previews"] = context.previews

    from . import api, errors, preview, shop

    app.register_blueprint(shop.bp)
    app.register_blueprint(preview.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    errors.register(app)
    return app


def context() -> Context:
    """The current app's Context."""
    return current_app.extensions["configurator"]


def catalogs() -> Catalogs:
    return context().catalogs


def database() -> Database:
    return context().database
