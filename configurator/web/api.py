"""The JSON API, /api/v1: products, configure, explain, repair, complete; OpenAPI at /openapi.json.

Request bodies pass a marshmallow schema, then the product's selection schema;
every refusal is a 4xx JSON object with a message per field.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, current_app, jsonify, request, url_for
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from configurator import pricing
from configurator.catalog.model import FILLED, NONE
from configurator.services.designs import apply_repair, query_for
from configurator.services.lru import Lru

from . import catalogs
from .openapi import spec_for
from .selections import parse

bp = Blueprint("api", __name__)


class SelectionsBody(Schema):
    selections = fields.Dict(
        keys=fields.String(validate=validate.Length(max=64)), values=fields.Raw(), load_default=dict
    )


class OptionBody(SelectionsBody):
    attribute = fields.String(required=True, validate=validate.Length(min=1, max=64))
    option = fields.String(required=True, validate=validate.Length(min=1, max=200))


class RepairBody(OptionBody):
    limit = fields.Integer(load_default=3, validate=validate.Range(min=1, max=10))


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


@lru_cache(maxsize=8)
def _loader(schema: type[Schema]) -> Schema:
    """One instance per body schema: building one deep-copies its fields."""
    return schema(unknown=RAISE)


def _body(schema: type[Schema]) -> dict:
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # a deeply nested body under the size limit
        payload = None
    if not isinstance(payload, dict):
        raise Invalid({"_body": ["Send a JSON object (Content-Type: application/json)."]})
    try:
        return _loader(schema).load(payload)
    except ValidationError as error:
        raise Invalid(error.messages) from None


def _selections(engine, body: dict) -> dict[str, str]:
    selections, errors = parse(engine, body.get("selections") or {})
    if errors:
        raise Invalid({"selections": errors})
    return selections


def _option(engine, body: dict) -> tuple[str, str]:
    attr = engine.product.attribute(body["attribute"])
    if attr is None:
        raise Invalid({"attribute": [f"There is no choice called “{body['attribute'][:60]}”."]})
    if (attr.id, body["option"]) not in engine.encoding.lits:
        raise Invalid({"option": [f"{attr.label} has no option “{body['option'][:60]}”."]})
    return attr.id, body["option"]


@bp.get("/products")
def products():
    """Every product with its starting price."""
    return jsonify({"products": [_product_brief(p) for p in catalogs().products]})


@bp.get("/products/<product_id>")
def product(product_id: str):
    """One product: steps, attributes, options with prices, views."""
    engine = catalogs().engine(product_id)
    p = engine.product
    attributes = []
    for attr in p.attributes:
        item = {
            "id": attr.id,
            "label": attr.label,
            "kind": attr.kind,
            "description": attr.description,
            "required": attr.required,
            "default": attr.default,
            "values": list(engine.encoding.domains[attr.id]),
        }
        if attr.kind == "text":
            item.update(max_length=attr.max_length, pattern=attr.pattern, price=str(attr.price))
        else:
            item["options"] = [
                {
                    "id": o.id,
                    "label": o.label,
                    "description": o.description,
                    "price_delta": str(o.price),
                    "sku": o.sku,
                    "swatch": o.swatch,
                }
                for o in attr.options
            ]
        attributes.append(item)
    return jsonify(
        {
            **_product_brief(p),
            "description": p.description,
            "version": p.version,
            "steps": [
                {"id": s.id, "label": s.label, "attributes": list(s.attributes)} for s in p.steps
            ],
            "attributes": attributes,
        }
    )


@bp.post("/products/<product_id>/configure")
def configure(product_id: str):
    """Domains with availability, price deltas and explanations; consistency, completeness, total, previews."""
    engine = catalogs().engine(product_id)
    selections = _selections(engine, _body(SelectionsBody))
    key = (product_id, engine.product.version, tuple(selections.items()))
    body = _configured.get_or_compute(
        key, lambda: current_app.json.dumps(_configuration(engine, selections)).encode()
    )
    return current_app.response_class(body, mimetype="application/json")


# encoded bodies: encoding the JSON cost as much as the rest of a cached request
_configured: Lru[bytes] = Lru(2048)


def _configuration(engine, selections: dict[str, str]) -> dict:
    """The configure response body: depends only on the catalog version and the selections."""
    cfg = engine.configure(selections)
    p = engine.product
    attributes = []
    for attr in p.attributes:
        options = []
        for value, available in cfg.domains[attr.id].items():
            selectable = cfg.selectable(attr.id, value)
            entry = {
                "id": value,
                "available": available,
                "selectable": selectable,
                "price_delta": str(pricing.delta(p, attr.id, value)),
            }
            if not selectable:
                explanation = engine.explain(cfg.selections, attr.id, value)
                entry["explanation"] = _explanation(explanation)
            options.append(entry)
        attributes.append(
            {"id": attr.id, "selected": cfg.selections.get(attr.id), "options": options}
        )
    query = query_for(cfg.selections)
    return {
        "product": p.id,
        "version": p.version,
        "selections": cfg.selections,
        "consistent": cfg.consistent and cfg.conflict is None,
        "complete": cfg.complete,
        "conflict": _explanation(cfg.conflict),
        "repair": _repair(cfg.repair, selections),
        "attributes": attributes,
        "total": str(cfg.total),
        "currency": p.currency,
        "previews": {view: _preview_url(p, view, query) for view in p.views},
    }


@bp.post("/products/<product_id>/explain")
def explain(product_id: str):
    """Why one option is unavailable (explanation null when it is available)."""
    engine = catalogs().engine(product_id)
    body = _body(OptionBody)
    selections = _selections(engine, body)
    attribute, option = _option(engine, body)
    explanation = engine.explain(selections, attribute, option)
    return jsonify(
        {
            "attribute": attribute,
            "option": option,
            "available": explanation is None,
            "explanation": _explanation(explanation),
        }
    )


@bp.post("/products/<product_id>/repair")
def repair(product_id: str):
    """The smallest changes that make a wanted option possible, best first."""
    engine = catalogs().engine(product_id)
    body = _body(RepairBody)
    selections = _selections(engine, body)
    attribute, option = _option(engine, body)
    found = engine.repairs(selections, attribute, option, limit=body["limit"])
    return jsonify(
        {
            "attribute": attribute,
            "option": option,
            "repairs": [_repair(r, selections) for r in found],
        }
    )


@bp.post("/products/<product_id>/complete")
def complete(product_id: str):
    """A full valid design keeping the selections: defaults first, else the first valid option."""
    engine = catalogs().engine(product_id)
    selections = _selections(engine, _body(SelectionsBody))
    design = engine.complete(selections)
    chosen = {k: v for k, v in design.items() if v != NONE}
    return jsonify(
        {
            "selections": chosen,
            "total": str(pricing.total(engine.product, design)),
            "currency": engine.product.currency,
        }
    )


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(spec_for(bp_name="api"))


def _product_brief(p) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "currency": p.currency,
        "base_price": str(p.base_price),
        "views": list(p.views),
        "url": url_for("api.product", product_id=p.id, _external=False),
    }


def _explanation(explanation) -> dict | None:
    if explanation is None:
        return None
    return {
        "text": explanation.text,
        "selections": [{"attribute": a, "option": v} for a, v in explanation.selections],
        "rules": [{"id": r.id, "message": r.message} for r in explanation.rules],
    }


def _repair(found, selections) -> dict | None:
    if found is None:
        return None
    return {
        "text": found.text,
        "changes": [
            {"attribute": a, "from": old if old != FILLED else "(text)", "to": new}
            for a, old, new in found.changes
        ],
        "selections": apply_repair(selections, found),
    }


def _preview_url(p, view: str, query: str) -> str:
    base = url_for("preview.image", product_id=p.id, view=view, fmt="webp")
    return f"{base}?{query}{'&' if query else ''}v={p.version}&w=800"
