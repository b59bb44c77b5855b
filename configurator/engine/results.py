"""What the engine answers: plain frozen values, never exceptions for shopper mistakes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from configurator.catalog.model import Rule


@dataclass(frozen=True)
class SelectionProblem:
    """A selection the engine could not use: unknown attribute or option, or text breaking its rules."""

    attribute: str
    value: str
    message: str


@dataclass(frozen=True)
class Explanation:
    """Why `attribute=value` is impossible (or, with attribute None, why the selections conflict).

    Minimal: dropping any one of `selections` or `rules` makes it possible.
    """

    attribute: str | None
    value: str | None
    selections: tuple[tuple[str, str], ...]
    rules: tuple[Rule, ...]
    text: str


@dataclass(frozen=True)
class Repair:
    """Change these attributes (value None: clear it) to make the wanted option possible."""

    wanted: tuple[str, str] | None
    changes: tuple[tuple[str, str | None, str | None], ...]  # (attribute, old value, new value)
    text: str

    @property
    def dropped(self) -> tuple[str, ...]:
        return tuple(a for a, _, _ in self.changes)


@dataclass(frozen=True)
class Configuration:
    """The state of a design in progress.

    `domains[attribute][value]` is True exactly when some valid complete design
    has that value and keeps every selection (so a selected attribute shows only
    its selection). `alternatives[attribute][value]`, for selected attributes,
    says which values it could switch to keeping the *other* selections: what a
    radio group needs. `conflict` and `repair` are set
    when the selections themselves cannot go together; the domains are then those
    of `effective` (the selections with the repair applied).
    """

    selections: dict[str, str]
    effective: dict[str, str]
    domains: dict[str, dict[str, bool]]
    alternatives: dict[str, dict[str, bool]]
    consistent: bool
    complete: bool
    conflict: Explanation | None
    repair: Repair | None
    problems: tuple[SelectionProblem, ...]
    total: Decimal

    def available(self, attribute: str) -> list[str]:
        return [v for v, ok in self.domains.get(attribute, {}).items() if ok]

    def selectable(self, attribute: str, value: str) -> bool:
        """Can the shopper pick this value now (switching a selected attribute counts)?"""
        if attribute in self.alternatives:
            return self.alternatives[attribute].get(value, False)
        return self.domains.get(attribute, {}).get(value, False)

    def forced(self) -> dict[str, str]:
        """Attributes left with a single possible value."""
        out = {}
        for attr_id, values in self.domains.items():
            ok = [v for v, yes in values.items() if yes]
            if len(ok) == 1:
                out[attr_id] = ok[0]
        return out
