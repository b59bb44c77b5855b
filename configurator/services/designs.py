"""The verbs on a design: configure, complete, surprise, review, explain, repair, from-prices.

Every way in (the shop's pages, the JSON API, the CLI) calls these; they alone talk to the
engine and to pricing. Each takes the app's `Context` (its catalogs and memo caches) and
the shopper's raw selections, checks them once, and answers with immutable values from
`state`, words from `wording`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from marshmallow import Schema

from configurator import pricing
from configurator.catalog.model import FILLED, NONE, Product
from configurator.engine import Configuration, Engine, Explanation, Repair

from . import selections as checking
from . import wording
from .state import (
    AttributeState,
    BomItem,
    Change,
    DesignState,
    OptionState,
    PreferenceNote,
    PriceLine,
    Reason,
    RepairPlan,
    StepState,
)

MAX_TYPED_CHARS = 200


class InvalidSelections(ValueError):
    """Strict callers (the API, previews) refuse selections that do not check out."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid selections")
        self.errors = errors


@dataclass(frozen=True)
class Completion:
    """A finished design: the selections to show (the shopper's, then what was added) and its price."""

    selections: dict[str, str]
    total: Decimal
    currency: str


@dataclass(frozen=True)
class Listing:
    """The product list: what loaded, each from-price, and what did not load (file:line)."""

    products: tuple[Product, ...]
    from_prices: dict[str, Decimal]
    problems: tuple


@dataclass(frozen=True)
class Described:
    """One product as the API describes it: the catalog's own data and every attribute's values."""

    product: Product
    domains: dict[str, tuple[str, ...]]
    from_price: Decimal
    selections_schema: Schema  # what selections are checked with


# -- the verbs -----------------------------------------------------------------------


def listing(ctx) -> Listing:
    """Every product that loaded, with its from-price, and the catalog's problems."""
    products = tuple(ctx.catalogs.products)
    prices = {p.id: from_price(ctx, p.id) for p in products}
    return Listing(products, prices, tuple(ctx.catalogs.catalog.problems))


def describe(ctx, product_id: str) -> Described:
    """A product's steps, attributes, options and prices, with each attribute's values."""
    engine = ctx.catalogs.engine(product_id)
    price = from_price(ctx, product_id)
    return Described(engine.product, dict(engine.domains), price, _schema(ctx, engine))


def describe_all(ctx) -> tuple[Described, ...]:
    """Every loaded product described (the API's OpenAPI document lists them all)."""
    return tuple(describe(ctx, p.id) for p in ctx.catalogs.products)


def version(ctx, product_id: str) -> str:
    """The loaded version of a product (UnknownProduct if there is none)."""
    return ctx.catalogs.product(product_id).version


def configure(
    ctx,
    product_id: str,
    raw: Mapping[str, object],
    *,
    reasons: bool = True,
    detail: tuple[str, str] | None = None,
    strict: bool = False,
    preselects: tuple = (),
    wishes: tuple = (),
) -> DesignState:
    """The whole state of a design after a click. Unusable selections become problems
    (the shop), or with `strict` are refused as InvalidSelections (the API).

    `reasons`: say why for every value that cannot be chosen (the API); the shop asks only
    for the option a shopper looks at (`detail`: its reason and its repair). `preselects`:
    the shopper's declared answers for this product (`preferences.preselections`), taken
    before the catalog's defaults where they fit, each with a note saying so (or why not)."""
    engine = ctx.catalogs.engine(product_id)
    checked = _check(ctx, engine, raw)
    if checked.errors and strict:
        raise InvalidSelections(checked.errors)
    typed = {
        a.id: raw[a.id][:MAX_TYPED_CHARS]
        for a in engine.product.attributes
        if a.kind == "text" and isinstance(raw.get(a.id), str)
    }
    state = _state(engine, _facts(ctx, engine), checked, typed, reasons, detail, preselects)
    if wishes:  # after Finish for me / Surprise me: say which taste shaped which choice
        state = replace(state, wish_notes=_wish_notes(engine, state, wishes))
    return state


def review(ctx, product_id: str, raw: Mapping[str, object]) -> DesignState:
    """The design as the review page shows it: no reasons needed, SKU and parts when complete."""
    return configure(ctx, product_id, raw, reasons=False)


