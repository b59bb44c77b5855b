"""The JSON API, /api/v1: products, configure, explain, repair, complete; OpenAPI at /openapi.json.

Each view loads its body with a request schema, calls one service verb and dumps the answer
with a response schema (`api_schemas`); the OpenAPI document is generated from the same
schemas (`openapi`). Every refusal is a 4xx JSON object with a message per field.
"""

from __future__ import annotations

import functools

from flask import Blueprint, current_app, g, jsonify, request, url_for
from marshmallow import Schema, ValidationError

from configurator.catalog.model import FILLED
from configurator.services import designs, saving
from configurator.services.designs import Completion, Described, InvalidSelections

from . import access, context
from . import api_schemas as schemas
from .openapi import operation, spec_for
from .urls import query_for, routes

bp = access.public(Blueprint("api", __name__))
BODIES_CACHED = 2048


class Invalid(Exception):
    def __init__(self, fields: dict):
        super().__init__("invalid")
        self.fields = fields


@bp.errorhandler(Invalid)
def invalid(error: Invalid):
    return jsonify(
        {
            "error": "Unprocessable Entity",
            "message": "The request is not valid.",
            "fields": error.fields,
        }
    ), 422


@bp.errorhandler(InvalidSelections)
def invalid_selections(error: InvalidSelections):
    fields = (
        error.errors if isinstance(error, designs.UnknownOption) else {"selections": error.errors}
    )
    return invalid(Invalid(fields))


@bp.before_request
def known_product():
    """An unknown product is a 404 whatever the body (checked before the body is read)."""
    product_id = (request.view_args or {}).get("product_id")
    if product_id is not None:
        g.product_version = designs.version(context(), product_id)


def _schema(schema: type[Schema]) -> Schema:
    """One instance per schema and app: building one deep-copies its fields."""
    return context().memos.get("api-schemas", 64).get_or_compute(schema, schema)


def _body(schema: type[Schema]) -> dict:
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # a deeply nested body under the size limit
        payload = None
    if not isinstance(payload, dict):
        raise Invalid({"_body": ["Send a JSON object (Content-Type: application/json)."]})
    try:
        return _schema(schema).load(payload)
    except ValidationError as error:
        raise Invalid(error.messages) from None


def _json(schema: type[Schema], body: dict) -> bytes:
    """Encode a response body built to `schema`'s shape (money as strings).

    Built by hand, not by `schema.dump`: dumping a configure answer through marshmallow
    cost as much as computing it (1.3 of 2.9 ms, profiled). The schema stays the contract:
    under `TESTING` every body is loaded back through it (unknown keys, types, required
    fields), and schemathesis checks the bodies against the generated OpenAPI document.
    """
    if current_app.testing:
        _schema(schema).load(body)
    # compact, as Flask's own JSON responses are (its `dumps` alone is not): 40 % less
    # encoding time for a configure answer, and 10 % fewer bytes
    return current_app.json.dumps(body, separators=(",", ":")).encode()


def _respond(body: bytes):
    return current_app.response_class(body, mimetype="application/json")


@bp.get("/products")
@operation("Every product with its base and from-price", response=schemas.ProductList)
def products():
    """Every product with its starting price."""
    listing = designs.listing(context())
    briefs = [_brief(p, listing.from_prices[p.id]) for p in listing.products]
    return _respond(_json(schemas.ProductList, {"products": briefs}))


@bp.get("/products/<product_id>")
@operation("One product: steps, attributes, options, prices, views", response=schemas.ProductInfo)
def product(product_id: str):
    """One product: steps, attributes, options with prices, views."""
    return _respond(_json(schemas.ProductInfo, _product(designs.describe(context(), product_id))))


@bp.post("/products/<product_id>/configure")
@operation(
    "Valid domains (with reasons if asked), the design, prices, SKU, consistency, completeness",
    body="configure",
    response=schemas.Configuration,
)
def configure(product_id: str):
    """Every attribute's values with availability (and, asked, reasons); the design, total, previews."""
    ctx = context()
    body = _body(schemas.ConfigureBody)
    raw, explain = body["selections"], body["explain"]
    key = (product_id, g.product_version, explain, tuple((k, v) for k, v in raw.items()))
    if not all(isinstance(v, str) for v in raw.values()):  # refused below, never cached
        key = None

    def answer() -> bytes:
        design = designs.configure(ctx, product_id, raw, reasons=explain, strict=True)
        return _json(schemas.Configuration, _configuration(design))

    if key is None:
        return _respond(answer())
    return _respond(ctx.memos.get("api-configure", BODIES_CACHED).get_or_compute(key, answer))


@bp.post("/products/<product_id>/explain")
@operation("Why one value cannot be chosen now", body="option", response=schemas.Explained)
def explain(product_id: str):
    """Why one option is unavailable (explanation null when it is available)."""
    body = _body(schemas.OptionBody)
    attribute, option, reason = designs.explain_option(
        context(), product_id, body["selections"], body["attribute"], body["option"]
    )
    explained = {
        "attribute": attribute,
        "option": option,
        "available": reason is None,
        "explanation": _reason(reason),
    }
    return _respond(_json(schemas.Explained, explained))


