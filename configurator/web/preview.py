"""GET /preview/<product>/<view>.<png|webp>?<selections>&w=<width>: the picture of a design."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from configurator.services import designs, previews

from . import access, context
from .caching import versioned
from .numbers import ascii_int
from .urls import PREFER, selections_from, suggestions_from

bp = access.public(Blueprint("preview", __name__))
RESERVED = ("w", "v")


@bp.get("/preview/<product_id>/<view>.<fmt>")
def image(product_id: str, view: str, fmt: str):
    """Deterministic bytes; ETag from catalog version + normalised design; immutable when versioned."""
    ctx = context()
    width = ascii_int(request.args.get("w", "800"), most_digits=4)
    if width not in previews.WIDTHS:
        return _refuse(400, f"w must be one of {', '.join(map(str, previews.WIDTHS))}.")
    raw = selections_from(request.args, reserved=RESERVED)
    try:
        # the options the page pre-selected from declared preferences, drawn as it shows them
        prefer = suggestions_from(request.args.get(PREFER, "")[:2000])
        planned = previews.plan(ctx, product_id, raw, view, width, fmt, prefer)
        if planned.etag in request.if_none_match:
            return versioned(Response(status=304), planned.etag, planned.product.version)
        found = previews.fetch(ctx.previews, planned)
    except designs.InvalidSelections as invalid:
        return _refuse(422, "Some selections are not valid.", invalid.errors)
    except previews.PreviewRefused as refused:
        return _refuse(422, str(refused))
    response = Response(found.body, mimetype=found.media_type)
    response.headers["X-Render-Source"] = found.source
    return versioned(response, found.etag, planned.product.version)


def _refuse(status: int, message: str, fields: dict | None = None):
    body = {"error": "Bad preview request", "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    return response