def complete(
    ctx, product_id: str, raw: Mapping[str, object], *, strict: bool = False, wishes: tuple = ()
) -> Completion:
    """Finish for me: every open choice filled with its default, else a valid option; with
    declared tastes (`wishes`, `preferences.wishes`), as many of them as the rules allow
    first (weighted MaxSAT), then the defaults.

    A clash is first repaired keeping the most recent choices; the shopper's own choices
    come first in the result, then what was added (in attribute order).
    """
    engine = ctx.catalogs.engine(product_id)
    chosen = _checked_selections(ctx, engine, raw, strict)
    values = checking.as_values(engine.product, chosen)
    preferred = None
    if wishes:
        kept = values if engine.consistent(values) else engine.configure(values).effective
        preferred = engine.honoured(kept, [(w.attribute, w.option) for w in wishes])
    filled = engine.complete(values, None, preferred)
    kept = {a: chosen[a] for a, v in values.items() if filled.get(a) == v}
    added = {a: v for a, v in filled.items() if a not in kept and checking.is_shown(v)}
    total = pricing.total(engine.product, filled)
    return Completion({**kept, **added}, total, engine.product.currency)


def surprise(ctx, product_id: str, seed: int | None = None, wishes: tuple = ()) -> dict[str, str]:
    """Surprise me: the selections of a random valid complete design (taking as many of the
    shopper's declared tastes as the rules allow, the rest at random)."""
    engine = ctx.catalogs.engine(product_id)
    honoured = engine.honoured({}, [(w.attribute, w.option) for w in wishes]) if wishes else {}
    design = engine.random_design(seed, honoured or {})
    return {a: v for a, v in design.items() if checking.is_shown(v)}


def explain_option(
    ctx, product_id: str, raw: Mapping[str, object], attribute: str, option: str
) -> tuple[str, str, Reason | None]:
    """Why one option cannot be chosen with these selections (None: it can). During a clash,
    with the choices its repair keeps, as the page's tile says it."""
    engine = ctx.catalogs.engine(product_id)
    chosen = _checked_selections(ctx, engine, raw, strict=True)
    attribute, option = _wanted(engine, attribute, option)
    kept, _ = _kept(engine, chosen)
    values = checking.as_values(engine.product, kept)
    found = engine.explain(values, attribute, option)
    return attribute, option, _reason(engine.product, found)


def repair_option(
    ctx, product_id: str, raw: Mapping[str, object], attribute: str, option: str, limit: int = 3
) -> tuple[str, str, tuple[RepairPlan, ...]]:
    """The smallest changes to the selections that make one option possible, best first.
    During a clash, built on the choices its repair keeps (as the page's tile), the dropped
    ones named among the changes."""
    engine = ctx.catalogs.engine(product_id)
    chosen = _checked_selections(ctx, engine, raw, strict=True)
    attribute, option = _wanted(engine, attribute, option)
    kept, values = _kept(engine, chosen)
    found = engine.repairs(values, (attribute, option), limit=limit)
    return attribute, option, tuple(_plan(engine.product, kept, r, requested=chosen) for r in found)


