"""What a catalog change will do before it goes live: the differences, and their impact on live data.

`plan(old, new, ctx=ctx)` compares two loaded catalogs: products, attributes and options
added, removed and renamed (an option's `replaces`), prices (exact decimals), rules (by
id, `file:line` on both sides), the engine's analysis (dead options, conflicts, redundant
rules, the number of valid designs: `services.analysis`) and the artwork files (SHA-256).
With a Context it also reads the shop's database: each saved design is evolved under the
old and the new catalog (`services.evolution`, as the shop itself will show it), and each
order not yet shipped is checked for options the change removes (orders are snapshots and
never change, but the workshop should know).

Two kinds of finding decide a CI gate (`Plan.breaking()`, `Plan.warnings()`):

breaking   a product, attribute or option removed (an option renamed through `replaces`
           is not removed); a new dead option; a product whose rules newly allow no
           design; a saved design made invalid; an unshipped order naming a removed option.
warnings   a price changed; a new redundant rule; an option renamed; a saved design
           repriced or migrated through `replaces`; an unshipped order naming a renamed option.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from configurator.catalog.checks import image_expansions
from configurator.catalog.model import NOWHERE, Catalog, Product, Rule, Source
from configurator.store import Order, SavedDesign

from . import analysis, evolution
from .catalogs import Catalogs
from .memo import Memos
from .wording import label_of

UNSHIPPED = (
    "awaiting_payment",
    "paid",
    "in_production",
)  # orders.STATUSES not yet shipped or cancelled
FATES = ("saved", "invalid", "repriced", "migrated", "unchanged")  # a saved design's, counted


@dataclass(frozen=True)
class AttributeRef:
    product: str
    attribute: str
    label: str
    kind: str


@dataclass(frozen=True)
class OptionRef:
    product: str
    attribute: str
    option: str
    label: str  # as the shopper reads it: "Shell colour: Chrome"
    price: Decimal


@dataclass(frozen=True)
class Rename:
    product: str
    attribute: str
    old: str
    new: str
    old_label: str
    new_label: str


@dataclass(frozen=True)
class PriceChange:
    product: str
    attribute: str | None  # None: the product's base price
    option: str | None  # None: the base price, or a text attribute's price
    label: str
    currency: str
    old: Decimal
    new: Decimal

    @property
    def delta(self) -> Decimal:
        return self.new - self.old


@dataclass(frozen=True)
class RuleRef:
    product: str
    rule: str
    kind: str
    where: str  # file:line, the file relative to the catalog folder


@dataclass(frozen=True)
class RuleChange:
    product: str
    rule: str
    old_where: str
    new_where: str
    changed: tuple[str, ...]  # the rule's fields that differ: message, when, then, rows...
    renames_only: bool = False  # nothing changed but option ids renamed through `replaces`


@dataclass(frozen=True)
class DeadOption:
    product: str
    attribute: str
    option: str
    label: str
    because: tuple[str, ...]  # "rule-id (file:line)"


@dataclass(frozen=True)
class AnalysisChange:
    """One product's analysis before and after (`old_*` None: the product is new)."""

    product: str
    old_satisfiable: bool | None
    new_satisfiable: bool
    conflict: tuple[str, ...]  # when the rules newly allow no design: "rule-id (file:line)"
    dead_added: tuple[DeadOption, ...]
    dead_removed: tuple[DeadOption, ...]
    redundant_added: tuple[RuleRef, ...]
    redundant_removed: tuple[RuleRef, ...]
    designs_old: int | None
    designs_new: int | None
    designs_exact: bool  # both counts exact


@dataclass(frozen=True)
class FileChange:
    path: str  # relative to the catalog folder
    change: str  # added, removed, changed
    old_sha256: str | None
    new_sha256: str | None


@dataclass(frozen=True)
class DesignImpact:
    """A product's saved designs under the new catalog, against the old."""

    product: str
    saved: int
    invalid: (
        int  # usable before, not after: a choice removed (no `replaces`), a clash, refused text
    )
    repriced: int  # still usable, another total
    migrated: int  # a choice moves to a new id through `replaces`
    unchanged: int


