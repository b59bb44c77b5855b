"""The JSON API's request and response bodies as marshmallow schemas: the API serialises the
services' values through them and the OpenAPI document is generated from them."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

MAX_ID = 64
MAX_VALUE = 200


def _text(description: str, **kwargs) -> fields.String:
    return fields.String(metadata={"description": description}, **kwargs)


class JsonBoolean(fields.Boolean):
    """A JSON true or false only: marshmallow's Boolean also takes 0, 1, "yes", "on"... which
    the OpenAPI document (type: boolean) does not allow."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Money(fields.Decimal):
    """An exact amount, sent as a string ("229.00") so no client rounds it through a float."""


def _money(description: str, required: bool = True) -> fields.Decimal:
    return Money(
        as_string=True,
        required=required,
        metadata={"description": f"{description}, an exact decimal as a string"},
    )


def _list(schema: type[Schema], description: str) -> fields.List:
    return fields.List(fields.Nested(schema), required=True, metadata={"description": description})


def _nullable(schema: type[Schema], description: str) -> fields.Nested:
    return fields.Nested(
        schema, allow_none=True, required=True, metadata={"description": description}
    )


def _flag(description: str) -> fields.Boolean:
    return fields.Boolean(required=True, metadata={"description": description})


class SelectionValue(fields.Raw):
    """A selection's value: an option id, or a typed text. Loaded as anything so that a
    non-string gets its own message ("Must be a string.") per attribute; documented as a string."""