def _kept(engine: Engine, chosen: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The selections a clash's repair keeps (all of them when there is no clash), and their
    domain values."""
    values = checking.as_values(engine.product, chosen)
    if engine.consistent(values):
        return chosen, values
    effective = engine.configure(values, alternatives=False).effective
    return {a: chosen[a] for a in effective}, effective


@dataclass(frozen=True)
class Why:
    """One tile asked about: can it be picked now, and if not why and how to get it."""

    selectable: bool
    reason: Reason | None
    repair: RepairPlan | None


def why(ctx, product_id: str, raw: Mapping[str, object], attribute: str, option: str) -> Why:
    """What an unavailable tile says when asked: the same reason and repair `configure`
    gives with `detail`, without the rest of the page (no valid domains, no completion).
    UnknownOption when the product shows no such tile."""
    engine = ctx.catalogs.engine(product_id)
    product = engine.product
    attr = product.attribute(attribute)
    is_tile = (
        attr is not None
        and attr.kind != "text"
        and (attr.option(option) is not None or (option == NONE and not attr.required))
    )
    if not is_tile:
        raise UnknownOption(
            {"option": [wording.unknown_option(_label(product, attribute), option)]}
        )
    requested = _check(ctx, engine, raw).selections
    kept, values = _kept(engine, requested)
    others = {a: v for a, v in values.items() if a != attr.id}
    if engine.consistent({**others, attr.id: option}):
        return Why(True, None, None)
    reason = _reason(product, engine.explain(values, attr.id, option))
    fixes = engine.repairs(values, (attr.id, option), limit=1)
    repair = _plan(product, kept, fixes[0], requested=requested) if fixes else None
    return Why(False, reason, repair)


def option_named(ctx, product_id: str, name: str) -> tuple[str, str] | None:
    """The (attribute, option) a page names `<attribute>-<option>` (ids may hold "-" too:
    the first split that names a real pair); None when none does."""
    product = ctx.catalogs.product(product_id)
    for i, char in enumerate(name):
        if char == "-":
            attr = product.attribute(name[:i])
            if attr is not None and attr.option(name[i + 1 :]) is not None:
                return attr.id, name[i + 1 :]
            if attr is not None and name[i + 1 :] == NONE and not attr.required:
                return attr.id, NONE
    return None


def from_price(ctx, product_id: str) -> Decimal:
    """What the cheapest valid design of a product costs (the base price if there is none)."""
    engine = ctx.catalogs.engine(product_id)
    product = engine.product

    def cheapest() -> Decimal:
        costs = {
            (a, v): pricing.delta(product, a, v)
            for a, domain in engine.domains.items()
            for v in domain
        }
        design = engine.cheapest(costs)
        return pricing.total(product, design) if design is not None else product.base_price

    return ctx.memos.get("from-prices", 256).get_or_compute((product.id, product.version), cheapest)


def apply_repair(selections: Mapping[str, str], repair: Repair) -> dict[str, str]:
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


# -- checking -------------------------------------------------------------------------


def _schema(ctx, engine: Engine) -> Schema:
    product = engine.product
    return ctx.memos.get("selection-schemas", 256).get_or_compute(
        (product.id, product.version), lambda: checking.schema_for(product)
    )


def _check(ctx, engine: Engine, raw: Mapping[str, object]) -> checking.Checked:
    """Check the selections; ids an option `replaces` move to it without a word (a page
    opened before a publish keeps working), and an id a published version had says it is
    no longer offered, as a saved design's notes do."""
    product = engine.product
    renamed = _renamed(ctx, product)
    if renamed:
        raw = {k: renamed.get(k, {}).get(v, v) if isinstance(v, str) else v for k, v in raw.items()}
    checked = checking.check(_schema(ctx, engine), dict(raw))
    if not checked.errors:
        return checked
    retired = _retired(ctx, product)
    errors = dict(checked.errors)
    for attribute_id in errors:
        value = raw.get(attribute_id)
        label = retired.get(attribute_id, {}).get(value) if isinstance(value, str) else None
        attribute = product.attribute(attribute_id)
        if label and attribute is not None:
            errors[attribute_id] = [wording.no_longer_offered(label, attribute.label)]
    return checking.Checked(checked.selections, errors)


def _renamed(ctx, product: Product) -> dict[str, dict[str, str]]:
    """attribute -> {an id some option `replaces`: that option's id}."""

    def build():
        return {
            a.id: {old: o.id for o in a.options for old in o.replaces}
            for a in product.attributes
            if any(o.replaces for o in a.options)
        }

    return ctx.memos.get("renamed", 64).get_or_compute((product.id, product.version), build)


def _retired(ctx, product: Product) -> dict[str, dict[str, str]]:
    """attribute -> {option id an earlier recorded version had and this one has not: its
    label then}: from the version snapshots, read once per product version."""

    def build():
        from .evolution import version_snapshots

        gone: dict[str, dict[str, str]] = {}
        for snap in version_snapshots(ctx, product.id):
            for attribute_id, was in snap.get("attributes", {}).items():
                attribute = product.attribute(attribute_id)
                if attribute is None:
                    continue
                for option_id, option in was.get("options", {}).items():
                    if option_id not in attribute.option_ids:
                        gone.setdefault(attribute_id, {}).setdefault(option_id, option["label"])
        return gone

    return ctx.memos.get("retired", 64).get_or_compute((product.id, product.version), build)


def _checked_selections(ctx, engine: Engine, raw, strict: bool) -> dict[str, str]:
    checked = _check(ctx, engine, raw)
    if checked.errors and strict:
        raise InvalidSelections(checked.errors)
    return checked.selections


class UnknownOption(InvalidSelections):
    """The option asked about (explain, repair) is not one the product has."""


def _wanted(engine: Engine, attribute: str, option: str) -> tuple[str, str]:
    attr = engine.product.attribute(attribute)
    if attr is None:
        raise UnknownOption({"attribute": [wording.unknown_attribute(attribute)]})
    if option not in engine.domain(attr.id):
        raise UnknownOption({"option": [wording.unknown_option(attr.label, option)]})
    return attr.id, option


# -- building the state ------------------------------------------------------------------


def design_on_screen(
    engine: Engine,
    values: dict[str, str],
    kept: dict[str, str],
    valid: dict[str, dict[str, bool]] | None = None,
    preferred: dict[str, str] | None = None,
) -> dict[str, str]:
    """The design the page shows and the preview draws, as domain values in attribute order:
    the values as asked (a clash too), every other attribute as the completion of the values
    the clash's repair keeps (`kept`; `valid`: their valid domains, if known) suggests,
    `preferred` values (declared preferences) before the catalog's defaults."""
    preferred = {a: v for a, v in (preferred or {}).items() if a not in values}
    suggested = engine.complete(kept, valid, preferred or None)
    return {a: values.get(a, suggested[a]) for a in engine.domains}


def _state(
    engine: Engine,
    facts: dict[str, tuple[tuple[_Fact, dict], ...]],
    checked: checking.Checked,
    typed: dict[str, str],
    reasons: bool,
    detail: tuple[str, str] | None = None,
    preselects: tuple = (),
) -> DesignState:
    """The design on screen: the shopper's choices (as asked, a clash included), and for
    every other attribute the value the engine's completion suggests (the catalog's default
    where it fits): the checked tiles, the summary, the price and the preview all show it."""
    product = engine.product
    requested = checked.selections
    values = checking.as_values(product, requested)
    cfg = engine.configure(values)
    kept = {a: requested[a] for a in cfg.effective}
    kept_values = cfg.effective
    forced = cfg.forced()
    possible = any(ok for domain in cfg.valid.values() for ok in domain.values())
    # a typed answer (initials) is only offered beside its field: it may cost, so never added
    preferred = {
        p.attribute: p.option
        for p in preselects
        if getattr(product.attribute(p.attribute), "kind", None) == "choice"
    }
    drawn = design_on_screen(engine, values, kept_values, cfg.valid, preferred) if possible else {}
    # only the shopper types a text; none typed prices nothing
    shown = {
        a.id: drawn[a.id]
        for a in product.attributes
        if a.id in drawn and (a.kind != "text" or a.id in values)
    }
    problems = tuple(
        wording.problem(_label(product, a), messages)
        for a, messages in checked.errors.items()
        if getattr(product.attribute(a), "kind", None) != "text"
    )
    steps = []
    for step in product.steps:
        attributes = tuple(
            _attribute_state(
                engine,
                facts,
                cfg,
                product.attribute(a),
                requested,
                kept,
                kept_values,
                forced,
                shown,
                checked.errors,
                typed,
                reasons,
                detail,
            )
            for a in step.attributes
        )
        done = all(a.source in ("chosen", "forced") or not a.applicable for a in attributes)
        steps.append(StepState(step.id, step.label, attributes, done))
    lines = tuple(
        PriceLine(line.attribute, line.label, line.amount) for line in pricing.lines(product, shown)
    )
    texts_missing = any(
        a.kind == "text" and drawn.get(a.id) == FILLED and a.id not in values
        for a in product.attributes
    )
    # a refused text is not silently left out of a finished design
    complete = cfg.consistent and possible and not checked.errors and not texts_missing
    conflict_repair = None
    if cfg.repair is not None:
        conflict_repair = _plan(product, requested, cfg.repair, clash=True)
    return DesignState(
        product=product,
        requested=tuple(requested.items()),
        kept=tuple(kept.items()),
        problems=problems,
        steps=tuple(steps),
        conflict=_reason(product, cfg.conflict),
        conflict_repair=conflict_repair,
        consistent=cfg.consistent and not problems,
        complete=complete,
        price_lines=lines,
        total=product.base_price + sum((line.amount for line in lines), pricing.ZERO),
        design=tuple((a, v) for a, v in shown.items()),
        sku=_sku(product, shown) if complete else None,
        bom=_bom(product, shown) if complete else (),
        preference_notes=_preference_notes(engine, cfg, preselects, requested, kept_values, drawn),
    )


def _wish_notes(engine: Engine, state: DesignState, wishes: tuple) -> tuple:
    """For each attribute the shopper has tastes for: the taste that shaped its value, or,
    when none could be had, why (the engine's explanation given the rest of the design)."""
    product = engine.product
    shown = checking.as_values(product, dict(state.design))
    notes = []
    by_attribute: dict[str, list] = {}
    for wish in wishes:
        if product.attribute(wish.attribute) is not None:
            by_attribute.setdefault(wish.attribute, []).append(wish)
    for attribute, wished in by_attribute.items():
        hit = next((w for w in wished if shown.get(attribute) == w.option), None)
        if hit is not None:
            label = (
                f"{wording.option_label(product, attribute, hit.option)} "
                f"{product.attribute(attribute).label.lower()}"
            )
            text = wording.wish_honoured(label, hit.answer, hit.question, hit.at)
            notes.append(PreferenceNote(attribute, hit.key, True, text))
            continue
        first = wished[0]
        rest = {a: v for a, v in shown.items() if a != attribute}
        found = _reason(product, engine.explain(rest, attribute, first.option))
        why = found.text if found else "it does not go with your other wishes."
        notes.append(
            PreferenceNote(
                attribute, first.key, False, wording.wish_not_honoured(first.answer, first.at, why)
            )
        )
    return tuple(notes)


def _preference_notes(engine, cfg, preselects, requested, kept_values, drawn) -> tuple:
    """Each declared answer at work on this page: pre-selected, or not (and why). A choice
    the shopper made on the page wins, without a note."""
    notes = []
    for p in preselects:
        attr = engine.product.attribute(p.attribute)
        if p.attribute in requested or attr is None:
            continue
        if attr.kind == "text":
            text = wording.offered(p.question, p.answer, p.at)
            notes.append(PreferenceNote(p.attribute, p.key, False, text, offer=p.option))
            continue
        if drawn.get(p.attribute) == p.option:
            text = wording.preselected(p.question, p.answer, p.at)
            notes.append(PreferenceNote(p.attribute, p.key, True, text))
            continue
        if cfg.valid.get(p.attribute, {}).get(p.option, False):
            why = "It does not fit with your other preferences."
        else:
            found = _reason(engine.product, engine.explain(kept_values, p.attribute, p.option))
            why = found.text if found else "It cannot be had with your choices."
        text = wording.not_preselected(p.question, p.answer, p.at, why)
        notes.append(PreferenceNote(p.attribute, p.key, False, text))
    return tuple(notes)


def _attribute_state(
    engine,
    facts,
    cfg: Configuration,
    attr,
    requested,
    kept,
    kept_values,
    forced,
    shown,
    errors,
    typed,
    reasons,
    detail,
) -> AttributeState:
    """Checked = the design on screen; availability and reasons = the kept selections.

    Why a value cannot be had, and how to get it, costs two solver searches per value:
    computed for every value only when asked (`reasons`: the API), else for `detail`
    alone (the option a shopper asked about), the rest on demand."""
    valid = cfg.valid[attr.id]
    # what can be picked now: a selected attribute switches (`alternatives`)
    picks = cfg.alternatives.get(attr.id, valid)
    applicable = any(ok for v, ok in picks.items() if v != NONE)
    chosen = requested.get(attr.id)
    value = shown.get(attr.id)
    if chosen is not None:
        source = "chosen"
    elif attr.id in forced and value == forced[attr.id]:
        source = "forced"
    elif value is not None:
        source = "suggested"
    else:
        source = None
    product = engine.product
    offers_none = attr.kind != "text" and not attr.required and applicable
    options = []
    for fact, states in facts[attr.id]:
        option_id = fact.id
        selectable = picks.get(option_id, False)
        reason = repair = None
        if not selectable and (reasons or detail == (attr.id, option_id)):
            reason = _reason(product, engine.explain(kept_values, attr.id, option_id))
        if not selectable and detail == (attr.id, option_id):
            fixes = engine.repairs(kept_values, (attr.id, option_id), limit=1)
            repair = _plan(product, kept, fixes[0], requested=requested) if fixes else None
        tile = fact.is_option or (option_id == NONE and offers_none)
        flags = (tile, tile and value == option_id, valid.get(option_id, False), selectable)
        if reason is None and repair is None:
            # immutable: one shared value per state of an option (a dict lookup is a tenth of
            # building a frozen dataclass, and a click builds one per value)
            known = states.get(flags)
            if known is None:
                known = states[flags] = OptionState(fact.id, *fact.parts, *flags)
            options.append(known)
        else:
            options.append(OptionState(fact.id, *fact.parts, *flags, reason, repair))
    return AttributeState(
        attribute=attr,
        chosen=chosen,
        source=source,
        forced=forced.get(attr.id) if attr.id not in kept else None,
        value=kept.get(attr.id)
        if attr.kind == "text"
        else value
        if checking.is_shown(value)
        else None,
        applicable=applicable,
        text=typed.get(attr.id, chosen or "") if attr.kind == "text" else "",
        error=" ".join(errors.get(attr.id, [])) or None,
        options=tuple(options),
    )


@dataclass(frozen=True)
class _Fact:
    """What never changes about one value of a product version."""

    id: str
    parts: tuple  # label, description, swatch, price delta: OptionState's fields after `id`
    is_option: bool


def _facts(ctx, engine: Engine) -> dict[str, tuple[tuple[_Fact, dict], ...]]:
    """What never changes about each value of a product version (label, price delta, swatch),
    each with the OptionStates built for it so far (by their flags): looked up once per
    version, not per option per click."""
    product = engine.product

    def build() -> dict[str, tuple[tuple[_Fact, dict], ...]]:
        found = {}
        for attr in product.attributes:
            facts = []
            for value in engine.domain(attr.id):
                option = attr.option(value) if attr.kind != "text" else None
                label = option.label if option else wording.option_label(product, attr.id, value)
                parts = (
                    label,
                    option.description if option else "",
                    option.swatch if option else None,
                    pricing.delta(product, attr.id, value),
                )
                facts.append((_Fact(value, parts, option is not None), {}))
            found[attr.id] = tuple(facts)
        return found

    return ctx.memos.get("option-facts", 64).get_or_compute((product.id, product.version), build)


def _reason(product: Product, found: Explanation | None) -> Reason | None:
    if found is None:
        return None
    text = wording.explanation(product, found.attribute, found.value, found.selections, found.rules)
    return Reason(found.selections, found.rules, text)


def _plan(
    product: Product,
    selections: Mapping[str, str],
    repair: Repair,
    *,
    clash: bool = False,
    requested: Mapping[str, str] | None = None,
) -> RepairPlan:
    """A repair as the shopper reads and follows it. Built on `selections` (the kept ones
    during a clash), it also drops what the clash dropped: those `requested` choices are
    named as cleared, so its words say every change its link makes."""
    after = apply_repair(selections, repair)
    changes = list(repair.changes)
    named = {a for a, _, _ in changes} | ({repair.wanted[0]} if repair.wanted else set())
    for attr_id, value in (requested or {}).items():
        if attr_id not in after and attr_id not in named:
            kind = getattr(product.attribute(attr_id), "kind", None)
            changes.append((attr_id, FILLED if kind == "text" else value, None))
    return RepairPlan(
        wanted=repair.wanted,
        changes=tuple(Change(a, old, new) for a, old, new in changes),
        selections=tuple(after.items()),
        text=wording.repair(product, repair.wanted, tuple(changes), clash=clash),
    )


def _label(product: Product, attribute_id: str) -> str:
    attr = product.attribute(attribute_id)
    return attr.label if attr else attribute_id


def _sku(product: Product, design: dict[str, str]) -> str:
    """Product SKU then each chosen option's SKU, in attribute order: what the workshop reads."""
    parts = [product.sku or product.id.upper()]
    for attr in product.attributes:
        value = design.get(attr.id)
        if not checking.is_shown(value) and value != FILLED:
            continue
        if attr.kind == "text":
            if attr.sku:
                parts.append(attr.sku)
            continue
        option = attr.option(value)
        if option is not None and option.sku:
            parts.append(option.sku)
    return "-".join(parts)


def _bom(product: Product, design: dict[str, str]) -> tuple[BomItem, ...]:
    """Every part the chosen options need, quantities summed per part, in attribute order."""
    totals: dict[tuple[str, str], Decimal] = {}
    for attr in product.attributes:
        option = attr.option(design.get(attr.id, NONE)) if attr.kind != "text" else None
        for line in option.bom if option is not None else ():
            key = (line.part, line.unit)
            totals[key] = totals.get(key, Decimal(0)) + line.quantity
    return tuple(BomItem(part, quantity, unit) for (part, unit), quantity in totals.items())