@dataclass(frozen=True)
class OrderImpact:
    number: str
    status: str
    product: str
    removed: tuple[str, ...]  # "attribute=option" the change removes
    renamed: tuple[str, ...]  # "attribute=old->new"


@dataclass(frozen=True)
class Impact:
    designs: tuple[DesignImpact, ...]
    orders: tuple[OrderImpact, ...]


@dataclass(frozen=True)
class Plan:
    products_added: tuple[str, ...]
    products_removed: tuple[str, ...]
    attributes_added: tuple[AttributeRef, ...]
    attributes_removed: tuple[AttributeRef, ...]
    options_added: tuple[OptionRef, ...]
    options_removed: tuple[OptionRef, ...]
    options_renamed: tuple[Rename, ...]
    prices: tuple[PriceChange, ...]
    rules_added: tuple[RuleRef, ...]
    rules_removed: tuple[RuleRef, ...]
    rules_changed: tuple[RuleChange, ...]
    analysis: tuple[AnalysisChange, ...]
    artwork: tuple[FileChange, ...]
    impact: Impact | None = None

    def breaking(self) -> tuple[str, ...]:
        """One line per breaking finding (see the module's docstring)."""
        out = [f"product {p} removed" for p in self.products_removed]
        out += [f"attribute {a.product}.{a.attribute} removed" for a in self.attributes_removed]
        out += [
            f"option {o.product}.{o.attribute}={o.option} removed" for o in self.options_removed
        ]
        for change in self.analysis:
            if change.old_satisfiable is not False and not change.new_satisfiable:
                out.append(f"{change.product}: the rules allow no design")
            out += [f"dead option {d.product}.{d.attribute}={d.option}" for d in change.dead_added]
        if self.impact is not None:
            out += [
                f"{d.invalid} saved {d.product} design(s) made invalid"
                for d in self.impact.designs
                if d.invalid
            ]
            out += [
                f"order {o.number} ({o.status}) names removed {', '.join(o.removed)}"
                for o in self.impact.orders
                if o.removed
            ]
        return tuple(out)

    def warnings(self) -> tuple[str, ...]:
        """One line per warning (see the module's docstring)."""
        out = [f"price {p.label}: {p.old} -> {p.new}" for p in self.prices]
        out += [
            f"redundant rule {r.product}.{r.rule}" for a in self.analysis for r in a.redundant_added
        ]
        out += [
            f"option {r.product}.{r.attribute}={r.old} renamed {r.new}"
            for r in self.options_renamed
        ]
        if self.impact is not None:
            for d in self.impact.designs:
                if d.repriced:
                    out.append(f"{d.repriced} saved {d.product} design(s) repriced")
                if d.migrated:
                    out.append(f"{d.migrated} saved {d.product} design(s) migrated")
            out += [
                f"order {o.number} ({o.status}) names renamed {', '.join(o.renamed)}"
                for o in self.impact.orders
                if o.renamed and not o.removed
            ]
        return tuple(out)

    def to_json(self) -> dict:
        """JSON-ready: decimals and design counts as exact strings, tuples as lists."""
        body = {f.name: _json(getattr(self, f.name)) for f in fields(self)}
        body["breaking"] = list(self.breaking())
        body["warnings"] = list(self.warnings())
        return body


class CatalogBroken(ValueError):
    """A side has errors: its broken products are left out, so a plan would call them removed."""

    def __init__(self, side: str, problems):
        self.side = side
        self.problems = tuple(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"the {side} catalog has {len(self.problems)} error(s):\n{lines}")


