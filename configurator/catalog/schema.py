"""Marshmallow schemas for one catalog file: shape and value checks, then the frozen dataclasses.

Cross-references (a rule naming an attribute, a layer naming a view) need the whole
file and are checked afterwards by `checks` and `rules`; table rows are checked by
`tables` without marshmallow because there can be hundreds of thousands of them.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, post_load, validates_schema
from marshmallow.decorators import VALIDATES_SCHEMA
from marshmallow.validate import Length

from .drafts import ProductHead, RuleDraft, StepDraft, TableSpec
from .fields import (
    RESERVED_VALUES,
    CatalogField,
    Checks,
    Choice,
    Colour,
    Condition,
    Currency,
    Flag,
    Fraction,
    Id,
    ListOf,
    Money,
    Nest,
    Quantity,
    RelativePath,
    Rows,
    Text,
    Whole,
)
from .model import NOWHERE, Attribute, BomLine, Layer, Option, Rule, Source, Step, TextStyle
from .problems import REQUIRED, UNKNOWN_KEY
from .yamlnodes import YamlMap

EFFECTS = ("gloss", "matte", "satin")
KINDS = ("choice", "text")
RULE_KINDS = ("requires", "excludes", "table", "applies")
TEXT_ONLY_KEYS = ("max_length", "pattern", "price", "sku", "text")
NOT_EMPTY = Length(min=1, error="must not be empty")


def _present(data: dict) -> dict:
    """Keys given a value; an explicit null means 'use the default'."""
    return {key: value for key, value in data.items() if value is not None}


def _source(original) -> Source:
    return original.source if isinstance(original, YamlMap) else NOWHERE


def _value_source(original, key: str) -> Source:
    return original.value_source(key) if isinstance(original, YamlMap) else NOWHERE


class Strict(Schema):
    """Base schema: unknown keys are errors (reported with a did-you-mean), never dropped.

    Subclasses say what to build in `make(data, original)`. A schema without
    schema-level validators first tries a fast path that runs the same fields
    without marshmallow's bookkeeping; on any doubt (an unknown or missing key, a
    field error) it loads again the full way, so the problems reported are the same.
    Catalogs hold tens of thousands of options and layers; this halves their cost.
    """

    error_messages = {"type": "must be a mapping (key: value lines)", "unknown": UNKNOWN_KEY}

    class Meta:
        unknown = RAISE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fast = not self._hooks[VALIDATES_SCHEMA]
        self._by_key = {
            (f.data_key or n): (f.attribute or n, f, _direct(f))
            for n, f in self.load_fields.items()
        }
        self._required = {(f.data_key or n) for n, f in self.load_fields.items() if f.required}

    def load(self, data, *, many=None, partial=None, unknown=None):
        if self._fast and type(data) is YamlMap and many is None:
            built = self._load_fast(data)
            if built is not None:
                return built
        return super().load(data, many=many, partial=partial, unknown=unknown)

    def _load_fast(self, data: YamlMap):
        if not self._required <= data.keys():
            return None
        values = {}
        try:
            for key, value in data.items():
                name, field, direct = self._by_key[key]
                if direct and value is not None:  # our own field, nothing else to run
                    values[name] = field._deserialize(value, key, data)
                else:
                    values[name] = field.deserialize(value, key, data)
            return self.make(values, data)
        except (KeyError, ValidationError):
            return None

    @post_load(pass_original=True)
    def _build(self, data, original, **kwargs):
        return self.make(data, original)

    def make(self, data: dict, original):
        """Build what this mapping stands for from its validated values."""
        return data


def _direct(field) -> bool:
    """Whether the fast path may call the field's own `_deserialize`: ours, no validators or hooks."""
    return isinstance(field, CatalogField) and not (
        field.validators or field.pre_load or field.post_load
    )