class Selections(fields.Dict):
    """attribute id -> value. Checked here only for the shape (every key a string of at
    most MAX_ID); the product's own schema checks ids and values next (`services.designs`).
    A body of plain string keys, the usual one, skips marshmallow's per-item fields (the
    result is the same dict); anything else takes their path and gets their messages."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict) and all(
            type(key) is str and len(key) <= MAX_ID for key in value
        ):
            return dict(value)
        return super()._deserialize(value, attr, data, **kwargs)


def _selections(description: str, **kwargs) -> fields.Dict:
    return Selections(
        keys=fields.String(validate=validate.Length(max=MAX_ID)),
        values=SelectionValue(),
        metadata={"description": description},
        **kwargs,
    )


# -- requests --------------------------------------------------------------------------------

SELECTIONS_DOC = (
    "The shopper's choices, attribute id -> option id (or the typed text of a text attribute), "
    "oldest first: repairs keep the most recent choices."
)


class SelectionsBody(Schema):
    class Meta:
        unknown = RAISE

    selections = _selections(SELECTIONS_DOC, load_default=dict)


class ConfigureBody(SelectionsBody):
    explain = JsonBoolean(
        load_default=False,
        metadata={
            "description": "Also say why for every value that cannot be chosen (costs a "
            "solver search per value); by default ask POST .../explain for the one you show"
        },
    )


class OptionBody(SelectionsBody):
    attribute = _text(
        "The attribute asked about", required=True, validate=validate.Length(min=1, max=MAX_ID)
    )
    option = _text(
        "One of the attribute's values (an option id, 'none' or 'filled')",
        required=True,
        validate=validate.Length(min=1, max=MAX_VALUE),
    )


class RepairBody(OptionBody):
    limit = fields.Integer(
        strict=True,  # a JSON integer only: a string such as "٣" or "３" would pass int()
        load_default=3,
        validate=validate.Range(min=1, max=10),
        metadata={"description": "At most this many repairs, best first"},
    )


# -- responses -------------------------------------------------------------------------------


class Error(Schema):
    error = _text("The HTTP status name", required=True)
    message = _text("What went wrong, in words", required=True)
    fields = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Messages per refused field (nested for nested fields)"},
    )  # documented as the recursive FieldErrors (openapi.py): marshmallow cannot say it


class Step(Schema):
    id = _text("Step id", required=True)
    label = _text("Step title", required=True)
    attributes = fields.List(
        fields.String(), required=True, metadata={"description": "Attribute ids in the step"}
    )


class OptionInfo(Schema):
    id = _text("Option id", required=True)
    label = _text("Option label", required=True)
    description = _text("Longer description", required=True)
    price_delta = _money("What the option adds to the base price")
    sku = _text("The option's SKU code", required=True)
    swatch = _text("CSS colour of the option's swatch", allow_none=True, required=True)


class AttributeInfo(Schema):
    id = _text("Attribute id", required=True)
    label = _text("Attribute label", required=True)
    kind = _text("choice or text", required=True, validate=validate.OneOf(["choice", "text"]))
    description = _text("What the attribute is", required=True)
    required = _flag("Must be chosen (or typed)")
    default = _text("The pre-selected option id", allow_none=True, required=True)
    values = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Every value: option ids, 'none' when it may be empty, 'filled' for a typed text"
        },
    )
    options = fields.List(
        fields.Nested(OptionInfo), metadata={"description": "Choice attributes: the options"}
    )
    max_length = fields.Integer(metadata={"description": "Text attributes: most characters"})
    pattern = _text(
        "Text attributes: the characters allowed (a regular expression)", allow_none=True
    )
    price = _money("Text attributes: what a filled text adds", required=False)


class ProductBrief(Schema):
    id = _text("Product id", required=True)
    name = _text("Product name", required=True)
    currency = _text("ISO 4217 currency of every amount", required=True)
    base_price = _money("The price before any option")
    from_price = _money("The price of the cheapest valid design")
    views = fields.List(fields.String(), required=True, metadata={"description": "Preview views"})
    url = _text("This product's API address", required=True)


class ProductList(Schema):
    products = _list(ProductBrief, "Every product that loaded")


class ProductInfo(ProductBrief):
    description = _text("What the product is", required=True)
    version = _text(
        "Catalog version (a content hash); changes when the product's YAML changes", required=True
    )
    steps = _list(Step, "The steps, in order")
    attributes = _list(AttributeInfo, "Every attribute, in catalog order")


class Chosen(Schema):
    attribute = _text("Attribute id", required=True)
    option = _text("Value ('filled' for a typed text)", required=True)


class RuleRef(Schema):
    id = _text("Rule id in the catalog", required=True)
    message = _text("The rule's message, as the catalog words it", required=True)


class Explanation(Schema):
    text = _text("Why, in words", required=True)
    selections = _list(Chosen, "The selections involved")
    rules = _list(RuleRef, "The rules involved")


class Change(Schema):
    attribute = _text("Attribute to change", required=True)
    from_ = _text(
        "Its value now ('(text)' for a typed text)", data_key="from", allow_none=True, required=True
    )
    to = _text("The value to change to; null: clear it", allow_none=True, required=True)


class Repair(Schema):
    text = _text("The repair, in words", required=True)
    changes = _list(Change, "What to change")
    selections = _selections("The selections once repaired: send them to configure", required=True)


class OptionState(Schema):
    id = _text("A value of the attribute", required=True)
    available = fields.Boolean(
        required=True,
        metadata={"description": "Some valid design keeps every selection and has this value"},
    )
    selectable = fields.Boolean(
        required=True,
        metadata={"description": "Can be picked now (a selected attribute may switch to it)"},
    )
    price_delta = _money("What the value adds to the base price")
    explanation = fields.Nested(
        Explanation,
        allow_none=True,
        metadata={
            "description": "Only when not selectable and the body asked to `explain`: why. "
            "How to get it: POST .../repair with this attribute and option"
        },
    )


class AttributeState(Schema):
    id = _text("Attribute id", required=True)
    selected = _text(
        "The shopper's selection in effect (option id or typed text)",
        allow_none=True,
        required=True,
    )
    value = _text(
        "The value in the design: the selection, else the one value left, else the suggestion "
        "(the catalog's default where it fits); 'none' for no option; null for an untyped text",
        allow_none=True,
        required=True,
    )
    source = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(["chosen", "forced", "suggested"]),
        metadata={"description": "Where `value` comes from: the shopper, the rules, or us"},
    )
    options = _list(OptionState, "Every value of the attribute, in catalog order")


class PriceLine(Schema):
    attribute = _text("Attribute id", required=True)
    label = _text("What the line is for", required=True)
    amount = _money("Amount")


class BomLine(Schema):
    part = _text("Part number", required=True)
    quantity = Money(
        as_string=True,
        required=True,
        metadata={"description": "How many, an exact decimal as a string"},
    )
    unit = _text("Unit of the quantity", required=True)


class Configuration(Schema):
    product = _text("Product id", required=True)
    version = _text("Catalog version the answer was computed under", required=True)
    selections = _selections("The selections in effect", required=True)
    consistent = _flag("The selections fit together")
    complete = _flag("The design (selections and suggestions) is valid and whole, texts typed")
    conflict = _nullable(Explanation, "Why the selections clash")
    repair = _nullable(Repair, "The best repair of the clash")
    attributes = _list(AttributeState, "Every attribute, in catalog order")
    price_lines = _list(PriceLine, "What adds to the base price, in attribute order")
    design = _selections(
        "The design priced and previewed: the selections, then a suggestion for every other "
        "attribute",
        required=True,
    )
    total = _money("The price of `design`")
    currency = _text("ISO 4217 currency of every amount", required=True)
    sku = _text("When complete: the design's full SKU", allow_none=True, required=True)
    bom = _list(BomLine, "When complete: every part, summed")
    previews = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "View -> preview image URL"},
    )


class Explained(Schema):
    attribute = _text("Attribute id", required=True)
    option = _text("Value asked about", required=True)
    available = _flag("Can be picked with these selections")
    explanation = _nullable(Explanation, "Why not (null when it can be chosen)")


class Repaired(Schema):
    attribute = _text("Attribute id", required=True)
    option = _text("Value wanted", required=True)
    repairs = _list(Repair, "Best first")


class Completed(Schema):
    selections = _selections(
        "A complete valid design: the selections, then what was added", required=True
    )
    total = _money("Its price")
    currency = _text("ISO 4217 currency", required=True)
