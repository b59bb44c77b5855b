"""Security headers on every kind of response, and Vary on the URLs that answer a page or a
fragment by HX-Request."""

from __future__ import annotations

import pytest

from configurator.web import create_app
from tests.conftest import CATALOG, app_config

HTMX = {"HX-Request": "true"}
RESPONSES = {
    "page": ("GET", "/", {}, 200),
    "htmx fragment": ("GET", "/p/helmet?shell_type=open_face", HTMX, 200),
    "full configurator": ("GET", "/p/helmet", {}, 200),
    "preview image": ("GET", "/preview/helmet/front.webp?w=200", {}, 200),
    "preview refusal": ("GET", "/preview/helmet/front.webp?w=%C2%B2", {}, 400),
    "swatch stylesheet": ("GET", "/p/helmet/swatches.css", {}, 200),
    "API JSON": ("GET", "/api/v1/products", {}, 200),
    "API configure": ("POST", "/api/v1/products/helmet/configure", {}, 200),
    "static file": ("GET", "/static/css/app.css", {}, 200),
    "404 page": ("GET", "/no/such/page", {}, 404),
    "404 product": ("GET", "/p/nope", {}, 404),
    "404 API": ("GET", "/api/v1/products/nope", {}, 404),
    "405 page": ("POST", "/", {}, 405),
    "405 API": ("GET", "/api/v1/products/helmet/configure", {}, 405),
    "414 page": ("GET", "/p/helmet?x=" + "a" * 9000, {}, 414),
}


def fetch(web, name: str):
    method, address, headers, status = RESPONSES[name]
    kwargs = (
        {"json": {"selections": {}}} if address.endswith("/configure") and method == "POST" else {}
    )
    response = web.open(address, method=method, headers=headers, **kwargs)
    response.close()  # a static file's body is an open file
    assert response.status_code == status, (name, response.status_code, response.data[:300])
    return response


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy as {directive: [sources]}."""
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = sources
    return directives


@pytest.mark.parametrize("name", RESPONSES)
def test_every_response_has_the_security_headers(web, name):
    response = fetch(web, name)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in header
    assert "'unsafe-inline'" not in header
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    permissions = dict(
        part.strip().split("=", 1) for part in response.headers["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "browsing-topics", "payment"):
        assert permissions[feature] == "()"
    assert "Strict-Transport-Security" not in response.headers  # plain http


def test_the_only_inline_styles_allowed_are_the_catalogs_swatch_declarations(web):
    """Transitional: shop/_fields.html still writes style="background: <swatch>"; the CSP
    allows exactly those declarations by hash, nothing else inline."""
    csp = policy(fetch(web, "page"))
    sources = csp.get("style-src-attr", [])
    assert all(s == "'unsafe-hashes'" or s.startswith("'sha256-") for s in sources)


def test_a_405_keeps_its_allow_header(web):
    assert set(fetch(web, "405 page").headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    assert "POST" in fetch(web, "405 API").headers["Allow"]
    assert fetch(web, "405 API").mimetype == "application/json"
    assert fetch(web, "405 page").mimetype == "text/html"


def test_hsts_only_over_https(web):
    response = web.get("/", base_url="https://localhost")
    assert response.status_code == 200  # served, never redirected
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "includeSubDomains" not in response.headers["Strict-Transport-Security"]
    assert web.get("/").status_code == 200  # and plain http is not redirected to https


def test_the_session_cookie_settings_are_flasks_own(tmp_path):
    app = create_app(app_config(tmp_path / "instance", CATALOG, f"sqlite:///{tmp_path / 'a.db'}"))
    try:
        assert app.config["SESSION_COOKIE_SECURE"] is False
        assert app.config["SESSION_COOKIE_HTTPONLY"] is True
        assert app.config["SESSION_COOKIE_SAMESITE"] is None
    finally:
        app.extensions["configurator"].close()


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/p/helmet",
        "/p/helmet?shell_type=open_face",
        "/p/nope",
        "/p/helmet/review?shell_type=open_face",
        "/p/helmet/complete",
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_shop_responses_vary_on_hx_request_and_accept_encoding(web, address, headers):
    response = web.get(address, headers=headers)
    # Cookie too: a keyring holder's page may carry their declared pre-selections
    assert {"hx-request", "accept-encoding", "cookie"} <= vary(response), response.headers.get(
        "Vary"
    )
    assert response.headers["Vary"].lower().count("accept-encoding") == 1


def test_the_page_and_the_fragment_differ_by_hx_request_alone(web):
    page = web.get("/p/helmet?shell_type=open_face")
    fragment = web.get("/p/helmet?shell_type=open_face", headers=HTMX)
    assert page.data != fragment.data
    assert "hx-request" in vary(page) and "hx-request" in vary(fragment)
