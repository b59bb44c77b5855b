"""Every state change is protected: same-origin checks, Flask-WTF's CSRF token, Flask-Limiter.

A POST must come from this site: a browser says where a request comes from
(`Sec-Fetch-Site`, else `Origin`), and anything cross-site is refused (400), as Go's
CrossOriginProtection does; requests carrying neither header are not from a browser and
carry no cookie an attacker could ride. When the shopper holds a keyring (the one cookie),
the form or the htmx header must also carry Flask-WTF's token, tied to that cookie. The
JSON API authenticates by the tokens in its URLs, never by a cookie, so it is exempt
from the token (not from the origin check).

Rate limits (Flask-Limiter, per client address; storage `RATELIMIT_STORAGE_URL`, memory
by default, Redis in production so every worker shares one count): saving, looking up a
private or shared link, and sending e-mail. A limit answers 429 with a page or JSON
saying when to retry, and a Retry-After header.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from . import keyring

csrf = CSRFProtect()
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
LIMITS = {  # config key -> default
    "RATELIMIT_SAVE": "30 per hour;10 per minute",
    "RATELIMIT_LOOKUP": "120 per minute",
    "RATELIMIT_EMAIL": "5 per hour",
    "RATELIMIT_SIGNIN": "20 per hour;5 per minute",  # per address; per account in web/staff.py
}


METHODS = {"signin": ["POST"]}  # showing the sign-in form is free; trying a password is not


def limited(kind: str):
    """Mark a view as rate-limited (`save`, `lookup` or `email`); views of one kind share a count."""
    assert f"RATELIMIT_{kind.upper()}" in LIMITS

    def mark(view):
        view.rate_limited = kind
        return view

    return mark


def register(app: Flask, storage_url: str) -> None:
    """After the blueprints: one Limiter per app (each app its own storage and counts)."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked below, after the origin
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # as long as the keyring cookie lives
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)  # private pages send no Referer
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_url)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    for key, default in LIMITS.items():
        app.config.setdefault(key, default)
    csrf.init_app(app)
    limiter = Limiter(get_remote_address, app=app)
    # Only the views marked `@limited` are limited, and their wrappers check their limits;
    # the app-wide before_request check would look for limits on every request (0.2 ms of
    # each shop click, measured): take it out.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    for endpoint, view in list(app.view_functions.items()):
        kind = getattr(view, "rate_limited", None)
        if kind is None:
            continue
        key = f"RATELIMIT_{kind.upper()}"
        rule = limiter.shared_limit(
            lambda key=key: current_app.config[key], scope=kind, methods=METHODS.get(kind)
        )
        app.view_functions[endpoint] = rule(view)
    app.extensions["limiter"] = limiter

    @app.before_request
    def same_origin_and_token():
        if request.method in SAFE:
            return
        if not from_this_site():
            abort(400, "This form must be sent from this site.")
        if request.blueprint == "staff" or (
            request.blueprint != "api" and keyring.secret() is not None
        ):
            csrf.protect()


def from_this_site() -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    here = urlsplit(request.host_url)
    there = urlsplit(origin)
    return (there.scheme, there.netloc) == (here.scheme, here.netloc)


def close(app: Flask) -> None:
    """Release the rate-limit storage's connections (Redis), as a worker does at exit."""
    limiter = app.extensions.get("limiter")
    client = getattr(getattr(limiter, "storage", None), "storage", None)
    if client is not None and hasattr(client, "close"):
        client.close()
