"""Random catalogs: hypothesis strategies for property tests, seeded generators for benchmarks.

The strategies build small Products (2-6 attributes, 1-4 options) that the brute-force
oracle can enumerate: optional and text attributes, defaults, and rules of all four
kinds with random conditions, table cells with "*" and "a|b", values outside an
attribute's domain, now and then a duplicated (so redundant) rule or an
unsatisfiable combination.

The seeded generators (`random.Random(seed)`, deterministic) build look-alikes of
real catalogs for the benchmarks. Each is satisfiable by construction: a few hidden
"witness" designs satisfy every rule generated.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from decimal import Decimal

from hypothesis import strategies as st

from configurator.catalog.model import ANY, FILLED, NONE, Attribute, Option, Product, Rule, Step

OPTION_IDS = ("p", "q", "r", "s")


class GeneratedProduct(Product):
    """A Product that hypothesis prints compactly (see `describe`)."""

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(describe(self))


def describe(product: Product) -> str:
    """One line per attribute and rule, e.g. `a1: choice p q, optional, default p`."""
    lines = [f"<product {product.id}>"]
    for a in product.attributes:
        kind = (
            f"text max {a.max_length} {a.pattern or ''}"
            if a.kind == "text"
            else "choice " + " ".join(a.option_ids)
        )
        extra = ("" if a.required else ", optional") + (
            f", default {a.default}" if a.default else ""
        )
        lines.append(f"  {a.id}: {kind.strip()}{extra}")
    for r in product.rules:
        if r.kind == "table":
            rows = " ".join("[" + ", ".join(row) + "]" for row in r.rows)
            body = f"{'allowed' if r.allowed else 'forbidden'} ({', '.join(r.attributes)}): {rows}"
        elif r.kind == "applies":
            body = f"{r.attribute} when {_condition(r.when)}"
        else:
            body = f"when {_condition(r.when)}" + (
                f" then {_condition(r.then)}" if r.kind == "requires" else ""
            )
        lines.append(f"  {r.id} {r.kind} {body}")
    return "\n".join(lines)


def _condition(condition) -> str:
    return " and ".join(f"{a}={'|'.join(vs)}" for a, vs in condition)


def make_product(attributes, rules, product_id: str = "generated", cls=Product) -> Product:
    attributes = tuple(attributes)
    return cls(
        id=product_id,
        name=product_id.capitalize(),
        description="",
        currency="EUR",
        base_price=Decimal("100"),
        views=("front",),
        attributes=attributes,
        steps=(Step("all", "All", tuple(a.id for a in attributes)),),
        rules=tuple(rules),
    )


def choice(attr_id: str, option_ids, *, required=True, default=None, label=None) -> Attribute:
    options = tuple(
        Option(id=o, label=f"{attr_id} {o}", price=Decimal(i)) for i, o in enumerate(option_ids)
    )
    return Attribute(
        id=attr_id,
        label=label or attr_id.upper(),
        required=required,
        default=default,
        options=options,
    )


def text(attr_id: str, *, required=True, max_length=3, pattern="[A-Z]+") -> Attribute:
    return Attribute(
        id=attr_id,
        label=attr_id.upper(),
        kind="text",
        required=required,
        max_length=max_length,
        pattern=pattern,
        price=Decimal("5"),
    )


def nameable_values(attr: Attribute) -> list[str]:
    """Values a rule may name for this attribute (NONE even where it is outside the domain)."""
    return [FILLED, NONE] if attr.kind == "text" else [*attr.option_ids, NONE]


# -- hypothesis strategies ---------------------------------------------------------


@st.composite
def attributes(draw, index: int) -> Attribute:
    attr_id = f"a{index}"
    required = draw(st.integers(0, 2)) > 0
    if draw(st.integers(0, 4)) == 0:
        return text(attr_id, required=required, pattern=draw(st.sampled_from(["[A-Z]+", None])))
    option_ids = OPTION_IDS[: draw(st.integers(1, 4))]
    default = draw(st.one_of(st.none(), st.sampled_from(option_ids)))
    return choice(attr_id, option_ids, required=required, default=default)


@st.composite
def conditions(draw, attrs: list[Attribute], max_size: int = 3):
    picked = draw(st.permutations(attrs))[: draw(st.integers(1, min(max_size, len(attrs))))]
    return tuple(
        (
            a.id,
            tuple(
                draw(
                    st.lists(
                        st.sampled_from(nameable_values(a)), min_size=1, max_size=2, unique=True
                    )
                )
            ),
        )
        for a in picked
    )


@st.composite
def cells(draw, attr: Attribute) -> str:
    values = nameable_values(attr)
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return ANY
    if kind == 1 and len(values) > 1:
        return "|".join(
            draw(st.lists(st.sampled_from(values), min_size=2, max_size=2, unique=True))
        )
    return draw(st.sampled_from(values))


@st.composite
def rules(draw, attrs: list[Attribute]) -> Rule:
    kind = draw(st.sampled_from(["requires", "excludes", "table", "applies"]))
    if kind == "requires":
        return Rule("r", kind, "", when=draw(conditions(attrs, 2)), then=draw(conditions(attrs, 2)))
    if kind == "excludes":
        return Rule("r", kind, "", when=draw(conditions(attrs)))
    if kind == "table":
        columns = draw(st.permutations(attrs))[: draw(st.integers(1, min(3, len(attrs))))]
        row = st.tuples(*(cells(a) for a in columns))
        return Rule(
            "r",
            kind,
            "",
            attributes=tuple(a.id for a in columns),
            rows=tuple(draw(st.lists(row, min_size=1, max_size=4))),
            allowed=draw(st.booleans()),
        )
    target = draw(st.sampled_from(attrs))
    others = [a for a in attrs if a is not target]
    return Rule("r", kind, "", attribute=target.id, when=draw(conditions(others, 2)))


@st.composite
def products(draw, min_attributes: int = 2, max_attributes: int = 6, max_rules: int = 5) -> Product:
    """A small random product; rule ids r0, r1, ... are unique, messages say which rule."""
    count = draw(st.integers(min_attributes, max_attributes))
    attrs = [draw(attributes(i)) for i in range(count)]
    drawn = draw(st.lists(rules(attrs), max_size=max_rules))
    if drawn and draw(st.integers(0, 4)) == 0:
        drawn.append(draw(st.sampled_from(drawn)))  # a duplicate is redundant
    named = [
        dataclasses.replace(rule, id=f"r{i}", message=f"Rule r{i} ({rule.kind}) forbids this")
        for i, rule in enumerate(drawn)
    ]
    return make_product(attrs, named, cls=GeneratedProduct)


@st.composite
def selections(draw, product: Product, problems: bool = True) -> dict[str, str]:
    """Selections in the order made (oldest first); with `problems`, some unusable ones."""
    order = draw(st.permutations([a.id for a in product.attributes]))
    out: dict[str, str] = {}
    for attr_id in order[: draw(st.integers(0, len(order)))]:
        attr = product.attribute(attr_id)
        if attr.kind == "text":
            texts = ["AB", "Q"] + (["abc", "TOOLONG"] if problems else [])
            out[attr_id] = draw(st.sampled_from(texts))
        else:
            values = [*attr.option_ids, NONE] + (["nope"] if problems else [])
            out[attr_id] = draw(st.sampled_from(values))
    if problems and draw(st.integers(0, 5)) == 0:
        out["ghost"] = "boo"
    return out


@st.composite
def values(draw, product: Product) -> dict[str, str]:
    """Domain values in the order chosen (oldest first): what the engine takes (every
    pair in its attribute's domain, as the callers guarantee)."""
    from .oracle import domains_of

    domains = domains_of(product)
    order = draw(st.permutations(list(domains)))
    return {a: draw(st.sampled_from(domains[a])) for a in order[: draw(st.integers(0, len(order)))]}


# -- seeded look-alikes for the benchmarks -------------------------------------------


def witnesses(
    rng: random.Random, attrs: list[Attribute], count: int, families: int = 8
) -> list[dict[str, str]]:
    """Valid designs the rules are built around: `families` templates (think model lines),
    each design copying its family's values mostly, so values correlate as in real catalogs."""
    templates = [{a.id: rng.choice(a.option_ids) for a in attrs} for _ in range(families)]
    out = []
    for i in range(count):
        template = templates[i % families]
        design = {}
        for attr in attrs:
            if not attr.required and rng.random() < 0.15:
                design[attr.id] = NONE
            elif rng.random() < 0.6:
                design[attr.id] = template[attr.id]
            else:
                design[attr.id] = rng.choice(attr.option_ids)
        out.append(design)
    return out


def _matches(witness: dict[str, str], condition) -> bool:
    return all(witness[a] in values for a, values in condition)


def compatibility_table(
    rng: random.Random,
    rule_id: str,
    keys: list[Attribute],
    dependents: list[Attribute],
    pool: list[dict[str, str]],
    *,
    rows: int,
    offered: float = 0.7,
    star: float = 0.15,
    pipes: bool = False,
    message: str = "Not available in this combination.",
) -> Rule:
    """Allowed rows the way catalogs hold them: for each offered combination of the key
    columns (model, engine...), the dependent values it allows, spelled out as one row per
    combination (`pipes` False: specific cells) or one row with "a|b" cells. Each dependent
    column is "*" for some combinations. Every design of `pool` fits some row; `rows` is
    the rough size wanted."""
    key_values = [k.option_ids for k in keys]
    everything = 1
    for values in key_values:
        everything *= len(values)
    if everything <= 4000:
        combinations = list(itertools.product(*key_values))
    else:  # too many to list: a random sample of them
        combinations = list(
            dict.fromkeys(tuple(rng.choice(values) for values in key_values) for _ in range(4000))
        )
    needed: dict[tuple, list[set[str]]] = {}
    for w in pool:
        found = needed.setdefault(tuple(w[k.id] for k in keys), [set() for _ in dependents])
        for values, d in zip(found, dependents, strict=True):
            values.add(w[d.id])
    offered = min(offered, rows / len(combinations))
    listed = [c for c in combinations if c in needed or rng.random() < offered]
    already = set(listed)
    listed += [c for c in needed if c not in already]
    budget = max(1.0, rows / max(1, len(listed)))
    profiles = [_profile(rng, dependents, star, budget) for _ in range(rng.randint(2, 6))]
    out: list[tuple[str, ...]] = []
    for combo in listed:
        columns = rng.choice(profiles)
        if combo in needed:  # widen a profile so that the pool's designs fit
            columns = [
                c if c == [ANY] else sorted(set(c) | values)
                for c, values in zip(columns, needed[combo], strict=True)
            ]
            columns = _within(columns, budget)
        if pipes:
            out.append(combo + tuple("|".join(c) for c in columns))
        else:
            out.extend(combo + cells for cells in itertools.product(*columns))
    return Rule(
        rule_id,
        "table",
        message,
        attributes=tuple(a.id for a in [*keys, *dependents]),
        rows=tuple(dict.fromkeys(out)),
        allowed=True,
    )


def _profile(
    rng: random.Random, dependents: list[Attribute], star: float, budget: float
) -> list[list[str]]:
    """The dependent values one group of key combinations allows (tables repeat a few of these)."""
    columns = [[ANY] if rng.random() < star else [rng.choice(d.option_ids)] for d in dependents]
    size = 1
    for _ in range(20):  # widen random columns while the rows stay within budget
        open_columns = [i for i, c in enumerate(columns) if c != [ANY]]
        if not open_columns or size * 2 > budget + 1:
            break
        i = rng.choice(open_columns)
        spare = [o for o in dependents[i].option_ids if o not in columns[i]]
        if spare:
            size = size // len(columns[i]) * (len(columns[i]) + 1)
            columns[i].append(rng.choice(spare))
    return _within(columns, budget)


def _within(columns: list[list[str]], budget: float) -> list[list[str]]:
    """Join the widest columns' values with "|" until the cross product fits the budget."""
    columns = [list(c) for c in columns]
    size = 1
    for c in columns:
        size *= len(c)
    while size > budget and any(len(c) > 1 for c in columns):
        widest = max(columns, key=len)
        size //= len(widest)
        widest[:] = ["|".join(widest)]
    return columns


def generated_catalog(
    seed: int = 1, attributes: int = 100, options: int = 10, rules: int = 300
) -> Product:
    """(b) A generic catalog: requires, excludes, 3- and 4-attribute tables, a few applies."""
    rng = random.Random(seed)
    attrs = [
        choice(
            f"g{i:03d}",
            [f"o{j}" for j in range(options)],
            required=rng.random() > 0.1,
            default=f"o{rng.randrange(options)}" if rng.random() < 0.3 else None,
        )
        for i in range(attributes)
    ]
    pool = witnesses(rng, attrs, 40)
    out: list[Rule] = []
    targets = rng.sample(attrs[attributes // 2 :], max(1, rules // 60))
    sources = attrs[: attributes // 2]
    for target in targets:  # applies first: they decide where the witnesses are empty
        source = rng.choice(sources)
        when = ((source.id, tuple(rng.sample(source.option_ids, max(1, options // 2)))),)
        for w in pool:
            if not _matches(w, when):
                w[target.id] = NONE
            elif w[target.id] == NONE:
                w[target.id] = rng.choice(target.option_ids)
        out.append(
            Rule(
                f"b{len(out)}",
                "applies",
                "Only with the right base.",
                attribute=target.id,
                when=when,
            )
        )
    while len(out) < rules:
        roll = rng.random()
        rule_id = f"b{len(out)}"
        if roll < 0.4:
            a, b = rng.sample(attrs, 2)
            when = ((a.id, (rng.choice(a.option_ids),)),)
            then = {w[b.id] for w in pool if _matches(w, when)} | set(rng.sample(b.option_ids, 2))
            then = tuple(v for v in [*b.option_ids, NONE] if v in then)
            out.append(
                Rule(rule_id, "requires", "These go together.", when=when, then=((b.id, then),))
            )
        elif roll < 0.65:
            picked = rng.sample(attrs, rng.randint(2, 3))
            when = tuple((a.id, tuple(rng.sample(a.option_ids, rng.randint(1, 2)))) for a in picked)
            if not any(_matches(w, when) for w in pool):
                out.append(Rule(rule_id, "excludes", "These do not go together.", when=when))
        elif roll < 0.9:
            columns = rng.sample(attrs, rng.choice([3, 4]))
            out.append(
                compatibility_table(
                    rng,
                    rule_id,
                    columns[:1],
                    columns[1:],
                    pool,
                    rows=10,
                    offered=0.8,
                    star=0.2,
                    pipes=True,
                    message="Not in this combination.",
                )
            )
        else:
            columns = rng.sample(attrs, rng.choice([3, 4]))
            rows = []
            for _ in range(rng.randint(3, 15)):
                row = tuple(rng.choice([ANY, rng.choice(a.option_ids)]) for a in columns)
                if not any(
                    all(c in (ANY, w[a.id]) for a, c in zip(columns, row, strict=True))
                    for w in pool
                ):
                    rows.append(row)
            if rows:
                out.append(
                    Rule(
                        rule_id,
                        "table",
                        "Not offered.",
                        attributes=tuple(a.id for a in columns),
                        rows=tuple(rows),
                        allowed=False,
                    )
                )
    return make_product(attrs, out, "generated")


def _car_attributes(rng: random.Random, count: int, sizes, keys: int) -> list[Attribute]:
    return [
        choice(
            f"f{i:03d}",
            [f"c{i:03d}{j:03d}" for j in range(sizes(i))],
            required=i < keys or rng.random() > 0.25,
        )
        for i in range(count)
    ]


def _car_tables(rng, attrs, keys, tables, max_width, pool, rows_for, message) -> list[Rule]:
    """Tables keyed by 1-3 key attributes, the other columns equipment."""
    others = attrs[len(keys) :]
    out = []
    for t in range(tables):
        width = rng.randint(2, max_width)
        key_count = min(width - 1, rng.choice([1, 1, 2, 2, 3]))
        table_keys = rng.sample(keys, key_count)
        dependents = rng.sample(others, width - key_count)
        out.append(
            compatibility_table(
                rng, f"t{t:03d}", table_keys, dependents, pool, rows=rows_for(t), message=message
            )
        )
    return out


def car_catalog(
    seed: int = 2, attributes: int = 150, tables: int = 175, max_width: int = 10
) -> Product:
    """(c) A car look-alike: allowed-mode compatibility tables keyed by a few attributes
    (model, body, engine, gearbox, market, trim), mostly specific cells, some "*"."""
    rng = random.Random(seed)
    key_sizes = [8, 4, 12, 3, 20, 5]

    def size(i: int) -> int:
        return (
            key_sizes[i]
            if i < len(key_sizes)
            else rng.choice([2, 2, 3, 3, 4, 5, 6, 8, 10, 12, 16, 24])
        )

    attrs = _car_attributes(rng, attributes, size, len(key_sizes))
    pool = witnesses(rng, attrs, 24)
    out = _car_tables(
        rng,
        attrs,
        attrs[: len(key_sizes)],
        tables,
        max_width,
        pool,
        lambda t: rng.randint(20, 400),
        "This equipment is not available with this car.",
    )
    return make_product(attrs, out, "car")


def large_car_catalog(
    seed: int = 3,
    attributes: int = 270,
    max_options: int = 324,
    tables: int = 330,
    rows: int = 226_000,
) -> Product:
    """(d) A large car look-alike: up to `max_options` options per attribute and about `rows`
    table rows in all (allowed mode); a few tables hold most rows, as in real order-code data."""
    rng = random.Random(seed)
    big = [max_options, 200, 160, 120, 96, 64, 48, 40]

    def size(i: int) -> int:
        return (
            big[i] if i < len(big) else rng.choice([2, 2, 3, 3, 4, 4, 5, 6, 8, 10, 12, 16, 20, 30])
        )

    attrs = _car_attributes(rng, attributes, size, len(big))
    pool = witnesses(rng, attrs, 40, families=20)
    weights = [rng.paretovariate(1.2) for _ in range(tables)]
    scale = rows / sum(weights)
    out = _car_tables(
        rng,
        attrs,
        attrs[: len(big)],
        tables,
        8,
        pool,
        lambda t: int(weights[t] * scale * 1.3),  # budgets are rough: aim a little high
        "This code is not offered with this car.",
    )
    return make_product(attrs, out, "car-large")


def row_count(product: Product) -> int:
    return sum(len(r.rows) for r in product.rules if r.kind == "table")