def plan(old: Catalog, new: Catalog, *, ctx=None, count: bool = True) -> Plan:
    """Compare two catalogs; with `ctx`, also the impact on its database's saved designs and
    orders. `count`: count the valid designs (d4) in the analysis. Raises CatalogBroken when
    either side has an error."""
    for side, catalog in (("old", old), ("new", new)):
        errors = [p for p in catalog.problems if p.severity == "error"]
        if errors:
            raise CatalogBroken(side, errors)
    olds = {p.id: p for p in old.products}
    news = {p.id: p for p in new.products}
    both = [(olds[i], news[i]) for i in news if i in olds]
    attributes_added, attributes_removed = [], []
    added, removed, renamed, prices = [], [], [], []
    rules_added, rules_removed, rules_changed = [], [], []
    for before, after in both:
        a_added, a_removed = _attributes(before, after)
        attributes_added += a_added
        attributes_removed += a_removed
        o_added, o_removed, o_renamed = _options(before, after)
        added += o_added
        removed += o_removed
        renamed += o_renamed
        prices += _prices(before, after, o_renamed)
        r_added, r_removed, r_changed = _rules(before, after, o_renamed)
        rules_added += r_added
        rules_removed += r_removed
        rules_changed += r_changed
    changes = [_analysis(olds.get(i), p, renamed, count) for i, p in news.items()]
    result = Plan(
        products_added=tuple(i for i in news if i not in olds),
        products_removed=tuple(i for i in olds if i not in news),
        attributes_added=tuple(attributes_added),
        attributes_removed=tuple(attributes_removed),
        options_added=tuple(added),
        options_removed=tuple(removed),
        options_renamed=tuple(renamed),
        prices=tuple(prices),
        rules_added=tuple(rules_added),
        rules_removed=tuple(rules_removed),
        rules_changed=tuple(rules_changed),
        analysis=tuple(c for c in changes if c is not None),
        artwork=_artwork(old.products, new.products),
    )
    if ctx is None:
        return result
    return dataclasses.replace(result, impact=impact(ctx, old, new, result))


# -- the catalog's differences ---------------------------------------------------------


def _attributes(before: Product, after: Product) -> tuple[list, list]:
    def ref(product: Product, attribute) -> AttributeRef:
        return AttributeRef(product.id, attribute.id, attribute.label, attribute.kind)

    added = [ref(after, a) for a in after.attributes if before.attribute(a.id) is None]
    removed = [ref(before, a) for a in before.attributes if after.attribute(a.id) is None]
    return added, removed


def _options(before: Product, after: Product) -> tuple[list, list, list]:
    """Options added, removed and renamed in the attributes both versions have."""
    added, removed, renamed = [], [], []
    for attribute in after.attributes:
        was = before.attribute(attribute.id)
        if was is None or attribute.kind != "choice":
            continue
        successors = {old: o for o in attribute.options for old in o.replaces}
        targets = set()
        for option in was.options:
            if attribute.option(option.id) is not None:
                continue
            successor = successors.get(option.id)
            if successor is None:
                removed.append(_option_ref(before, attribute.id, option))
                continue
            targets.add(successor.id)
            renamed.append(
                Rename(
                    after.id,
                    attribute.id,
                    option.id,
                    successor.id,
                    label_of(before, attribute.id, option.id),
                    label_of(after, attribute.id, successor.id),
                )
            )
        added += [
            _option_ref(after, attribute.id, o)
            for o in attribute.options
            if was.option(o.id) is None and o.id not in targets
        ]
    return added, removed, renamed


def _option_ref(product: Product, attribute_id: str, option) -> OptionRef:
    label = label_of(product, attribute_id, option.id)
    return OptionRef(product.id, attribute_id, option.id, label, option.price)


def _prices(before: Product, after: Product, renamed: list[Rename]) -> list[PriceChange]:
    """Base, option (a renamed one against its old id) and text prices that differ."""
    out: list[PriceChange] = []

    def compare(attribute_id, option_id, label: str, old: Decimal, new: Decimal) -> None:
        if old != new:
            out.append(
                PriceChange(after.id, attribute_id, option_id, label, after.currency, old, new)
            )

    compare(None, None, f"{after.name}: base price", before.base_price, after.base_price)
    moved = {(r.attribute, r.new): r.old for r in renamed if r.product == after.id}
    for attribute in after.attributes:
        was = before.attribute(attribute.id)
        if was is None or was.kind != attribute.kind:
            continue
        if attribute.kind == "text":
            compare(attribute.id, None, f"{attribute.label}: text", was.price, attribute.price)
            continue
        for option in attribute.options:
            old = was.option(option.id) or was.option(moved.get((attribute.id, option.id), ""))
            if old is not None:
                label = label_of(after, attribute.id, option.id)
                compare(attribute.id, option.id, label, old.price, option.price)
    return out


