"""Small catalogs built in code, for engine and web tests that should not depend on YAML."""

from __future__ import annotations

from decimal import Decimal

from configurator.catalog.model import Attribute, Option, Product, Rule, Step


def product(
    attributes: dict[str, list[str]],
    rules: list[Rule] = (),
    *,
    optional=(),
    defaults=None,
    texts: dict[str, int] | None = None,
    product_id: str = "thing",
) -> Product:
    """attributes: {id: [option ids]}; optional: ids that may stay empty; texts: {id: max_length}."""
    defaults = defaults or {}
    attrs = [
        Attribute(
            id=a,
            label=a.replace("_", " ").capitalize(),
            required=a not in optional,
            default=defaults.get(a),
            options=tuple(
                Option(id=o, label=o.replace("_", " ").capitalize(), price=Decimal(i))
                for i, o in enumerate(opts)
            ),
        )
        for a, opts in attributes.items()
    ]
    for t, length in (texts or {}).items():
        attrs.append(
            Attribute(
                id=t,
                label=t.capitalize(),
                kind="text",
                required=t not in optional,
                max_length=length,
                pattern="[A-Z]+",
                price=Decimal("5"),
            )
        )
    return Product(
        id=product_id,
        name=product_id.capitalize(),
        description="",
        currency="EUR",
        base_price=Decimal("100"),
        views=("front",),
        attributes=tuple(attrs),
        steps=(Step("all", "All", tuple(a.id for a in attrs)),),
        rules=tuple(rules),
    )


def requires(rid, when, then, message=None) -> Rule:
    return Rule(id=rid, kind="requires", message=message or rid, when=_cond(when), then=_cond(then))


def excludes(rid, when, message=None) -> Rule:
    return Rule(id=rid, kind="excludes", message=message or rid, when=_cond(when))


def table(rid, attributes, rows, allowed=True, message=None) -> Rule:
    return Rule(
        id=rid,
        kind="table",
        message=message or rid,
        attributes=tuple(attributes),
        rows=tuple(tuple(r) for r in rows),
        allowed=allowed,
    )


def applies(rid, attribute, when, message=None) -> Rule:
    return Rule(
        id=rid, kind="applies", message=message or rid, attribute=attribute, when=_cond(when)
    )


def _cond(mapping: dict) -> tuple:
    return tuple((a, tuple(v) if isinstance(v, list | tuple) else (v,)) for a, v in mapping.items())
