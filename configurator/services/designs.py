"""A design in progress as the shop shows it: options with availability, reasons, repairs, prices.

Pure translation of the engine's Configuration into what a template needs; the
URLs it builds are plain query strings so every state is bookmarkable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from configurator import pricing
from configurator.catalog.model import FILLED, NONE, Attribute, Product
from configurator.engine import Configuration, Engine, Repair

ORDER = "_order"


@dataclass
class OptionView:
    id: str
    label: str
    description: str
    price: Decimal
    swatch: str | None
    selected: bool
    available: bool
    reason: str | None = None
    repair: Repair | None = None
    repair_query: str | None = None


@dataclass
class AttributeView:
    attribute: Attribute
    options: list[OptionView]
    text: str = ""
    error: str | None = None
    applicable: bool = True
    forced: str | None = None

    @property
    def id(self) -> str:
        return self.attribute.id


@dataclass
class StepView:
    id: str
    label: str
    attributes: list[AttributeView]
    done: bool


@dataclass
class DesignView:
    product: Product
    configuration: Configuration
    selections: dict[str, str]
    steps: list[StepView]
    problems: list[str]
    price_lines: list[pricing.PriceLine]
    total: Decimal
    query: str
    repair_query: str | None = None
    extras: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        cfg = self.configuration
        return cfg.complete and cfg.conflict is None and not self.problems


def query_for(selections: dict[str, str]) -> str:
    """Canonical query string: selections in choice order (oldest first), plus their order."""
    pairs = [(k, v) for k, v in selections.items() if v != ""]
    parts = [_pair(k, v) for k, v in pairs]
    if len(pairs) > 1:
        parts.append(_pair(ORDER, ",".join(k for k, _ in pairs)))
    return "&".join(parts)


@lru_cache(maxsize=16384)
def _pair(key: str, value: str) -> str:
    """One `key=value`, quoted as urlencode does: a page builds hundreds of these links
    from the same few pairs."""
    return urlencode([(key, value)])


def apply_repair(selections: dict[str, str], repair: Repair) -> dict[str, str]:
    """The selections after a repair, with the wanted option as the newest choice.

    A text can only be typed by the shopper: a repair that wants one filled leaves
    it for them, and one that keeps it filled keeps what they typed.
    """
    out = dict(selections)
    for attr_id, _old, new in repair.changes:
        if new == FILLED:
            continue
        out.pop(attr_id, None)
        if new is not None:
            out[attr_id] = new
    if repair.wanted is not None and repair.wanted[1] != FILLED:
        attr_id, value = repair.wanted
        out.pop(attr_id, None)
        out[attr_id] = value
    return out


def design_view(
    engine: Engine,
    selections: dict[str, str],
    errors: dict[str, list[str]],
    *,
    reasons: bool = True,
    typed: dict[str, str] | None = None,
) -> DesignView:
    """Configure and dress the result for the shop templates."""
    product = engine.product
    configuration = engine.configure(selections)
    kept = configuration.selections
    problems = [  # text errors are shown beside their field instead
        f"{_label(product, k)}: {' '.join(v)}"
        for k, v in errors.items()
        if getattr(product.attribute(k), "kind", None) != "text"
    ]
    problems += [p.message for p in configuration.problems]
    forced = configuration.forced()
    steps = []
    for step in product.steps:
        views = [
            _attribute_view(
                engine,
                configuration,
                product.attribute(a),
                selections,
                errors,
                forced,
                reasons,
                typed or {},
            )
            for a in step.attributes
        ]
        done = all(
            v.attribute.id in kept
            or v.forced
            or not v.applicable
            or configuration.domains[v.id].get(NONE)
            for v in views
        )
        steps.append(StepView(step.id, step.label, views, done))
    design = {**{a: v for a, v in forced.items()}, **configuration.effective}
    lines = pricing.lines(product, design)
    repair_query = None
    if configuration.repair is not None:
        repair_query = query_for(apply_repair(selections, configuration.repair))
    return DesignView(
        product=product,
        configuration=configuration,
        selections=kept,
        steps=steps,
        problems=problems,
        price_lines=lines,
        total=pricing.total(product, design),
        query=query_for(selections),  # what the shopper asked for, conflict and all
        repair_query=repair_query,
    )


def _label(product: Product, attribute_id: str) -> str:
    attr = product.attribute(attribute_id)
    return attr.label if attr else attribute_id


def _attribute_view(
    engine, configuration, attr, requested, errors, forced, reasons, typed
) -> AttributeView:
    """Checked = what the shopper asked for; availability and reasons = the usable (effective) selections."""
    kept = configuration.selections
    values = configuration.domains[attr.id]
    applicable = any(ok for v, ok in values.items() if v != NONE)
    view = AttributeView(
        attribute=attr,
        options=[],
        text=typed.get(attr.id, requested.get(attr.id, "")) if attr.kind == "text" else "",
        error=" ".join(errors.get(attr.id, [])) or None,
        applicable=applicable,
        forced=forced.get(attr.id) if attr.id not in kept else None,
    )
    if attr.kind == "text":
        if not values.get(FILLED, False) and applicable is False:
            view.applicable = False
        return view
    chosen = requested.get(attr.id)
    for option in attr.options:
        available = configuration.selectable(attr.id, option.id)
        item = OptionView(
            id=option.id,
            label=option.label,
            description=option.description,
            price=pricing.delta(engine.product, attr.id, option.id),
            swatch=option.swatch,
            selected=chosen == option.id or (chosen is None and view.forced == option.id),
            available=available,
        )
        if not available and reasons:
            explanation = engine.explain(kept, attr.id, option.id)
            item.reason = explanation.text if explanation else None
            fixes = engine.repairs(kept, attr.id, option.id, limit=1)
            if fixes:
                item.repair = fixes[0]
                item.repair_query = query_for(apply_repair(kept, fixes[0]))
        view.options.append(item)
    return view
