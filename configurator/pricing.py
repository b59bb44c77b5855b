"""Prices as exact decimals: base price plus the delta of every chosen value.

Pure: takes the Product and a design ({attribute: domain value}), no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from configurator.catalog.model import FILLED, NONE, Product

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PriceLine:
    attribute: str
    label: str
    amount: Decimal


def lines(product: Product, design: dict[str, str]) -> list[PriceLine]:
    """One line per chosen value that changes the price, in attribute order."""
    out: list[PriceLine] = []
    for attr in product.attributes:
        value = design.get(attr.id)
        if value is None or value == NONE:
            continue
        if attr.kind == "text":
            if value and attr.price:
                out.append(PriceLine(attr.id, attr.label, attr.price))
            continue
        option = attr.option(value)
        if option is not None and option.price:
            out.append(PriceLine(attr.id, f"{attr.label}: {option.label}", option.price))
    return out


def total(product: Product, design: dict[str, str]) -> Decimal:
    return product.base_price + sum((line.amount for line in lines(product, design)), ZERO)


def delta(product: Product, attribute_id: str, value: str) -> Decimal:
    """What choosing `value` adds to the price (texts: when FILLED)."""
    attr = product.attribute(attribute_id)
    if attr is None or value == NONE:
        return ZERO
    if attr.kind == "text":
        return attr.price if value == FILLED else ZERO
    option = attr.option(value)
    return option.price if option else ZERO
