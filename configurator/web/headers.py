"""Security headers on every response (pages, fragments, previews, API, errors, static files).

The same headers Flask-Talisman sets (it was used here first), as one constant dict added
in an after_request hook: Talisman rebuilds every header on every response, 0.09 ms a
request on this machine, as much as a third of a bare Flask request (0.24 ms); the dict
costs a few microseconds. Plain http stays plain: no HTTPS redirect (tests and `make run`
serve http on 127.0.0.1), HSTS only on a request that came over HTTPS, and the session
cookie settings left as Flask has them.
"""

from __future__ import annotations

from flask import Flask, Response, request

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
HSTS = "max-age=31556926"  # a year; without includeSubDomains

HEADERS = {
    "Content-Security-Policy": "; ".join(f"{k} {v}" for k, v in CONTENT_SECURITY_POLICY.items()),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": ", ".join(f"{k}={v}" for k, v in PERMISSIONS_POLICY.items()),
}


_HEADERS = tuple((name.lower(), name, value) for name, value in HEADERS.items())


def register(app: Flask) -> None:
    """Add the headers to every response of `app`."""

    @app.after_request
    def secure(response: Response) -> Response:
        # a view may set its own (no-referrer); one pass over the response's few headers,
        # not a lookup per header (werkzeug raises and catches a KeyError for each miss)
        present = {name.lower() for name, _ in response.headers}
        for lower, name, value in _HEADERS:
            if lower not in present:
                response.headers.add(name, value)
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = HSTS
        return response
