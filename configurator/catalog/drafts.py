"""What the schemas build before the whole-file checks: the parts of a product still being assembled."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import NOWHERE, Attribute, Rule, Source, Step
from .yamlnodes import YamlList


@dataclass(frozen=True)
class ProductHead:
    """The `product:` block."""

    id: str
    name: str
    currency: str
    base_price: object
    views: tuple[str, ...]
    description: str = ""
    sku: str = ""
    checks: tuple[str, ...] = ()
    source: Source = NOWHERE


@dataclass(frozen=True)
class TableSpec:
    """A table rule as written; its rows become strings once the attributes are known."""

    attributes: tuple[str, ...]
    allowed: bool
    rows: YamlList | None
    rows_file: str | None
    source: Source = NOWHERE


@dataclass(frozen=True)
class StepDraft:
    """A step and where it was written (Step itself has no source)."""

    step: Step
    source: Source = NOWHERE


@dataclass(frozen=True)
class RuleDraft:
    """A rule whose table rows (if any) are still to be read."""

    rule: Rule
    table: TableSpec | None = None


@dataclass(frozen=True)
class FileDraft:
    """What the schemas made of one file; `complete` is False when parts were invalid.

    When an attribute is invalid, a best-effort copy stands in for the checks, with
    stand-in options for the invalid ones (`unchecked_options`: (attribute, option)).
    """

    head: ProductHead | None
    steps: tuple[StepDraft, ...] | None
    attributes: tuple[Attribute, ...]
    rules: tuple[RuleDraft, ...]
    complete: bool
    unchecked_options: frozenset[tuple[str, str]] = field(default_factory=frozenset)
