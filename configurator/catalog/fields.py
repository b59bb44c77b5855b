"""Marshmallow fields for catalog values: strict about what YAML typed, plain-spoken when wrong.

Values arrive from `yamlnodes`: plain `str` for strings, a `YamlScalar` (the source
text) for numbers, booleans and dates, None for null. Keeping the text means a price
written as `12.10` becomes Decimal("12.10") without ever passing through a float.
"""

from __future__ import annotations

import re
from decimal import Decimal

from marshmallow import ValidationError, fields

from .problems import REQUIRED, did_you_mean
from .yamlnodes import YamlBool, YamlFloat, YamlInt, YamlList, describe

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
ID_MAX = 64
RESERVED_VALUES = ("none", "filled", "*")
_AMOUNT = re.compile(r"[+-]?\d+(\.\d+)?")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_WHOLE = re.compile(r"[+-]?\d+")
_COLOUR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_CURRENCY = re.compile(r"[A-Z]{3}")
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:")


class CatalogField(fields.Field):
    """Base: our wording for the messages marshmallow writes itself."""

    default_error_messages = {
        "required": REQUIRED,
        "null": "is empty",
        "validator_failed": "is not valid",
    }


class Text(CatalogField):
    """Any scalar, kept as the text the merchandiser typed (so `yes` stays "yes")."""

    def __init__(self, *, allow_empty: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.allow_empty = allow_empty

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str):
            raise ValidationError(f"must be text, not {describe(value)}")
        text = str(value).strip()
        if not text and not self.allow_empty:
            raise ValidationError("is empty")
        return text


class Id(Text):
    """An identifier: lower-case letters, digits, '-' and '_', at most 64 characters."""

    def __init__(self, *, reserved: tuple[str, ...] = (), **kwargs):
        super().__init__(**kwargs)
        self.reserved = reserved

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        check_id(text)
        if text in self.reserved:
            raise ValidationError(
                f"'{text}' is reserved (it means no value or any value); pick another id"
            )
        return text


def check_id(text: str) -> None:
    """Raise ValidationError if `text` is not a valid id."""
    if len(text) > ID_MAX:
        raise ValidationError(
            f"'{text[:24]}...' is too long for an id (at most {ID_MAX} characters)"
        )
    if not ID_PATTERN.fullmatch(text):
        raise ValidationError(
            f"'{text}' is not a valid id: use lower-case letters, digits, '-' and '_',"
            " starting with a letter or digit"
        )


