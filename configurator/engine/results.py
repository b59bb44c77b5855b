"""What the engine answers: plain frozen values, structured reasons, never sentences."""

from __future__ import annotations

from dataclasses import dataclass

from configurator.catalog.model import Rule


@dataclass(frozen=True)
class Explanation:
    """Why `attribute=value` is impossible (with attribute None: why the values conflict).

    Minimal: dropping any one of `selections` or `rules` makes it possible.
    """

    attribute: str | None
    value: str | None
    selections: tuple[tuple[str, str], ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Repair:
    """Change these attributes to make `wanted` possible (wanted None: the values themselves).

    Each change is (attribute, old value, new value), new value None meaning: clear it.
    """

    wanted: tuple[str, str] | None
    changes: tuple[tuple[str, str | None, str | None], ...]

    @property
    def dropped(self) -> tuple[str, ...]:
        return tuple(a for a, _, _ in self.changes)


@dataclass(frozen=True)
class Configuration:
    """The state of a design in progress, after one click.

    `valid[attribute][value]` is True exactly when some valid complete design takes
    that value and keeps every value in `effective` (so a selected attribute shows only
    its own value). `alternatives[attribute][value]`, for selected attributes, says
    which values it could switch to keeping the *other* selections: what a radio group
    needs. When `values` conflict, `conflict` says why, `repair` is the best way out,
    and `effective` is `values` without what the repair drops. `design` is the complete
    design as it stands (effective values, forced values, NONE where empty is allowed)
    when that is a valid design, else None.
    """

    values: dict[str, str]
    effective: dict[str, str]
    valid: dict[str, dict[str, bool]]
    alternatives: dict[str, dict[str, bool]]
    conflict: Explanation | None
    repair: Repair | None
    design: dict[str, str] | None

    @property
    def consistent(self) -> bool:
        return self.conflict is None

    @property
    def complete(self) -> bool:
        return self.design is not None and self.conflict is None

    def available(self, attribute: str) -> list[str]:
        """The values still possible for the attribute."""
        return [v for v, ok in self.valid.get(attribute, {}).items() if ok]

    def selectable(self, attribute: str, value: str) -> bool:
        """Can the shopper pick this value now (switching a selected attribute counts)?"""
        if attribute in self.alternatives:
            return self.alternatives[attribute].get(value, False)
        return self.valid.get(attribute, {}).get(value, False)

    def forced(self) -> dict[str, str]:
        """Attributes left with a single possible value."""
        out = {}
        for attr_id, values in self.valid.items():
            ok = [v for v, yes in values.items() if yes]
            if len(ok) == 1:
                out[attr_id] = ok[0]
        return out
