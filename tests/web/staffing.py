"""Shared by the staff tests: accounts of every role, an order placed through the API, and a
browser-like sign-in (CSRF token from the form)."""

from __future__ import annotations

import re

from configurator.services import staff as accounts
from tests.web.test_api_designs import ORDER

PASSWORD = "correct horse battery"
PEOPLE = {
    "fulfillment": "fay@workshop.example",
    "merchandiser": "max@workshop.example",
    "admin": "ada@workshop.example",
}


def add_people(app) -> None:
    ctx = app.extensions["configurator"]
    for role, email in PEOPLE.items():
        accounts.add(ctx, email, role, PASSWORD)


def place_order(app, key: str = "k-1", **changes) -> dict:
    body = {**ORDER, **changes}
    response = app.test_client().post(
        "/api/v1/products/helmet/orders", json=body, headers={"Idempotency-Key": key}
    )
    assert response.status_code == 201, response.data
    return response.get_json()


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, role: str | None = None, *, email: str | None = None, password=PASSWORD):
    page = client.get("/staff/sign-in").text
    return client.post(
        "/staff/sign-in",
        data={"csrf_token": csrf_of(page), "email": email or PEOPLE[role], "password": password},
    )


def post_form(client, page_url: str, url: str, data: dict):
    """POST `data` to `url` with the CSRF token of the form at `page_url`."""
    token = csrf_of(client.get(page_url).text)
    return client.post(url, data={"csrf_token": token, **data})
