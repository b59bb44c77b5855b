"""A shopper's selections checked once, by a marshmallow schema per product version.

What comes out is either usable (in the shopper's order, oldest first) or an error per
field in the shopper's words; the engine only ever sees values it knows.
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from configurator.catalog.model import FILLED, NONE, Product

from . import wording

MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class Checked:
    """Selections that passed (attribute -> option id or typed text, oldest first) and the
    messages for those that did not (attribute -> messages)."""

    selections: dict[str, str]
    errors: dict[str, list[str]]


def schema_for(product: Product) -> Schema:
    """One schema instance per product version: loading keeps no state on it, and building
    one deep-copies every field (a third of a cached request's time)."""
    declared: dict[str, fields.Field] = {}
    for attr in product.attributes:
        if attr.kind == "text":
            too_long = wording.too_long(attr.label, attr.max_length)
            checks = [validate.Length(max=attr.max_length, error=too_long)]
            if attr.pattern:
                checks.append(
                    validate.Regexp(
                        f"(?:{attr.pattern})?\\Z", error=wording.not_allowed_characters(attr.label)
                    )
                )
        else:
            # "none" is a choice only where the shopper may leave the attribute empty
            allowed = [*attr.option_ids, *([NONE] if not attr.required else []), ""]
            # marshmallow puts the refused value in for {input}
            checks = [validate.OneOf(allowed, error=wording.unknown_option(attr.label, "{input}"))]
        declared[attr.id] = fields.String(validate=[validate.Length(max=MAX_VALUE_CHARS), *checks])
    schema = Schema.from_dict(declared, name=f"Selections_{product.id}")(unknown=RAISE)
    # what the schema passes unchanged without a word: a choice attribute's allowed ids
    schema.choices = {
        attr.id: frozenset(
            v
            for v in (*attr.option_ids, *([NONE] if not attr.required else []), "")
            if len(v) <= MAX_VALUE_CHARS
        )
        for attr in product.attributes
        if attr.kind != "text"
    }
    return schema


def check(schema: Schema, raw: dict[str, object]) -> Checked:
    """Usable selections in the given order (empty values dropped) and errors per field.

    Selections that are all allowed option ids (a click's, nearly always) pass as they are,
    as the schema would pass them; anything else (a text, an unknown id) goes through it."""
    choices = schema.choices
    if all(isinstance(v, str) and v in choices.get(k, ()) for k, v in raw.items()):
        return Checked({k: v for k, v in raw.items() if v != ""}, {})
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
                messages = [wording.unknown_attribute(key)]
            errors[key] = (
                [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
            )
    ordered = {k: loaded[k] for k in raw if k in loaded and loaded[k] != ""}
    return Checked(ordered, errors)


def as_values(product: Product, selections: dict[str, str]) -> dict[str, str]:
    """What the engine reasons about: a typed text becomes FILLED, an option stays its id."""
    values = {}
    for attr_id, chosen in selections.items():
        attr = product.attribute(attr_id)
        values[attr_id] = FILLED if attr is not None and attr.kind == "text" else chosen
    return values


def is_shown(value: str | None) -> bool:
    """A value worth naming in a link or a summary (not empty, not a text still to type)."""
    return value not in (None, "", NONE, FILLED)