def known_keys(schema: Schema, path: tuple) -> list[str]:
    """The keys the schema expects at `path` (list indices skipped), for did-you-mean hints."""
    for step in path:
        if isinstance(step, int):
            continue
        field = next((f for n, f in schema.load_fields.items() if (f.data_key or n) == step), None)
        field = getattr(field, "inner", field)
        if not isinstance(field, Nest):
            return []
        schema = field.schema
    return [f.data_key or name for name, f in schema.load_fields.items()]


class LayerSchema(Strict):
    view = Text(required=True)
    order = Whole(required=True)
    image = RelativePath(allow_none=True)
    tint = Flag(allow_none=True)
    effect = Choice(EFFECTS, allow_none=True)
    opacity = Fraction(allow_none=True)

    def make(self, data, original):
        has_image, has_effect = data.get("image") is not None, data.get("effect") is not None
        if has_image and has_effect:
            raise ValidationError("a layer has an image or an effect, not both")
        if not has_image and not has_effect:
            raise ValidationError("a layer needs an image or an effect")
        written = "image" if has_image else "effect"
        return Layer(**_present(data), source=_value_source(original, written))


class BomSchema(Strict):
    part = Text(required=True)
    quantity = Quantity(required=True)
    unit = Text(allow_none=True)

    def make(self, data, original):
        return BomLine(**_present(data))


class OptionSchema(Strict):
    id = Id(required=True, reserved=RESERVED_VALUES)
    label = Text(required=True)
    description = Text(allow_empty=True, allow_none=True)
    price = Money(allow_none=True)
    sku = Text(allow_empty=True, allow_none=True)
    swatch = Colour()
    layers = ListOf(Nest(LayerSchema), allow_none=True)
    bom = ListOf(Nest(BomSchema), allow_none=True)
    replaces = ListOf(Id(), allow_none=True)
    checks = Checks(allow_none=True)

    def make(self, data, original):
        data = _present(data)
        data["layers"] = tuple(data.get("layers", ()))
        data["bom"] = tuple(data.get("bom", ()))
        data["replaces"] = tuple(data.get("replaces", ()))
        return Option(**data, source=_source(original))


class TextStyleSchema(Strict):
    view = Text(required=True)
    x = Whole(required=True)
    y = Whole(required=True)
    size = Whole(required=True, minimum=1)
    colour = Colour()
    order = Whole(allow_none=True)

    def make(self, data, original):
        return TextStyle(**_present(data), source=_value_source(original, "x"))


class AttributeSchema(Strict):
    id = Id(required=True)
    label = Text(required=True)
    kind = Choice(KINDS, allow_none=True)
    description = Text(allow_empty=True, allow_none=True)
    required = Flag(allow_none=True)
    default = Text(allow_none=True)
    none_label = Text(allow_none=True)
    options = ListOf(Nest(OptionSchema))
    max_length = Whole(minimum=1, maximum=200)
    pattern = Text()
    price = Money(allow_none=True)
    sku = Text(allow_empty=True, allow_none=True)
    text_styles = ListOf(Nest(TextStyleSchema), data_key="text", allow_none=True)
    checks = Checks(allow_none=True)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _keys_fit_kind(self, data, original, **kwargs):
        if not isinstance(original, dict):
            return
        kind = original.get("kind") or "choice"
        errors = {}
        if kind == "text":
            for key in ("options", "default"):
                if key in original:
                    errors[key] = ["text attributes have none; remove it"]
            if "max_length" not in original:
                errors["max_length"] = [REQUIRED]
        elif kind == "choice":
            for key in TEXT_ONLY_KEYS:
                if key in original:
                    errors[key] = [
                        "is only for text attributes (choice attributes price each option)"
                    ]
            if "checks" in original:
                errors["checks"] = [
                    "is only for text attributes (a choice attribute's checks go on its options)"
                ]
            if "options" not in original:
                errors["options"] = [REQUIRED]
            elif original["options"] == []:
                errors["options"] = ["a choice attribute needs at least one option"]
        if "none_label" in original and (kind != "choice" or original.get("required") is not False):
            errors["none_label"] = [
                "is only for optional choice attributes (required: false): "
                "it names the choice of none of the options"
            ]
        if errors:
            raise ValidationError(errors)

    def make(self, data, original):
        data = _present(data)
        data["options"] = tuple(data.get("options", ()))
        data["text_styles"] = tuple(data.get("text_styles", ()))
        return Attribute(**data, source=_source(original))


