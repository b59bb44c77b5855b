"""The record of a finished design as the shopper saw it, made to be kept unchanged (orders).

Everything the workshop needs is copied in, nothing is looked up later: every attribute's
value with its option id, label and SKU code, typed text exactly as typed, each price line
and the total as exact decimal strings, the full SKU, the summed bill of materials, and
the preview of every view as content-addressed files (`files.Files`), the checks the work
order ticks off (the product's, then the chosen options' and typed texts' in attribute
order) and the font each typed text is made in. Catalog and artwork edits made afterwards
cannot change a snapshot: it holds no reference to either. Snapshots recorded before
`checks` and `font` existed have neither: no checks, the default font.
"""

from __future__ import annotations

from collections.abc import Mapping

from configurator.catalog.model import NONE
from configurator.render.text import FONT_PATH

from . import designs, previews
from .files import Files

PREVIEW_WIDTH = 800
PREVIEW_FORMAT = "webp"
TEXT_FONT = FONT_PATH.stem  # "DejaVuSans-Bold": the one font typed text is drawn and made in


class NotFinished(ValueError):
    """Only a complete, valid design can be recorded; the message says what is missing."""


def design_snapshot(ctx, product_id: str, raw: Mapping[str, object], files: Files) -> dict:
    """The snapshot of this design (JSON-ready); the preview files are stored in `files`."""
    state = designs.review(ctx, product_id, raw)
    if state.problems or state.conflict is not None:
        raise NotFinished("Some choices cannot be used or do not go together: change them first.")
    if not state.complete:
        raise NotFinished("The design is not finished: choose the remaining options first.")
    product = state.product
    chosen = dict(state.requested)
    shown = dict(state.design)
    lines = []
    checks = list(product.checks)
    for attr in product.attributes:
        value = shown.get(attr.id)
        if attr.kind == "text":
            typed = chosen.get(attr.id)
            if typed:
                lines.append(
                    {
                        "attribute": attr.id,
                        "label": attr.label,
                        "text": typed,
                        "sku": attr.sku,
                        "font": TEXT_FONT,
                    }
                )
                checks.extend(attr.checks)
            continue
        if value is None or value == NONE:
            continue
        option = attr.option(value)
        lines.append(
            {
                "attribute": attr.id,
                "label": attr.label,
                "option": value,
                "option_label": option.label if option else value,
                "sku": option.sku if option else "",
                "chosen": attr.id in chosen,
            }
        )
        checks.extend(option.checks if option else ())
    pictures = {}
    for view in product.views:
        planned = previews.plan(ctx, product_id, chosen, view, PREVIEW_WIDTH, PREVIEW_FORMAT)
        body = previews.fetch(ctx.previews, planned).body
        pictures[view] = files.put(body, f".{PREVIEW_FORMAT}")
    return {
        "product": product.id,
        "product_name": product.name,
        "catalog_version": product.version,
        "selections": lines,
        "price_lines": [
            {"attribute": p.attribute, "label": p.label, "amount": format(p.amount, "f")}
            for p in state.price_lines
        ],
        "base_price": format(product.base_price, "f"),
        "total": format(state.total, "f"),
        "currency": product.currency,
        "sku": state.sku,
        "bom": [
            {"part": b.part, "quantity": format(b.quantity, "f"), "unit": b.unit} for b in state.bom
        ],
        "previews": pictures,
        "checks": list(dict.fromkeys(checks)),
    }
