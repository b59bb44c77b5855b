"""Domain exceptions and HTTP errors become 4xx pages or JSON in one place; never a traceback."""

from __future__ import annotations

import math
import time

from flask import Flask, abort, current_app, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException, NotFound, TooManyRequests

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

    @app.errorhandler(RateLimitExceeded)
    def too_many(error: RateLimitExceeded):
        """Say when to try again, in words and in Retry-After (Flask-Limiter adds the header)."""
        limit = current_app.extensions["limiter"].current_limit
        wait = max(1, math.ceil(limit.reset_at - time.time())) if limit else 60
        return _respond(
            TooManyRequests(
                f"Too many requests from your address ({error.description}). "
                f"Try again in {wait} second{'s' if wait != 1 else ''}."
            )
        )

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
