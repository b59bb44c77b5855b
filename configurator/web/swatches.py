"""GET /p/<product>/swatches.css?v=<version>: the swatch colours as classes, not inline styles."""

from __future__ import annotations

from flask import Blueprint, Response, request

from configurator.services import swatches

from . import access, context
from .caching import versioned

bp = access.public(Blueprint("swatches", __name__))


@bp.get("/p/<product_id>/swatches.css")
def stylesheet(product_id: str):
    """One rule per swatch (`.swatch-<attribute>-<option>`); immutable when `v` is the version."""
    sheet = swatches.stylesheet(context(), product_id)
    if sheet.etag in request.if_none_match:
        return versioned(Response(status=304), sheet.etag, sheet.version)
    response = Response(sheet.css, mimetype="text/css")
    return versioned(response, sheet.etag, sheet.version)
