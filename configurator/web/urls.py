"""A design as a URL and back: every state is a bookmarkable query string.

`_order` lists the choices oldest first (repairs keep the newest); `_suggested` lists the
values the page showed checked that the shopper did not choose (`attr:value,...`: a form
sends every checked radio, and a suggestion sent back unchanged is not a choice); other
keys starting with "_" are the page's own (`_view`, `_focus`); attribute ids never start
with "_".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlencode

from flask import request, url_for

ORDER = "_order"
SUGGESTED = "_suggested"
PREFER = "_prefer"  # on a preview URL: the options pre-selected from declared preferences
# One limit for the app and the server (gunicorn.conf.py): gunicorn refuses request lines over
# REQUEST_LINE_BYTES (its hard cap) with a bare page of its own, so the app's query limit leaves
# 1022 bytes of that line for the method, the path and the HTTP version, and every address
# between the two gets the app's own 414.
REQUEST_LINE_BYTES = 8190
MAX_QUERY_BYTES = 7 * 1024


def query_for(selections: dict[str, str] | Iterable[tuple[str, str]]) -> str:
    """Canonical query string: selections in choice order (oldest first), plus their order."""
    items = selections.items() if isinstance(selections, dict) else selections
    pairs = [(k, v) for k, v in items if v != ""]
    parts = [_pair(k, v) for k, v in pairs]
    if len(pairs) > 1:
        parts.append(_pair(ORDER, ",".join(k for k, _ in pairs)))
    return "&".join(parts)


@lru_cache(maxsize=16384)
def _pair(key: str, value: str) -> str:
    """One `key=value`, quoted as urlencode does: a page builds hundreds of these links from
    the same few pairs (a pure function's memo, the same for every app)."""
    return urlencode([(key, value)])


def arg(args, name: str, default: str = "") -> str:
    """A query argument's first value: `args.get` raises and catches a KeyError per miss,
    and most of a click's optional arguments are missing."""
    return args[name] if name in args else default  # noqa: SIM401 (the point)


def selections_from(
    args, reserved: tuple[str, ...] = (), changed: str | None = None
) -> dict[str, object]:
    """Raw selections from request.args in choice order: the last value of each key wins.

    Keys `_order` does not name are newer (a choice made with JavaScript off) and go last,
    so repairs keep them. A value the page only suggested (`_suggested`) and that came
    back unchanged is dropped, unless it is the field that just `changed` (a click on a
    suggested tile makes it a choice).
    """
    suggested = suggestions_from(arg(args, SUGGESTED))
    raw: dict[str, object] = {}
    for key in args:
        if key in reserved or key.startswith("_"):
            continue
        values = args.getlist(key)
        value = values[-1] if values else ""
        if key != changed and suggested.get(key) == value:
            continue
        raw[key] = value
    order = [k for k in arg(args, ORDER).split(",") if k in raw]
    if order:
        raw = {**{k: raw[k] for k in order}, **{k: raw[k] for k in raw if k not in order}}
    return raw


def suggestions_field(pairs: Iterable[tuple[str, str]]) -> str:
    """The `_suggested` field's value: `attr:value` pairs, comma-separated."""
    return ",".join(f"{a}:{v}" for a, v in pairs)


def suggestions_from(field: str) -> dict[str, str]:
    pairs = (item.partition(":") for item in field.split(",")[:500])
    return {a: v for a, sep, v in pairs if sep and a}


def newest_last(raw: dict[str, object], changed: str | None) -> dict[str, object]:
    """The field htmx says just changed is the newest choice, wherever the form put it."""
    if changed not in raw:
        return raw
    return {**{k: v for k, v in raw.items() if k != changed}, changed: raw[changed]}


class Fields(dict):
    """A dict whose keys templates read as attributes (`links.query`, `links.to.review`):
    Jinja tries `getattr` first, and on a plain dict every such read raised and caught an
    AttributeError (about twenty a click)."""

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def routes(memos, product) -> Fields:
    """A product's fixed addresses (review, finish, save, surprise, start, each view's
    preview image), built once per product version and script root in `memos` (the app's):
    url_for was a tenth of a fresh click's template time."""

    def build() -> Fields:
        pid = product.id
        return Fields(
            {
                "review": url_for("shop.review", product_id=pid),
                "complete": url_for("shop.complete", product_id=pid),
                "save": url_for("designs.save_form", product_id=pid),
                "surprise": url_for("shop.surprise", product_id=pid),
                "start": url_for("shop.configure", product_id=pid),
                "images": {
                    v: url_for("preview.image", product_id=pid, view=v, fmt="webp")
                    for v in product.views
                },
            }
        )

    key = (product.id, product.version, request.script_root)
    return memos.get("product-routes", 256).get_or_compute(key, build)
