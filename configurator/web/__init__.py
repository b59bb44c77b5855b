"""The web layer: the application factory and one blueprint per audience."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_htmx import HTMX

from configurator.config import ROOT, Settings
from configurator.services.catalogs import Catalogs
from configurator.services.previews import make_cache
from configurator.store import Database

htmx = HTMX()


def create_app(test_config: dict | None = None) -> Flask:
    """Wire settings, database, catalog and blueprints; the one place the app is assembled."""
    settings = Settings.from_environ()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_dir),
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        CATALOG_DIR=str(settings.catalog_dir),
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    htmx.init_app(app)
    database = Database(app.config["DATABASE_URL"])
    app.extensions["database"] = database
    app.extensions["catalogs"] = Catalogs(Path(app.config["CATALOG_DIR"]))
    app.extensions["previews"] = make_cache(settings.instance_dir)

    from . import api, errors, preview, shop, tiles

    tiles.register(app)

    app.register_blueprint(shop.bp)
    app.register_blueprint(preview.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    errors.register(app)
    return app


def catalogs() -> Catalogs:
    from flask import current_app

    return current_app.extensions["catalogs"]


def database() -> Database:
    from flask import current_app

    return current_app.extensions["database"]
