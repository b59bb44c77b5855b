"""One immutable description of a design's state: what the shop's templates and the JSON API
both serialise, so the two can never disagree.

Glossary
--------
selections  what the shopper chose, {attribute: option id or typed text}, oldest first.
requested   the selections as asked for (a link may hold a clash); `kept` are those in
            effect once a clash's repair is applied.
design      what the page shows: the requested selections, and for every other attribute
            a suggestion (the catalog's default where it fits, else what the engine's
            completion picks); `source` tells the shopper's choices from suggestions.
reason      why an option cannot be chosen now: the selections and rules that rule it
            out (minimal), and the sentence made of them.
repair      the fewest other selections to change to get an option (or to end a clash),
            and the selections it leads to.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from configurator.catalog.model import Attribute, Product, Rule


@dataclass(frozen=True)
class Reason:
    """Minimal: drop any one selection or rule and the option becomes possible."""

    selections: tuple[tuple[str, str], ...]  # (attribute, value)
    rules: tuple[Rule, ...]
    text: str


@dataclass(frozen=True)
class Change:
    attribute: str
    old: str | None  # a domain value ("filled" for a typed text)
    new: str | None  # None: cleared


@dataclass(frozen=True)
class RepairPlan:
    wanted: tuple[str, str] | None  # None: ends the clash between the selections
    changes: tuple[Change, ...]
    selections: tuple[tuple[str, str], ...]  # the selections once repaired, oldest first
    text: str


@dataclass(frozen=True)
class OptionState:
    """One value of an attribute: an option, or "none" (left empty), or "filled" (a text)."""

    id: str
    label: str
    description: str
    swatch: str | None
    price_delta: Decimal
    is_option: bool  # gets a tile: an option, or "none" of an optional attribute ("No graphics")
    selected: bool  # checked on the page: part of the design on screen
    available: bool  # in the valid domain of the kept selections
    selectable: bool  # can be picked now (for a selected attribute: switched to)
    reason: Reason | None = None  # when not selectable and asked for
    repair: RepairPlan | None = None  # the best repair, when not selectable and asked for


@dataclass(frozen=True)
class AttributeState:
    attribute: Attribute
    chosen: str | None  # the shopper's selection (option id or typed text), kept or not
    source: str | None  # where the value on screen comes from: "chosen" (by the shopper),
    #                     "forced" (the one value left), "suggested" (default/completion), None
    forced: str | None  # the one value left, when not chosen
    value: str | None  # on screen and worth naming: the choice, forced or suggested option
    applicable: bool  # some value other than empty is possible
    text: str  # for text attributes: what the shopper typed (even if refused)
    error: str | None  # why the typed text or chosen value was refused
    options: tuple[OptionState, ...]

    @property
    def id(self) -> str:
        return self.attribute.id

    @cached_property  # asked by the tiles, the summary and the API: built once
    def choices(self) -> tuple[OptionState, ...]:
        """The options a shopper picks from (tiles): no "filled", "none" only when optional."""
        return tuple(o for o in self.options if o.is_option)


@dataclass(frozen=True)
class StepState:
    id: str
    label: str
    attributes: tuple[AttributeState, ...]
    done: bool


@dataclass(frozen=True)
class PriceLine:
    attribute: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class BomItem:
    part: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class PreferenceNote:
    """Beside an attribute: a declared answer pre-selected its option, or could not (why)."""

    attribute: str
    key: str  # the question, for "Don't use this"
    applied: bool
    text: str
    offer: str | None = None  # a typed answer the page offers to put in (never added unasked)


@dataclass(frozen=True)
class DesignState:
    product: Product
    requested: tuple[tuple[str, str], ...]  # as asked, oldest first
    kept: tuple[tuple[str, str], ...]  # in effect: the requested minus what the clash repair drops
    problems: tuple[str, ...]  # selections from the link that could not be used
    steps: tuple[StepState, ...]
    conflict: Reason | None
    conflict_repair: RepairPlan | None
    consistent: bool  # no clash and no unusable selection
    complete: bool  # the design on screen is valid and whole (suggestions count), texts typed
    price_lines: tuple[PriceLine, ...]  # of `design`
    total: Decimal
    design: tuple[tuple[str, str], ...]  # on screen: choices, then suggestions; every value
    sku: str | None  # when complete
    bom: tuple[BomItem, ...]  # when complete: every part, summed
    preference_notes: tuple[PreferenceNote, ...] = ()  # the shopper's declared answers at work
    wish_notes: tuple[PreferenceNote, ...] = ()  # which declared taste shaped which choice

    @property
    def currency(self) -> str:
        return self.product.currency

    @property
    def selections(self) -> dict[str, str]:
        return dict(self.kept)

    @cached_property  # the values below are asked several times per page: built once
    def attributes(self) -> tuple[AttributeState, ...]:
        return tuple(a for step in self.steps for a in step.attributes)

    @cached_property
    def unavailable(self) -> int:
        """How many tiles cannot be picked now (the page announces it)."""
        return sum(1 for a in self.attributes for o in a.choices if not o.selectable)

    @cached_property
    def suggested(self) -> tuple[AttributeState, ...]:
        """The attributes showing a suggestion (worth naming) until the shopper chooses."""
        return tuple(a for a in self.attributes if a.source == "suggested" and a.value)

    @cached_property
    def steps_left(self) -> int:
        return sum(1 for step in self.steps if not step.done)

    def attribute(self, attribute_id: str) -> AttributeState | None:
        return next((a for a in self.attributes if a.id == attribute_id), None)
