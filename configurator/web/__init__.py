"""The web layer: the application factory and one blueprint per audience."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app, g
from flask_compress import Compress
from flask_htmx import HTMX

from configurator.bootstrap import Context, bootstrap, log_catalog_problems
from configurator.config import ROOT
from configurator.services import publishing
from configurator.services.catalogs import Catalogs
from configurator.store import Database

from . import access, headers, keyring, protect
from .application import App
from .templating import Templates

htmx = HTMX()


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    """Wire the Context (settings, database, catalog, caches) and the blueprints.

    `test_config` configures the app on its own: its INSTANCE_DIR, DATABASE_URL,
    CATALOG_DIR, SECRET_KEY, ... beat any CONFIGURATOR_* environment variable.
    """
    context = bootstrap(test_config)
    settings = context.settings
    app = App(
        __name__,
        instance_path=str(settings.instance_dir),
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
    )
    app.jinja_environment = Templates  # before `app.jinja_env` is first built
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
        # HTML, JSON, CSS, JS and SVG (Flask-Compress's text types); never webp/png, already packed
        COMPRESS_ALGORITHM=["br", "gzip"],
        # a click's 23 KB fragment: brotli 1 takes 0.06 ms for 4.3 KB, brotli 4 (the default)
        # 0.25 ms for 3.6 KB; gzip 3 0.14 ms, gzip 6 0.29 ms (measured on this machine)
        COMPRESS_BR_LEVEL=1,
        COMPRESS_LEVEL=3,
        COMPRESS_ALGORITHM_STREAMING=["br", "gzip"],  # static files
    )
    app.config.update(test_config or {})
    app.config.update(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        CATALOG_DIR=str(settings.catalog_dir),
        INSTANCE_DIR=str(settings.instance_dir),
    )
    htmx.init_app(app)
    Compress(app)
    app.after_request(_close_streamed_body)  # runs before Compress's hook: after_request is LIFO
    headers.register(app)
    log_catalog_problems(context.catalogs.catalog, settings.catalog_dir)
    app.extensions["configurator"] = context
    live = publishing.Live(context, poll_s=float(app.config.get("PUBLICATION_POLL_S", 1.0)))
    app.extensions["live"] = live

    @app.before_request
    def newest_catalog():
        """Each request runs on the newest published catalog (checked at most once a second)."""
        g.ctx = live.now()

    app.extensions["database"] = context.database
    app.extensions["catalogs"] = context.catalogs
    app.extensions["previews"] = context.previews

    keyring.register(app, settings.retention_days)
    from . import (
        api,
        api_designs,
        api_staff,
        designs,
        errors,
        orders,
        preferences,
        preview,
        privacy,
        shop,
        staff,
        staff_catalog,
        staff_work,
        swatches,
    )

    assert api_designs.bp is api.bp is api_staff.bp  # their views join the API's blueprint
    assert (
        preferences.bp is designs.bp is privacy.bp is orders.bp
    )  # the shopper's own: one blueprint

    app.register_blueprint(shop.bp)
    app.register_blueprint(designs.bp)
    app.register_blueprint(swatches.bp)
    app.register_blueprint(preview.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    assert staff_work.bp is staff_catalog.bp is staff.bp
    app.register_blueprint(staff.bp)
    errors.register(app)
    app.add_url_rule("/favicon.svg", "favicon", _favicon)
    access.register(app)  # after the blueprints: every view must say who may use it
    protect.register(app, settings.ratelimit_storage_url)  # after the blueprints: it wraps views
    return app


FAVICON = (ROOT / "static" / "favicon.svg").read_bytes()


def _favicon():
    """The icon every page asks for, from memory: browsers fetch it as a page closes, and a
    dropped connection must not leave a file open (werkzeug's dev server did, rarely)."""
    response = current_app.response_class(FAVICON, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


def _close_streamed_body(response):
    """Flask-Compress swaps a streamed body (a static file) for a generator and never closes
    the file: close it with the response."""
    if response.is_streamed and hasattr(response.response, "close"):
        response.call_on_close(response.response.close)
    return response


def context() -> Context:
    """The Context this request runs on (the newest published catalog), else the app's."""
    return g.get("ctx") or current_app.extensions["configurator"]


def catalogs() -> Catalogs:
    return context().catalogs


def database() -> Database:
    return context().database
