"""Security headers on every response (pages, fragments, previews, API, errors, static files),
set by Flask-Talisman in one after_request hook.

Plain http stays plain: no HTTPS redirect (tests and `make run` serve http on 127.0.0.1), HSTS
only on a request that came over HTTPS, and the session cookie settings left as Flask has them.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import DENY, Talisman

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


def register(app: Flask) -> Talisman:
    """Talisman for this app (one instance per app: it keeps its app)."""
    policy = dict(CONTENT_SECURITY_POLICY)
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
