"""DIMACS CNF feature models read as catalogs.

Each variable n becomes a required choice attribute `v<n>` (label: the name in its
`c <n> <name>` comment) with options `yes` (the variable is true) and `no`. Each
clause k becomes the excludes rule `c<k>` forbidding the one combination in which
every literal of the clause is false; unit clauses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from configurator.catalog.model import Product, Rule

from .generate import choice, make_product

YES = "yes"
NO = "no"


@dataclass(frozen=True)
class Dimacs:
    variables: int
    clauses: tuple[tuple[int, ...], ...]
    names: dict[int, str]


def parse(text: str) -> Dimacs:
    names: dict[int, str] = {}
    clauses: list[tuple[int, ...]] = []
    variables = 0
    pending: list[int] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("c"):
            parts = line.split(maxsplit=2)
            if len(parts) == 3 and parts[1].lstrip("-").isdigit():
                names[int(parts[1])] = parts[2]
            continue
        if line.startswith("p"):
            _, fmt, v, _c = line.split()
            if fmt != "cnf":
                raise ValueError(f"not a CNF: {line!r}")
            variables = int(v)
            continue
        for token in line.split():
            lit = int(token)
            if lit == 0:
                clauses.append(tuple(pending))
                pending = []
            else:
                pending.append(lit)
    if pending:
        clauses.append(tuple(pending))
    return Dimacs(variables=variables, clauses=tuple(clauses), names=names)


def attribute_of(var: int) -> str:
    return f"v{var}"


def pair(lit: int) -> tuple[str, str]:
    """The (attribute, value) a literal stands for."""
    return attribute_of(abs(lit)), YES if lit > 0 else NO


def to_product(model: Dimacs, product_id: str = "feature-model") -> Product:
    attrs = [
        choice(attribute_of(n), (YES, NO), label=model.names.get(n))
        for n in range(1, model.variables + 1)
    ]
    rules = []
    for k, clause in enumerate(model.clauses, start=1):
        when = tuple(dict.fromkeys(pair(-lit) for lit in clause))  # every literal false
        rules.append(
            Rule(
                id=f"c{k}",
                kind="excludes",
                message=f"Clause {k} forbids this combination.",
                when=tuple((a, (v,)) for a, v in when),
            )
        )
    return make_product(attrs, rules, product_id)


def load(path: str | Path) -> tuple[Dimacs, Product]:
    path = Path(path)
    model = parse(path.read_text(encoding="utf-8"))
    return model, to_product(model, path.stem)