def _rules(before: Product, after: Product, renamed: list[Rename]) -> tuple[list, list, list]:
    olds = {r.id: r for r in before.rules}
    news = {r.id: r for r in after.rules}
    added = [_rule_ref(after, r) for i, r in news.items() if i not in olds]
    removed = [_rule_ref(before, r) for i, r in olds.items() if i not in news]
    moves = {(r.attribute, r.old): r.new for r in renamed if r.product == after.id}
    changed = []
    for rule_id, rule in news.items():
        was = olds.get(rule_id)
        if was is None:
            continue
        differ = _differ(was, rule)
        if differ:
            changed.append(
                RuleChange(
                    after.id,
                    rule_id,
                    where(before, was.source),
                    where(after, rule.source),
                    differ,
                    renames_only=not _differ(_follow(was, moves), rule),
                )
            )
    return added, removed, changed


def _differ(was: Rule, rule: Rule) -> tuple[str, ...]:
    """The fields of a rule that differ, its source aside."""
    return tuple(
        f.name
        for f in fields(Rule)
        if f.name != "source" and getattr(was, f.name) != getattr(rule, f.name)
    )


def _follow(rule: Rule, moves: dict[tuple[str, str], str]) -> Rule:
    """The rule with every renamed option id replaced by its successor."""

    def values(attribute: str, ids) -> tuple[str, ...]:
        return tuple(moves.get((attribute, v), v) for v in ids)

    def cell(attribute: str, text: str) -> str:
        return "|".join(values(attribute, text.split("|")))

    return dataclasses.replace(
        rule,
        when=tuple((a, values(a, vs)) for a, vs in rule.when),
        then=tuple((a, values(a, vs)) for a, vs in rule.then),
        rows=tuple(
            tuple(cell(a, c) for a, c in zip(rule.attributes, row, strict=False))
            for row in rule.rows
        ),
    )


def _rule_ref(product: Product, rule: Rule) -> RuleRef:
    return RuleRef(product.id, rule.id, rule.kind, where(product, rule.source))


def where(product: Product, source: Source) -> str:
    """file:line with the file relative to the product's catalog folder (the same on both sides)."""
    if source == NOWHERE:
        return "?"
    try:
        relative = Path(os.path.abspath(source.file)).relative_to(os.path.abspath(product.folder))
    except ValueError:
        relative = Path(source.file)
    return f"{relative.as_posix()}:{source.line}"


# -- analysis ---------------------------------------------------------------------------


def _analysis(
    before: Product | None, after: Product, renamed: list[Rename], count: bool
) -> AnalysisChange | None:
    """The analysis of a new or changed product against its old version (None: no change)."""
    if before is not None and before.version == after.version:
        return None
    new = analysis.analyse_product(after, quiet=True, count=count)
    old = analysis.analyse_product(before, quiet=True, count=count) if before else None
    moved = {(r.attribute, r.old): r.new for r in renamed if r.product == after.id}
    old_dead = {
        (d.attribute, moved.get((d.attribute, d.value), d.value)): d
        for d in (old.dead if old else ())
    }
    new_dead = {(d.attribute, d.value): d for d in new.dead}
    still = {k for k in old_dead if (a := after.attribute(k[0])) is not None and a.option(k[1])}
    old_redundant = {r.id: r for r in (old.redundant if old else ())}
    new_redundant = {r.id: r for r in new.redundant}
    newly_unsatisfiable = not new.satisfiable and (old is None or old.satisfiable)
    change = AnalysisChange(
        product=after.id,
        old_satisfiable=old.satisfiable if old else None,
        new_satisfiable=new.satisfiable,
        conflict=tuple(_cite(after, r) for r in new.conflict) if newly_unsatisfiable else (),
        dead_added=tuple(_dead(after, d) for k, d in new_dead.items() if k not in old_dead),
        dead_removed=tuple(
            _dead(before, d) for k, d in old_dead.items() if k not in new_dead and k in still
        ),
        redundant_added=tuple(
            _rule_ref(after, r) for i, r in new_redundant.items() if i not in old_redundant
        ),
        redundant_removed=tuple(
            _rule_ref(before, r) for i, r in old_redundant.items() if i not in new_redundant
        ),
        designs_old=old.count if old else None,
        designs_new=new.count,
        designs_exact=new.count_exact and (old is None or old.count_exact),
    )
    quiet = (
        change.old_satisfiable == change.new_satisfiable
        and not (change.dead_added or change.dead_removed)
        and not (change.redundant_added or change.redundant_removed)
        and change.designs_old == change.designs_new
    )
    return None if quiet and before is not None else change


