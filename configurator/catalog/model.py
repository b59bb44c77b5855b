"""The catalog as frozen dataclasses: what a merchandiser declared, nothing derived.

Glossary
--------
product     one configurable thing (a helmet); one YAML file.
attribute   one decision the shopper makes (shell type, monogram); `kind` is
            "choice" (pick one option) or "text" (type a short string).
option      one value of a choice attribute, with its price delta and SKU code.
NONE        the reserved value "none": the attribute has no value (optional and
            left empty, or not applicable). Rules may name it like an option.
FILLED      the reserved value "filled" of a text attribute: some text is set.
rule        a restriction with an id and a message written for the shopper:
            requires, excludes, table (allowed/forbidden rows) or applies.
condition   {attribute: (values...)}: a conjunction over attributes of a
            disjunction over each attribute's values.
source      (file, line, column) of the YAML node that declared a thing, so the
            engine's findings can cite it.
check       a short instruction the workshop ticks off on an order's work order:
            the product's always, an option's when it is chosen, a text
            attribute's when text is typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

NONE = "none"
FILLED = "filled"
ANY = "*"


@dataclass(frozen=True)
class Source:
    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Source("<memory>", 0, 0)


@dataclass(frozen=True)
class Layer:
    """One artwork layer an option contributes to one view.

    `image` is a PNG path relative to the catalog file's folder. `tint` says
    whether the image is a mask tinted with the option's swatch colour.
    `order` stacks layers (low first). `effect` names a finish effect
    (gloss, matte, satin) applied over the composite instead of an image.
    `source` is where the image path (or the effect) is written, for the
    artwork checks; it takes no part in comparisons.
    """

    view: str
    order: int
    image: str | None = None
    tint: bool = False
    effect: str | None = None
    opacity: float = 1.0
    source: Source = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class BomLine:
    part: str
    quantity: Decimal
    unit: str = "pcs"


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    description: str = ""
    price: Decimal = Decimal("0")
    sku: str = ""
    swatch: str | None = None
    layers: tuple[Layer, ...] = ()
    bom: tuple[BomLine, ...] = ()
    replaces: tuple[str, ...] = ()  # ids this option had before: saved designs move to it
    checks: tuple[str, ...] = ()  # work-order tick boxes when this option is chosen
    source: Source = NOWHERE


@dataclass(frozen=True)
class TextStyle:
    """Where and how a text attribute is drawn in one view."""

    view: str
    x: int
    y: int
    size: int
    colour: str = "#ffffff"
    order: int = 1000
    source: Source = field(default=NOWHERE, compare=False)  # where the position is written


@dataclass(frozen=True)
class Attribute:
    id: str
    label: str
    kind: str = "choice"  # "choice" | "text"
    description: str = ""
    required: bool = True
    default: str | None = None
    none_label: str | None = None  # optional choice attributes: the "none of these" tile
    options: tuple[Option, ...] = ()
    # text attributes only
    max_length: int = 0
    pattern: str | None = None
    price: Decimal = Decimal("0")  # added when the text is filled
    sku: str = ""
    text_styles: tuple[TextStyle, ...] = ()
    checks: tuple[str, ...] = ()  # work-order tick boxes when text is typed
    source: Source = NOWHERE

    def option(self, option_id: str) -> Option | None:
        for option in self.options:
            if option.id == option_id:
                return option
        return None

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


@dataclass(frozen=True)
class Step:
    id: str
    label: str
    attributes: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """One restriction. Which fields matter depends on `kind`:

    requires  `when` -> `then` (then: a condition that must hold)
    excludes  `when` must not hold (the values cannot go together)
    table     `attributes` x `rows`; `allowed` True: only these rows,
              False: none of these rows. A row holds one cell per attribute:
              ANY, a value id, or value ids joined by "|" (any of them; in
              option order, "none" last, no repeats), e.g. "clear|tinted".
    applies   `attribute` has a value exactly when `when` holds
              (otherwise it is NONE).
    """

    id: str
    kind: str
    message: str
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    then: tuple[tuple[str, tuple[str, ...]], ...] = ()
    attributes: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    allowed: bool = True
    attribute: str | None = None
    source: Source = NOWHERE


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    description: str
    currency: str
    base_price: Decimal
    views: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    steps: tuple[Step, ...]
    rules: tuple[Rule, ...]
    sku: str = ""
    checks: tuple[str, ...] = ()  # work-order tick boxes for every order of this product
    folder: str = "."  # where the YAML lives; artwork paths are relative to it
    version: str = ""  # content hash of the YAML and every file it uses
    source: Source = NOWHERE
    _by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def attribute(self, attribute_id: str) -> Attribute | None:
        if not self._by_id:
            object.__setattr__(self, "_by_id", {a.id: a for a in self.attributes})
        return self._by_id.get(attribute_id)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True)
class CatalogProblem:
    source: Source
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class Answer:
    """One answer a question offers (kinds `choice` and `choices`)."""

    id: str
    label: str
    source: Source = NOWHERE


@dataclass(frozen=True)
class Mapping:
    """How answers to a question reach one product attribute: `answer id -> option id`
    (for a text question, `"*"` maps any typed answer matching `pattern` onto itself)."""

    product: str
    attribute: str
    options: tuple[tuple[str, str], ...]  # (answer id, option id), in the file's order
    source: Source = NOWHERE

    def option_for(self, answer: str) -> str | None:
        return next((o for a, o in self.options if a == answer), None)


@dataclass(frozen=True)
class Question:
    """A question the shop may ask a shopper (catalog/preferences.yaml). `choice`: one
    answer, which pre-selects options (`preselects`); `choices`: several answers, tastes,
    which are soft wishes when the shop completes a design (`wishes`); `text`: a short
    typed answer matching `pattern`."""

    key: str
    question: str
    purpose: str  # one sentence: what the answer is used for (shown beside its consent box)
    kind: str  # choice, choices or text
    answers: tuple[Answer, ...] = ()
    pattern: str | None = None
    max_length: int = 40
    preselects: tuple[Mapping, ...] = ()
    wishes: tuple[Mapping, ...] = ()
    source: Source = NOWHERE

    def answer(self, answer_id: str) -> Answer | None:
        return next((a for a in self.answers if a.id == answer_id), None)


@dataclass(frozen=True)
class Catalog:
    """Every product that loaded, the preference questions, and every problem found (broken
    products and a broken preferences file are left out)."""

    products: tuple[Product, ...] = ()
    problems: tuple[CatalogProblem, ...] = ()
    questions: tuple[Question, ...] = ()

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def product(self, product_id: str) -> Product | None:
        return next((p for p in self.products if p.id == product_id), None)
