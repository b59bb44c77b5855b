"""Selections from a query string or JSON body, validated by a marshmallow schema per product.

The shop is lenient (bad selections are dropped and shown as problems, so an old
link still opens); the API and the preview are strict (422 with a message per field).
"""

from __future__ import annotations

from functools import lru_cache

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from configurator.engine import Engine
from configurator.services.designs import ORDER  # reserved: attribute ids never start with "_"

MAX_QUERY_BYTES = 8 * 1024
MAX_VALUE_CHARS = 200


@lru_cache(maxsize=64)
def _schema(engine: Engine) -> Schema:
    """One instance per engine: loading keeps no state on it, and building one deep-copies
    every field (a third of a cached request's time)."""
    return _schema_class(engine)(unknown=RAISE)


def _schema_class(engine: Engine) -> type[Schema]:
    product = engine.product
    declared: dict[str, fields.Field] = {}
    for attr in product.attributes:
        domain = engine.encoding.domains[attr.id]
        if attr.kind == "text":
            checks = [
                validate.Length(
                    max=attr.max_length, error=f"{attr.label} takes at most {{max}} characters."
                )
            ]
            if attr.pattern:
                checks.append(
                    validate.Regexp(
                        f"(?:{attr.pattern})?\\Z",
                        error=f"{attr.label} contains characters that are not allowed.",
                    )
                )
        else:
            allowed = [v for v in domain if v != "filled"] + [""]
            checks = [validate.OneOf(allowed, error=f"{attr.label} has no option “{{input}}”.")]
        declared[attr.id] = fields.String(validate=[validate.Length(max=MAX_VALUE_CHARS), *checks])
    return Schema.from_dict(declared, name=f"Selections_{product.id}")


def parse(engine: Engine, raw: dict[str, object]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(usable selections in the given order without empty values, errors per field)."""
    schema = _schema(engine)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, object] = {}
    for key, value in raw.items():
        if not isinstance(value, str):
            errors[key] = ["Must be a string."]
            continue
        cleaned[key] = value
    try:
        loaded = schema.load(cleaned)
    except ValidationError as error:
        loaded = error.valid_data or {}
        for key, messages in error.messages.items():
            if messages == ["Unknown field."]:
                messages = [f"There is no choice called “{key[:60]}”."]
            errors[key] = (
                [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
            )
    ordered = {k: loaded[k] for k in raw if k in loaded and loaded[k] != ""}
    return ordered, errors


def from_query(
    engine: Engine, args, reserved: tuple[str, ...] = ()
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Selections from request.args: the last value of each key wins.

    Keys starting with "_" are the page's own (`_order`, `_view`, `_focus`). `_order`
    lists the choices oldest first; keys it does not name are newer (a choice made
    with JavaScript off) and go last, so repairs keep them.
    """
    raw: dict[str, object] = {}
    for key in args:
        if key in reserved or key.startswith("_"):
            continue
        values = args.getlist(key)
        raw[key] = values[-1] if values else ""
    order = [k for k in (args.get(ORDER) or "").split(",") if k in raw]
    if order:
        raw = {**{k: raw[k] for k in order}, **{k: raw[k] for k in raw if k not in order}}
    return parse(engine, raw)
