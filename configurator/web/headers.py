"""Security headers on every response (pages, fragments, previews, API, errors, static files),
set by Flask-Talisman in one after_request hook.

Plain http stays plain: no HTTPS redirect (tests and `make run` serve http on 127.0.0.1), HSTS
only on a request that came over HTTPS, and the session cookie settings left as Flask has them.
"""

from __future__ import annotations

import base64
import hashlib

from flask import Flask
from flask_talisman import DENY, Talisman

from configurator.catalog.model import Catalog

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",  # the one script is the self-hosted htmx file
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
INLINE_SWATCH_TEMPLATE = "shop/_fields.html"


def register(app: Flask, catalog: Catalog) -> Talisman:
    """Talisman for this app (one instance per app: it keeps its app)."""
    policy = dict(CONTENT_SECURITY_POLICY)
    hashes = _inline_swatch_hashes(app, catalog)
    if hashes:
        policy["style-src-attr"] = "'unsafe-hashes' " + " ".join(hashes)
    return Talisman(
        app,
        force_https=False,
        frame_options=DENY,
        strict_transport_security=True,  # sent only when the request came over HTTPS
        strict_transport_security_include_subdomains=False,
        content_security_policy=policy,
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        # as Flask has them: Talisman would otherwise change all three
        session_cookie_secure=False,
        session_cookie_http_only=False,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        x_content_type_options=True,
    )


def _inline_swatch_hashes(app: Flask, catalog: Catalog) -> list[str]:
    """Transitional, until shop/_fields.html uses the `swatch-<attribute>-<option>` classes of
    /p/<product>/swatches.css: while it still writes `style="background: <swatch>"`, allow
    exactly those declarations (CSP hashes of the catalog's swatches) and no other inline style.
    Empty once the template has no style attribute."""
    source, _filename, _uptodate = app.jinja_env.loader.get_source(
        app.jinja_env, INLINE_SWATCH_TEMPLATE
    )
    if 'style="background: {{ o.swatch }}"' not in source:
        return []
    swatches = sorted(
        {
            option.swatch
            for product in catalog.products
            for attribute in product.attributes
            for option in attribute.options
            if option.swatch
        }
    )
    return [f"'sha256-{_digest(f'background: {swatch}')}'" for swatch in swatches]


def _digest(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
