"""Cache headers for answers that depend only on a product's catalog version and the URL."""

from __future__ import annotations

from flask import Response, request

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


def versioned(response: Response, etag: str, version: str) -> Response:
    """ETag always; a year and immutable when the URL's `v` names the loaded version, else 5 minutes."""
    response.set_etag(etag)
    versioned_url = request.args.get("v")
    response.headers["Cache-Control"] = (
        IMMUTABLE if versioned_url and versioned_url == version else SHORT
    )
    return response