def _dead(product: Product, dead) -> DeadOption:
    label = label_of(product, dead.attribute, dead.value)
    because = tuple(_cite(product, r) for r in dead.rules)
    return DeadOption(product.id, dead.attribute, dead.value, label, because)


def _cite(product: Product, rule: Rule) -> str:
    return f"{rule.id} ({where(product, rule.source)})"


# -- artwork ----------------------------------------------------------------------------


def _artwork(olds, news) -> tuple[FileChange, ...]:
    before, after = _artwork_files(olds), _artwork_files(news)
    out = []
    for path in sorted(set(before) | set(after)):
        was, now = before.get(path), after.get(path)
        if was == now:
            continue
        change = "added" if was is None else "removed" if now is None else "changed"
        out.append(FileChange(path, change, was, now))
    return tuple(out)


def _artwork_files(products) -> dict[str, str]:
    """{path relative to the catalog folder: SHA-256} of every image a layer uses (placeholders
    filled in for every option); a missing file is left out (`catalog check` reports it)."""
    found: dict[str, str] = {}
    for product in products:
        attributes = {a.id: a for a in product.attributes}
        images = {
            layer.image
            for a in product.attributes
            for o in a.options
            for layer in o.layers
            if layer.image
        }
        for image in sorted(images):
            expansions, _ = image_expansions(image, attributes, set(attributes))
            for path, _filled in expansions:
                if path in found:
                    continue
                try:
                    found[path] = hashlib.sha256(
                        (Path(product.folder) / path).read_bytes()
                    ).hexdigest()
                except OSError:
                    continue
    return found


# -- impact on live data --------------------------------------------------------------


def under(ctx, catalog: Catalog):
    """The Context with `catalog` in place of the loaded one (the same database)."""
    return dataclasses.replace(ctx, catalogs=Catalogs.holding(catalog), memos=Memos())


def impact(ctx, old: Catalog, new: Catalog, found: Plan) -> Impact:
    """Saved designs per product and unshipped orders, as the change will leave them."""
    with ctx.database.session() as session:
        saved = session.execute(
            select(SavedDesign.product_id, SavedDesign.catalog_version, SavedDesign.choices)
            .where(SavedDesign.product_id.in_([p.id for p in old.products]))
            .order_by(SavedDesign.id)
        ).all()
        orders = session.execute(
            select(Order.number, Order.status, Order.product_id, Order.snapshot)
            .where(Order.status.in_(UNSHIPPED))
            .order_by(Order.id)
        ).all()
    return Impact(_designs(ctx, old, new, saved), _orders(old, new, found, orders))


def _designs(ctx, old: Catalog, new: Catalog, rows) -> tuple[DesignImpact, ...]:
    before, after = under(ctx, old), under(ctx, new)
    tally: dict[str, dict[str, int]] = {}
    seen: dict[tuple, str] = {}
    for product_id, version, choices in rows:
        pairs = tuple((a, v) for a, v in choices)
        key = (product_id, version, pairs)
        if key not in seen:
            seen[key] = _fate(before, after, old, new, product_id, version, pairs)
        counts = tally.setdefault(product_id, dict.fromkeys(FATES, 0))
        counts["saved"] += 1
        for fate in seen[key].split("+"):
            counts[fate] += 1
    return tuple(
        DesignImpact(p, c["saved"], c["invalid"], c["repriced"], c["migrated"], c["unchanged"])
        for p, c in tally.items()
    )


