"""Domain exceptions and HTTP errors become 4xx pages or JSON in one place; never a traceback."""

from __future__ import annotations

from flask import Flask, abort, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, NotFound

from configurator.services.catalogs import UnknownProduct
from configurator.services.saving import NotFound as NoSuchLink

from .urls import MAX_QUERY_BYTES


def register(app: Flask) -> None:
    @app.before_request
    def limit_query():
        """Every URL, not only the shop's: the same limit gunicorn.conf.py serves with."""
        if len(request.query_string) > MAX_QUERY_BYTES:
            abort(414, f"The address is too long (over {MAX_QUERY_BYTES // 1024} KB).")

    @app.errorhandler(UnknownProduct)
    def unknown_product(error: UnknownProduct):
        return _respond(NotFound(f"There is no product called “{error.args[0]}”."))

    @app.errorhandler(NoSuchLink)
    def no_such_link(_error: NoSuchLink):
        # unknown, revoked and expired links alike: a plain 404, no hint which
        return _respond(NotFound())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _respond(error)


def _respond(error: HTTPException):
    code = error.code or 500
    # the exception's own headers (Allow on a 405) but not its HTML content type
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if request.path.startswith(("/api/", "/preview/")):
        return jsonify({"error": error.name, "message": error.description}), code, headers
    return render_template("error.html", error=error), code, headers
