"""Fresh designs and the htmx click a browser sends for them, for the in-process click bench.

A fresh design is one this process has never requested: designs are deduplicated as
sets of selections, so neither the shop's page memo (keyed by the query string) nor any
cache keyed by the selections can answer from an earlier request.
"""

from __future__ import annotations

import gzip
import html
import random
import re
import zlib
from urllib.parse import urlencode, urlsplit

from configurator.catalog.model import NONE
from configurator.engine import Engine

from .bench_web import random_designs

URL_ATTRIBUTES = re.compile(r'(?:hx-get|href)="([^"]+)"')


def walked_designs(engine: Engine, count: int, seed: int) -> list[dict[str, str]]:
    """bench_web's designs (walking the valid domains), without repeats; for small catalogs."""
    out: list[dict[str, str]] = []
    batch = seed
    while len(out) < count:
        out = unique(out + random_designs(engine, count - len(out), seed=batch * 7919))
        batch += 1
    return out


def sampled_designs(
    engine: Engine, count: int, seed: int, per_full: int = 8
) -> list[dict[str, str]]:
    """Random subsets (random size and order) of random valid complete designs: consistent by
    construction and far cheaper than walking the domains of a large catalog."""
    rng = random.Random(seed)
    out: list[dict[str, str]] = []
    while len(out) < count:
        full = engine.random_design(rng.randrange(2**31), {})
        shown = [a for a, v in full.items() if v != NONE]
        for _ in range(per_full):
            picked = rng.sample(shown, rng.randint(1, len(shown)))
            out.append({a: full[a] for a in picked})
        out = unique(out)
    return out[:count]


def unique(designs: list[dict[str, str]]) -> list[dict[str, str]]:
    """Designs in order, each set of selections once."""
    seen: set[frozenset] = set()
    out = []
    for design in designs:
        key = frozenset(design.items())
        if key not in seen:
            seen.add(key)
            out.append(design)
    return out


def click_url(engine: Engine, product_id: str, design: dict[str, str]) -> tuple[str, str]:
    """(URL, changed attribute) of the htmx form request that makes `design`: the form's
    fields in page order, `_order` naming the earlier choices, the newest one changed."""
    changed = next(reversed(design))
    pairs = [(a.id, design[a.id]) for a in engine.product.attributes if a.id in design]
    earlier = [a for a in design if a != changed]
    if earlier:
        pairs.append(("_order", ",".join(earlier)))
    return f"/p/{product_id}?{urlencode(pairs)}", changed


def click_headers(product_id: str, changed: str) -> dict[str, str]:
    """What htmx and the browser send with a choice click."""
    return {
        "HX-Request": "true",
        "HX-Trigger-Name": changed,
        "HX-Current-URL": f"http://localhost/p/{product_id}",
        "Accept-Encoding": "gzip, br",
    }


def decoded(body: bytes, encoding: str | None) -> bytes | None:
    """The body before the app's Content-Encoding (None when this one cannot be undone here)."""
    if not encoding or encoding == "identity":
        return body
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "br":
        try:
            import brotli
        except ImportError:
            return None
        return brotli.decompress(body)
    return None


def reason_links(app, fragment: str, endpoints: set[str], first: bool = False) -> list[str]:
    """The URLs in the fragment that the app routes to one of `endpoints` (per-tile reasons);
    `first`: stop at the first.

    Matched by regular expressions made from the endpoints' rules, not by werkzeug's
    matcher: each of its matches leaves a reference cycle (a recursive closure), and the
    fragment has dozens of links, so the garbage of this harness was collected inside the
    next timed click."""
    if not endpoints:
        return []
    patterns = _rule_patterns(app, frozenset(endpoints))
    found = []
    for raw in URL_ATTRIBUTES.findall(fragment):
        url = html.unescape(raw)
        path = urlsplit(url).path
        if any(p.fullmatch(path) for p in patterns):
            found.append(url)
            if first:
                break
    return found


_PATTERNS: dict = {}


def _rule_patterns(app, endpoints: frozenset) -> list[re.Pattern]:
    """One regular expression per rule of `endpoints`: each `<converter:name>` part one
    path segment."""
    key = (id(app), endpoints)
    if key not in _PATTERNS:
        _PATTERNS[key] = [
            re.compile("[^/]+".join(re.escape(part) for part in re.split(r"<[^>]+>", rule.rule)))
            for rule in app.url_map.iter_rules()
            if rule.endpoint in endpoints
        ]
    return _PATTERNS[key]


def with_form(link: str, click: str) -> str:
    """A tile's link as htmx fetches it: the design form's fields (`hx-include`, here the
    click's query) and then the link's own query."""
    path, _, own = link.partition("?")
    query = "&".join(q for q in (click.partition("?")[2], own) if q)
    return f"{path}?{query}" if query else path


def reason_endpoints(app) -> set[str]:
    """Endpoints that look like a per-tile reason fetch: their name says why or reason."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "why" in rule.endpoint.lower() or "reason" in rule.endpoint.lower()
    }
