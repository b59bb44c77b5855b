"""Each product's swatch colours as one stylesheet, so no page needs an inline style (the CSP's
style-src is 'self' only).

One rule per choice option with a swatch, on the class `swatch-<attribute id>-<option id>`:

    .swatch-shell_colour-red { background: #c8141f; }

A colour that is not a plain CSS colour (hex, a name, rgb()/rgba() of numbers) is left out, so
no catalog text can break out of its declaration.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_HEX = re.compile(r"#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})", re.ASCII | re.IGNORECASE)
_NAMED = re.compile(r"[a-z]{3,30}", re.ASCII | re.IGNORECASE)
_CHANNEL = r"\s*\d{1,3}(?:\.\d{1,3})?%?\s*"
_RGB = re.compile(
    rf"rgba?\({_CHANNEL},{_CHANNEL},{_CHANNEL}(?:,\s*(?:0|1|0?\.\d{{1,3}}|\d{{1,3}}%)\s*)?\)",
    re.ASCII,
)
_ID = re.compile(r"[a-z0-9_-]{1,64}", re.ASCII)  # catalog ids, as catalog/fields.py checks them
CACHED = 64


@dataclass(frozen=True)
class Stylesheet:
    css: str
    etag: str
    version: str  # the product's catalog version the CSS was made from


def safe_colour(value: str | None) -> str | None:
    """`value` if it is a colour that can only ever be a colour in CSS, else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if _HEX.fullmatch(value) or _NAMED.fullmatch(value) or _RGB.fullmatch(value):
        return value
    return None


def class_name(attribute_id: str, option_id: str) -> str:
    """The class a swatch's span carries: `swatch-<attribute id>-<option id>`."""
    return f"swatch-{attribute_id}-{option_id}"


def stylesheet(ctx, product_id: str) -> Stylesheet:
    """The product's swatch rules (UnknownProduct if there is none), made once per version."""
    product = ctx.catalogs.product(product_id)
    memo = ctx.memos.get("swatch-css", CACHED)
    return memo.get_or_compute((product.id, product.version), lambda: _made(product))


def _made(product) -> Stylesheet:
    rules = []
    for attribute in product.attributes:
        if attribute.kind != "choice" or not _ID.fullmatch(attribute.id):
            continue
        for option in attribute.options:
            colour = safe_colour(option.swatch)
            if colour is None or not _ID.fullmatch(option.id):
                continue
            rules.append(f".{class_name(attribute.id, option.id)} {{ background: {colour}; }}\n")
    css = "/* swatch colours */\n" + "".join(rules)
    etag = hashlib.sha256(css.encode()).hexdigest()[:32]
    return Stylesheet(css, etag, product.version)