class Choice(Text):
    """One word out of a fixed list (kind, effect, mode)."""

    def __init__(self, choices: tuple[str, ...], **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in self.choices:
            hint = did_you_mean(text, self.choices) or f" (one of: {', '.join(self.choices)})"
            raise ValidationError(f"'{text}' is not allowed{hint}")
        return text


class RelativePath(Text):
    """A file path relative to the catalog file's folder, never leaving it."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\\" in text:
            raise ValidationError(f"'{text}': write paths with '/', not '\\'")
        if text.startswith("/") or _WINDOWS_DRIVE.match(text):
            raise ValidationError(
                f"'{text}' must be relative to the catalog file's folder, not absolute"
            )
        if ".." in text.split("/"):
            raise ValidationError(f"'{text}' must stay inside the catalog file's folder (no '..')")
        return text


class Whole(CatalogField):
    """A whole number, optionally within bounds."""

    def __init__(self, *, minimum: int | None = None, maximum: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = maximum

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        number = to_int(value)
        if number is None:
            raise ValidationError(f"must be a whole number, not {describe(value)}")
        low, high = self.minimum, self.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            if high is None:
                raise ValidationError(f"must be at least {low}, not {number}")
            raise ValidationError(f"must be between {low} and {high}, not {number}")
        return number


def to_int(value) -> int | None:
    """The int a YAML int (or a quoted run of digits) stands for; None if it is not one."""
    if not isinstance(value, str) or isinstance(value, YamlBool | YamlFloat):
        return None
    text = str(value).strip()
    if _WHOLE.fullmatch(text):
        return int(text)
    if isinstance(value, YamlInt):  # 0x1f, 0o17, 1_000 ...
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return None
    return None


class Flag(CatalogField):
    """true or false (YAML's yes/no/on/off count too)."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if isinstance(value, YamlBool):
            return value.lower() in ("true", "yes", "on")
        raise ValidationError(f"must be true or false, not {describe(value)}")


class Fraction(CatalogField):
    """A number from 0 to 1 (opacity)."""

    def _deserialize(self, value, attr, data, **kwargs) -> float:
        text = str(value).strip() if isinstance(value, str) else ""
        if isinstance(value, YamlBool) or not _NUMBER.fullmatch(text):
            raise ValidationError(f"must be a number from 0 to 1, not {describe(value)}")
        number = float(text)
        if not 0.0 <= number <= 1.0:
            raise ValidationError(f"must be a number from 0 to 1, not {text}")
        return number


class Money(CatalogField):
    """An exact amount with at most 2 decimals, built from the source text, never a float."""

    def __init__(self, *, negative: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.negative = negative

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        amount = to_decimal(value)
        text = str(value).strip()
        if amount.as_tuple().exponent < -2:
            raise ValidationError(f"'{text}' has more than 2 decimals")
        if amount < 0 and not self.negative:
            raise ValidationError(f"must not be negative ({text})")
        return amount


def to_decimal(value) -> Decimal:
    """Parse an amount written as digits with an optional dot; ValidationError otherwise."""
    if not isinstance(value, str) or isinstance(value, YamlBool):
        raise ValidationError(f"must be an amount like 12.50, not {describe(value)}")
    text = str(value).strip()
    if _AMOUNT.fullmatch(text):
        return Decimal(text)
    if text.lower().lstrip("+-.") in ("nan", "inf", "infinity"):
        raise ValidationError(f"'{text}' is not an amount")
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        raise ValidationError(f"'{text}' is not an amount: use a dot for decimals, like 12.50")
    raise ValidationError(
        f"'{text}' is not an amount: write digits with at most 2 decimals, like 12.50"
    )


class Quantity(CatalogField):
    """A positive exact number (bill-of-materials quantities)."""

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        amount = to_decimal(value)
        if amount <= 0:
            raise ValidationError(f"must be more than 0, not {str(value).strip()}")
        return amount


class Colour(Text):
    """#rgb or #rrggbb; an empty value is almost always an unquoted '#' read as a comment."""

    default_error_messages = {
        "null": 'is empty: quote colours, like "#2b2b2b" (an unquoted # starts a comment)'
    }

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not _COLOUR.fullmatch(text):
            raise ValidationError(
                f"'{text}' is not a colour: write #rgb or #rrggbb, like \"#2b2b2b\""
            )
        return text


class Currency(Text):
    """An ISO 4217 code: three capitals."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not _CURRENCY.fullmatch(text):
            raise ValidationError(
                f"'{text}' is not a currency code: write three capitals, like EUR"
            )
        return text


class Condition(CatalogField):
    """{attribute: value or [values]} -> ((attribute, (values...)), ...) in the order written."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError(
                f"must be a mapping of attribute: value, like {{visor: clear}}, not {describe(value)}"
            )
        if not value:
            raise ValidationError("names no attribute")
        condition = []
        errors: dict = {}
        for attribute, written in value.items():
            try:
                condition.append((attribute, condition_values(written)))
            except ValidationError as error:
                errors[attribute] = error.messages
        if errors:
            raise ValidationError(errors)
        return tuple(condition)


def condition_values(written) -> tuple[str, ...]:
    """The values of one attribute in a condition: a word, or a non-empty list of words."""
    if isinstance(written, YamlList | list):
        if not written:
            raise ValidationError("lists no values")
        errors = {i: [_value_problem(v)] for i, v in enumerate(written) if _value_problem(v)}
        if errors:
            raise ValidationError(errors)
        return tuple(dict.fromkeys(str(v).strip() for v in written))
    problem = _value_problem(written)
    if problem:
        raise ValidationError(problem)
    return (str(written).strip(),)


def _value_problem(value) -> str:
    if value is None:
        return "has no value; write none for 'no value'"
    if not isinstance(value, str):
        return f"must be a value, not {describe(value)}"
    if not str(value).strip():
        return "is empty"
    return ""


CHECK_MAX = 120


class Checks(CatalogField):
    """Work-order tick boxes: a list of short texts, none empty, none longer than 120
    characters, none repeated (ignoring case and spacing)."""

    def _deserialize(self, value, attr, data, **kwargs) -> tuple[str, ...]:
        if not isinstance(value, YamlList | list):
            raise ValidationError(
                f'must be a list of short texts, like ["Visor scratch-free"], not {describe(value)}'
            )
        checks: list[str] = []
        first: dict[str, int] = {}
        errors: dict[int, list[str]] = {}
        for index, item in enumerate(value):
            problem = _check_problem(item)
            if problem:
                errors[index] = [problem]
                continue
            text = str(item).strip()
            key = " ".join(text.casefold().split())
            if key in first:
                errors[index] = [f"'{text}' repeats checks[{first[key]}]: list each check once"]
                continue
            first[key] = index
            checks.append(text)
        if errors:
            raise ValidationError(errors)
        return tuple(checks)


def _check_problem(item) -> str:
    if item is None:
        return "is empty"
    if not isinstance(item, str):
        return f"must be text, not {describe(item)}"
    text = str(item).strip()
    if not text:
        return "is empty"
    if len(text) > CHECK_MAX:
        return f"is {len(text)} characters long; a check has at most {CHECK_MAX}"
    return ""


class Rows(CatalogField):
    """Table rows are checked by `tables` against the attributes; here only their shape."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError(f"must be a list of rows, not {describe(value)}")
        return value


class ListOf(fields.List):
    """A list field with our wording."""

    default_error_messages = {"invalid": "must be a list", "required": REQUIRED, "null": "is empty"}


class Nest(fields.Nested):
    """A nested mapping with our wording."""

    default_error_messages = {"type": "must be a mapping", "required": REQUIRED, "null": "is empty"}