class StepSchema(Strict):
    id = Id(required=True)
    label = Text(required=True)
    attributes = ListOf(Text(), required=True, validate=NOT_EMPTY)

    def make(self, data, original):
        return StepDraft(
            Step(data["id"], data["label"], tuple(data["attributes"])), _source(original)
        )


class RequiresSchema(Strict):
    when = Condition(required=True)
    then = Condition(required=True)


class AppliesSchema(Strict):
    attribute = Text(required=True)
    when = Condition(required=True)


class TableSchema(Strict):
    attributes = ListOf(Text(), required=True, validate=NOT_EMPTY)
    mode = Choice(("allowed", "forbidden"), allow_none=True)
    rows = Rows(allow_none=True)
    rows_file = RelativePath(allow_none=True)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _has_rows(self, data, original, **kwargs):
        if isinstance(original, dict) and "rows" not in original and "rows_file" not in original:
            raise ValidationError("a table needs rows, rows_file or both")

    def make(self, data, original):
        return TableSpec(
            attributes=tuple(data["attributes"]),
            allowed=data.get("mode") != "forbidden",
            rows=data.get("rows"),
            rows_file=data.get("rows_file"),
            source=_source(original),
        )


class RuleSchema(Strict):
    id = Id(required=True)
    message = Text(required=True)
    requires = Nest(RequiresSchema)
    excludes = Condition()
    table = Nest(TableSchema)
    applies = Nest(AppliesSchema)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _one_kind(self, data, original, **kwargs):
        if not isinstance(original, dict):
            return
        kinds = [kind for kind in RULE_KINDS if kind in original]
        if not kinds:
            raise ValidationError("a rule needs one of requires, excludes, table or applies")
        if len(kinds) > 1:
            raise ValidationError(
                f"a rule has exactly one kind, this one has {' and '.join(kinds)}: split it"
            )

    def make(self, data, original):
        common = {"id": data["id"], "message": data["message"], "source": _source(original)}
        if "requires" in data:
            when, then = data["requires"]["when"], data["requires"]["then"]
            return RuleDraft(Rule(kind="requires", when=when, then=then, **common))
        if "excludes" in data:
            return RuleDraft(Rule(kind="excludes", when=data["excludes"], **common))
        if "applies" in data:
            applies = data["applies"]
            rule = Rule(
                kind="applies", when=applies["when"], attribute=applies["attribute"], **common
            )
            return RuleDraft(rule)
        table = data["table"]
        rule = Rule(kind="table", attributes=table.attributes, allowed=table.allowed, **common)
        return RuleDraft(rule, table)


class ProductSchema(Strict):
    id = Id(required=True)
    name = Text(required=True)
    description = Text(allow_empty=True, allow_none=True)
    currency = Currency(required=True)
    base_price = Money(required=True, negative=False)
    sku = Text(allow_empty=True, allow_none=True)
    views = ListOf(Id(), required=True, validate=NOT_EMPTY)
    checks = Checks(allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def _views_unique(self, data, **kwargs):
        views = data.get("views") or []
        repeated = {view: index for index, view in enumerate(views) if views.index(view) != index}
        if repeated:
            raise ValidationError(
                {"views": {i: [f"view '{v}' is listed twice"] for v, i in repeated.items()}}
            )

    def make(self, data, original):
        data = _present(data)
        data["views"] = tuple(data["views"])
        return ProductHead(**data, source=_source(original))


class FileSchema(Strict):
    product = Nest(ProductSchema, required=True)
    steps = ListOf(Nest(StepSchema), allow_none=True)
    attributes = ListOf(Nest(AttributeSchema), required=True, validate=NOT_EMPTY)
    rules = ListOf(Nest(RuleSchema), allow_none=True)


FILE_SCHEMA = FileSchema()