@bp.post("/products/<product_id>/repair")
@operation(
    "The smallest changes that make a value possible", body="repair", response=schemas.Repaired
)
def repair(product_id: str):
    """The smallest changes that make a wanted option possible, best first."""
    body = _body(schemas.RepairBody)
    attribute, option, plans = designs.repair_option(
        context(), product_id, body["selections"], body["attribute"], body["option"], body["limit"]
    )
    repaired = {"attribute": attribute, "option": option, "repairs": [_repair(p) for p in plans]}
    return _respond(_json(schemas.Repaired, repaired))


@bp.post("/products/<product_id>/complete")
@operation(
    "A complete valid design keeping the selections", body="selections", response=schemas.Completed
)
def complete(product_id: str):
    """A full valid design keeping the selections: defaults first, else the first valid option."""
    raw = _body(schemas.SelectionsBody)["selections"]
    finished: Completion = designs.complete(context(), product_id, raw, strict=True)
    completed = {
        "selections": finished.selections,
        "total": _money(finished.total),
        "currency": finished.currency,
    }
    return _respond(_json(schemas.Completed, completed))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API, generated from its schemas and the loaded catalog."""
    ctx = context()
    listing = designs.describe_all(ctx)
    key = tuple((d.product.id, d.product.version) for d in listing)
    notice = saving.current_notice(ctx).sha256
    spec = ctx.memos.get("openapi", 8).get_or_compute(
        key, lambda: spec_for(current_app, listing, notice_sha256=notice)
    )
    return jsonify(spec)


# -- from service values to response bodies ----------------------------------------------------


def _brief(p, from_price) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "currency": p.currency,
        "base_price": _money(p.base_price),
        "from_price": _money(from_price),
        "views": list(p.views),
        "url": url_for("api.product", product_id=p.id),
    }


def _product(described: Described) -> dict:
    p = described.product
    attributes = []
    for attr in p.attributes:
        item = {
            "id": attr.id,
            "label": attr.label,
            "kind": attr.kind,
            "description": attr.description,
            "required": attr.required,
            "default": attr.default,
            "values": list(described.domains[attr.id]),
        }
        if attr.kind == "text":
            item.update(max_length=attr.max_length, pattern=attr.pattern, price=_money(attr.price))
        else:
            item["options"] = [
                {
                    "id": o.id,
                    "label": o.label,
                    "description": o.description,
                    "price_delta": _money(o.price),
                    "sku": o.sku,
                    "swatch": o.swatch,
                }
                for o in attr.options
            ]
        attributes.append(item)
    steps = [{"id": s.id, "label": s.label, "attributes": list(s.attributes)} for s in p.steps]
    return {
        **_brief(p, described.from_price),
        "description": p.description,
        "version": p.version,
        "steps": steps,
        "attributes": attributes,
    }


def _configuration(design) -> dict:
    """The configure body: depends only on the catalog version and the selections."""
    p = design.product
    kept = design.selections
    states = {state.id: state for state in design.attributes}
    in_design = _design_values(design)
    attributes = []
    for attr in p.attributes:
        state = states[attr.id]
        options = []
        for o in state.options:
            entry = {
                "id": o.id,
                "available": o.available,
                "selectable": o.selectable,
                "price_delta": _money(o.price_delta),
            }
            if not o.selectable and o.reason is not None:  # asked for; else POST .../explain
                entry["explanation"] = _reason(o.reason)
            options.append(entry)
        attributes.append(
            {
                "id": attr.id,
                "selected": kept.get(attr.id),
                "value": in_design.get(attr.id),
                "source": state.source,
                "options": options,
            }
        )
    query = query_for(design.requested)
    return {
        "product": p.id,
        "version": p.version,
        "selections": kept,
        "consistent": design.consistent,
        "complete": design.complete,
        "conflict": _reason(design.conflict),
        "repair": _repair(design.conflict_repair),
        "attributes": attributes,
        "price_lines": [
            {"attribute": line.attribute, "label": line.label, "amount": _money(line.amount)}
            for line in design.price_lines
        ],
        "design": in_design,
        "total": _money(design.total),
        "currency": p.currency,
        "sku": design.sku,
        "bom": [
            {"part": item.part, "quantity": _money(item.quantity), "unit": item.unit}
            for item in design.bom
        ],
        "previews": {view: _preview_url(p, view, query) for view in p.views},
    }


def _design_values(design) -> dict[str, str]:
    """The design as priced: option ids, "none", and the typed texts."""
    typed = design.selections
    return {
        a: typed[a] if v == FILLED else v for a, v in design.design if v != FILLED or a in typed
    }


def _reason(reason) -> dict | None:
    if reason is None:
        return None
    return {
        "text": reason.text,
        "selections": [{"attribute": a, "option": v} for a, v in reason.selections],
        "rules": [{"id": r.id, "message": r.message} for r in reason.rules],
    }


def _repair(plan) -> dict | None:
    if plan is None:
        return None
    return {
        "text": plan.text,
        "changes": [
            {
                "attribute": c.attribute,
                "from": "(text)" if c.old == FILLED else c.old,
                "to": c.new,
            }
            for c in plan.changes
        ],
        "selections": dict(plan.selections),
    }


@functools.lru_cache(maxsize=4096)  # a catalog has few distinct amounts; each body has dozens
def _money(amount) -> str:
    """An exact amount as the catalog wrote it ("229.00"), never through a float."""
    return format(amount, "f")


def _preview_url(p, view: str, query: str) -> str:
    base = routes(context().memos, p)["images"][view]
    return f"{base}?{query}{'&' if query else ''}v={p.version}&w=800"
