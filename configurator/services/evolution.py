"""A saved design under a newer catalog: what changed since it was saved, in words, and the way forward.

Each product version a design was saved under is recorded with a snapshot of its labels
and prices (`catalog_version.snapshot`), so a design opened later can name what it had:
"Since you saved this design, Chrome is no longer offered". Ids an option `replaces`
move to that option without a word; removed options and attributes are left out and
said so; choices that now clash are shown as they are with the engine's repair; a new
price is given beside the one shown at saving. Nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from configurator.catalog.model import Product
from configurator.store import CatalogVersion

from . import designs
from .state import DesignState


@dataclass(frozen=True)
class Evolution:
    """A saved design as it stands today."""

    choices: tuple[tuple[str, str], ...]  # the saved choices, moved to today's ids
    state: DesignState  # configured from `choices` under today's catalog
    notes: tuple[str, ...]  # each change since it was saved, in words
    repaired: tuple[tuple[str, str], ...] | None  # one click: what to save instead, if anything

    @property
    def changed(self) -> bool:
        return bool(self.notes)


def snapshot(product: Product) -> dict:
    """Labels and prices of one product version: what a later version's notes quote."""
    return {
        "name": product.name,
        "currency": product.currency,
        "base_price": format(product.base_price, "f"),
        "attributes": {
            a.id: {
                "label": a.label,
                "kind": a.kind,
                "options": {
                    o.id: {"label": o.label, "price": format(o.price, "f")} for o in a.options
                },
            }
            for a in product.attributes
        },
    }


def record_version(session, product: Product) -> None:
    """Make sure this product version and its snapshot are in the database (in the
    caller's transaction: a design is never saved under a version nobody recorded)."""
    row = session.scalar(
        select(CatalogVersion).where(
            CatalogVersion.product_id == product.id, CatalogVersion.version == product.version
        )
    )
    if row is None:
        session.add(
            CatalogVersion(
                product_id=product.id,
                version=product.version,
                name=product.name,
                snapshot=snapshot(product),
            )
        )
    elif row.snapshot is None:
        row.snapshot = snapshot(product)


def evolve(
    ctx,
    product_id: str,
    version: str,
    choices: Sequence[Sequence[str]],
    saved_total: str | None,
) -> Evolution:
    """The saved choices under today's catalog, with a note for every change."""
    product = ctx.catalogs.product(product_id)
    old = _snapshot(ctx, product_id, version) if version != product.version else None
    notes: list[str] = []
    moved: list[tuple[str, str]] = []
    for attribute_id, value in choices:
        attribute = product.attribute(attribute_id)
        was = (old or {}).get("attributes", {}).get(attribute_id, {})
        if attribute is None:
            label = was.get("label", attribute_id)
            notes.append(
                f"Since you saved this design, {label} is no longer offered, so your "
                f"choice “{_option_label(was, value)}” is left out."
            )
            continue
        if attribute.kind == "choice" and value not in attribute.option_ids and value != "none":
            successor = next((o for o in attribute.options if value in o.replaces), None)
            if successor is None:
                notes.append(
                    f"Since you saved this design, {_option_label(was, value)} is no longer "
                    f"offered for {attribute.label}."
                )
                continue
            value = successor.id  # renamed: moves without a word
        moved.append((attribute_id, value))
    state = designs.review(ctx, product_id, dict(moved))
    if state.conflict is not None:
        notes.append(
            f"Since you saved this design, these choices no longer go together: "
            f"{state.conflict.text}"
        )
    if saved_total is not None and Decimal(saved_total) != state.total:
        currency = product.currency
        notes.append(
            f"The price changed from {currency} {saved_total} to {currency} {state.total}."
        )
    repaired = None
    if notes:
        kept = dict(state.conflict_repair.selections) if state.conflict_repair else dict(moved)
        repaired = tuple((a, v) for a, v in kept.items() if v != "")
    return Evolution(tuple(moved), state, tuple(notes), repaired)


def version_snapshots(ctx, product_id: str) -> list[dict]:
    """Every recorded version's snapshot of a product, newest first (none when the database
    is away or not migrated: the shop answers without it)."""
    try:
        with ctx.database.session() as session:
            rows = session.scalars(
                select(CatalogVersion.snapshot)
                .where(
                    CatalogVersion.product_id == product_id, CatalogVersion.snapshot.is_not(None)
                )
                .order_by(CatalogVersion.id.desc())
            ).all()
    except DBAPIError:
        return []
    return [r for r in rows if r]


def _snapshot(ctx, product_id: str, version: str) -> dict | None:
    with ctx.database.session() as session:
        return session.scalar(
            select(CatalogVersion.snapshot).where(
                CatalogVersion.product_id == product_id, CatalogVersion.version == version
            )
        )


def _option_label(was: dict, value: str) -> str:
    option = was.get("options", {}).get(value)
    return option["label"] if option else value
