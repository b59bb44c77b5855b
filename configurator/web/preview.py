"""GET /preview/<product>/<view>.<png|webp>?<selections>&w=<width>: the picture of a design."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from configurator.services import designs, previews

from . import context
from .urls import MAX_QUERY_BYTES, selections_from

bp = Blueprint("preview", __name__)
RESERVED = ("w", "v")


@bp.get("/preview/<product_id>/<view>.<fmt>")
def image(product_id: str, view: str, fmt: str):
    """Deterministic bytes; ETag from catalog version + normalised design; immutable when versioned."""
    if len(request.query_string) > MAX_QUERY_BYTES:
        return _refuse(414, f"The address is too long (over {MAX_QUERY_BYTES // 1024} KB).")
    ctx = context()
    width_text = request.args.get("w", "800")
    if not width_text.isdigit() or int(width_text) not in previews.WIDTHS:
        return _refuse(400, f"w must be one of {', '.join(map(str, previews.WIDTHS))}.")
    raw = selections_from(request.args, reserved=RESERVED)
    try:
        planned = previews.plan(ctx, product_id, raw, view, int(width_text), fmt)
        if planned.etag in request.if_none_match:
            return _with_caching(Response(status=304), planned.etag, planned.product.version)
        found = previews.fetch(ctx.previews, planned)
    except designs.InvalidSelections as invalid:
        return _refuse(422, "Some selections are not valid.", invalid.errors)
    except previews.PreviewRefused as refused:
        return _refuse(422, str(refused))
    response = Response(found.body, mimetype=found.media_type)
    response.headers["X-Render-Source"] = found.source
    return _with_caching(response, found.etag, planned.product.version)


def _with_caching(response: Response, etag: str, version: str) -> Response:
    response.set_etag(etag)
    versioned = request.args.get("v")
    if versioned and versioned == version:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _refuse(status: int, message: str, fields: dict | None = None):
    body = {"error": "Bad preview request", "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    return response