def _fate(before, after, old: Catalog, new: Catalog, product_id, version, pairs) -> str:
    """'invalid', 'unchanged', or 'repriced' / 'migrated' / 'migrated+repriced'."""
    if new.product(product_id) is None:
        return "invalid"
    if old.product(product_id).version == new.product(product_id).version:
        return "unchanged"
    was = evolution.evolve(before, product_id, version, pairs, None)
    now = evolution.evolve(after, product_id, version, pairs, None)
    if _usable(now, pairs) is False and _usable(was, pairs) is not False:
        return "invalid"
    fates = []
    if dict(was.choices) != dict(now.choices) and len(was.choices) == len(now.choices):
        fates.append("migrated")
    if _usable(now, pairs) and was.state.total != now.state.total:
        fates.append("repriced")
    return "+".join(fates) or "unchanged"


def _usable(found: evolution.Evolution, pairs) -> bool:
    """Every saved choice kept (maybe renamed), no clash, nothing refused."""
    return len(found.choices) == len(pairs) and found.state.consistent


def _orders(old: Catalog, new: Catalog, found: Plan, rows) -> tuple[OrderImpact, ...]:
    removed = {(o.product, o.attribute, o.option) for o in found.options_removed}
    gone = {(a.product, a.attribute) for a in found.attributes_removed}
    renamed = {(r.product, r.attribute, r.old): r.new for r in found.options_renamed}
    out = []
    for number, status, product_id, snapshot in rows:
        if old.product(product_id) is None:
            continue  # a product this plan does not touch
        lines = [s for s in snapshot.get("selections", ()) if "option" in s]
        names = [(s["attribute"], s["option"]) for s in lines]
        dropped = tuple(
            f"{a}={o}"
            for a, o in names
            if new.product(product_id) is None
            or (product_id, a) in gone
            or (product_id, a, o) in removed
        )
        moved = tuple(
            f"{a}={o}->{renamed[(product_id, a, o)]}"
            for a, o in names
            if (product_id, a, o) in renamed
        )
        if dropped or moved:
            out.append(OrderImpact(number or "", status, product_id, dropped, moved))
    return tuple(out)


# -- loading a git revision -----------------------------------------------------------


class RevisionError(RuntimeError):
    """The folder is not in a git repository, or the revision (or its folder) is unknown."""


@contextmanager
def revision_folder(folder: Path, rev: str) -> Iterator[Path]:
    """The catalog `folder` as it was at `rev`, extracted into a temporary folder (removed after)."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise RevisionError(f"{folder}: not a folder")
    top = _git(folder, "rev-parse", "--show-toplevel", what=f"{folder} is not in a git repository")
    prefix = _git(folder, "rev-parse", "--show-prefix", what=f"{folder} is not in a git repository")
    _git(
        folder,
        "rev-parse",
        "--verify",
        "--quiet",
        f"{rev}^{{commit}}",
        what=f"unknown revision {rev!r} in {top}",
    )
    temporary = Path(tempfile.mkdtemp(prefix="catalog-plan-"))
    try:
        _extract(top, rev, prefix, temporary)
        yield temporary / prefix
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _extract(top: str, rev: str, prefix: str, into: Path) -> None:
    """`git archive REV PREFIX | tar -x -C INTO`, streamed."""
    command = ["git", "-C", top, "archive", "--format=tar", rev, "--", prefix or "."]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as archive:
        extract = subprocess.run(
            ["tar", "-x", "-C", str(into)], stdin=archive.stdout, capture_output=True
        )
        archive.stdout.close()
        problem = archive.stderr.read().decode(errors="replace").strip()
    if archive.returncode != 0:
        raise RevisionError(f"{rev!r} has no folder {prefix or '.'!r}: {problem}")
    if extract.returncode != 0:
        raise RevisionError(f"could not extract {rev}: {extract.stderr.decode(errors='replace')}")


def _git(folder: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)
    except FileNotFoundError as error:
        raise RevisionError("git is not installed") from error
    if done.returncode != 0:
        raise RevisionError(what)
    return done.stdout.strip()


# -- JSON ---------------------------------------------------------------------------------


def _json(value):
    if dataclasses.is_dataclass(value):
        body = {f.name: _json(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, PriceChange):
            body["delta"] = _json(value.delta)
        if isinstance(value, AnalysisChange):  # counts outgrow JSON's safe integers
            for name in ("designs_old", "designs_new"):
                body[name] = None if body[name] is None else str(body[name])
        return body
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
