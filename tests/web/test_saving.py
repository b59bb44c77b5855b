"""Saving through the shop: no cookie before a save, the save flow, private pages, CSRF, rate limits."""

from __future__ import annotations

import os
import re
import uuid

import pytest
from sqlalchemy import func, select

from configurator.store import ConsentEvent, Keyring, OutboxMessage, SavedDesign, ShareLink
from tests.conftest import REQUIRE_ALL

QUERY = "shell_type=open_face&shell_colour=chrome&monogram=AB&_order=shell_type,shell_colour"
REDIS_URL = os.environ.get("CONFIGURATOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def shop(make_app, database_url):
    return make_app(database_url=database_url)


def rows(app) -> dict[str, int]:
    with app.extensions["database"].session() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Keyring, SavedDesign, ShareLink, ConsentEvent, OutboxMessage)
        }


def notice_hash(page: str) -> str:
    return re.search(r'name="notice" value="([0-9a-f]{64})"', page).group(1)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def save(client, query=QUERY, name="Mine", keep=True, **extra):
    form = client.get(f"/p/helmet/save?{query}")
    data = {"design": query, "name": name, **extra}
    if 'name="notice"' in form.text:
        data["notice"] = notice_hash(form.text)
        if keep:
            data["keep"] = "yes"
    else:
        data["csrf_token"] = csrf_of(form.text)
    return client.post("/p/helmet/save", data=data)


def test_a_visitor_who_does_not_save_gets_no_cookie_and_leaves_no_row(shop):
    client = shop.test_client()
    visits = [
        "/",
        "/p/helmet",
        f"/p/helmet?{QUERY}",
        "/p/helmet/why/shell_type/open_face?shell_colour=chrome",
        "/p/helmet/complete?shell_type=open_face",
        "/p/helmet/review?shell_type=full_face&size=m&shell_colour=racing_red&finish=gloss&visor=clear&lining=black",
        f"/p/helmet/save?{QUERY}",
        "/designs",
        "/privacy",
        "/designs/" + "A" * 32,
        "/shared/" + "B" * 32,
        "/api/v1/products",
        "/preview/helmet/front.webp?shell_type=open_face&w=400",
    ]
    for url in visits:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, url
            assert "Set-Cookie" not in response.headers, url
    # the save form sent without the box ticked: nothing stored, no cookie, the page says why
    refused = save(client, keep=False)
    assert refused.status_code == 400
    assert "Set-Cookie" not in refused.headers
    assert "Tick the box" in refused.text and "bookmark it or copy it" in refused.text
    assert client.get_cookie("keyring") is None
    assert set(rows(shop).values()) == {0}


def test_save_then_open_the_private_link_elsewhere(shop):
    client = shop.test_client()
    page = client.get(f"/p/helmet/save?{QUERY}")
    assert "Keep my designs on this site" in page.text
    assert 'type="checkbox" id="keep" name="keep" value="yes">' in page.text  # unticked
    response = save(client)
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("keyring=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    private = response.headers["Location"]
    token = re.fullmatch(r"/designs/([A-Za-z0-9_-]{32})\?saved=1", private).group(1)
    assert rows(shop) == {
        "keyring": 1,
        "saved_design": 1,
        "share_link": 0,
        "consent_event": 1,
        "outbox_message": 0,
    }
    # another browser, no cookie: the private link opens the design as saved
    other = shop.test_client()
    opened = other.get(f"/designs/{token}")
    assert opened.status_code == 200
    for header, value in (
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Robots-Tag", "noindex"),
    ):
        assert opened.headers[header] == value
    assert "Chrome" in opened.text and "“AB”" in opened.text
    assert "Set-Cookie" not in opened.headers
    # the keyring lists it; a second save asks for no consent again
    listed = client.get("/designs")
    assert "Mine" in listed.text
    second = save(client, query="shell_type=full_face", name="Second")
    assert second.status_code == 303
    assert rows(shop)["consent_event"] == 1
    # the keyring link, confirmed on a third device, shows both
    link = re.search(
        r'id="keyring-link" type="text" readonly value="http://localhost(/k/[^"]+)"', listed.text
    )
    third = shop.test_client()
    assert "Open my designs here" in third.get(link.group(1)).text
    assert third.post(link.group(1)).status_code == 303
    both = third.get("/designs").text
    assert "Mine" in both and "Second" in both


def test_keep_editing_carries_the_saved_design_to_its_save_link(shop):
    client = shop.test_client()
    token = save(client).headers["Location"].split("/")[-1].split("?")[0]
    editing = client.get(f"/p/helmet?{QUERY}&_saved={token}")
    assert f'name="_saved" value="{token}"' in editing.text
    form = client.get(f"/p/helmet/save?shell_type=full_face&_saved={token}")
    assert "Save my changes to “Mine”" in form.text
    updated = client.post(
        "/p/helmet/save",
        data={
            "design": "shell_type=full_face",
            "_saved": token,
            "as": "update",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert updated.headers["Location"] == f"/designs/{token}"
    assert rows(shop)["saved_design"] == 1
    assert "Full face" in client.get(f"/designs/{token}").text


def test_share_revoke_and_delete_make_links_404(shop):
    client = shop.test_client()
    token = save(client).headers["Location"].split("/")[-1].split("?")[0]
    page = client.get(f"/designs/{token}").text
    client.post(f"/designs/{token}/share", data={"days": "30", "csrf_token": csrf_of(page)})
    page = client.get(f"/designs/{token}").text
    share = re.search(r'value="http://localhost/shared/([A-Za-z0-9_-]+)"', page).group(1)
    viewer = shop.test_client()
    seen = viewer.get(f"/shared/{share}")
    assert seen.status_code == 200 and "Start from this design" in seen.text
    assert "Mine" not in seen.text and token not in seen.text
    start = re.search(r'href="(/p/helmet\?[^"]+)">Start from this design', seen.text).group(1)
    assert "_saved" not in start and "shell_colour=chrome" in start
    client.post(f"/designs/{token}/share/{share}/revoke", data={"csrf_token": csrf_of(page)})
    assert viewer.get(f"/shared/{share}").status_code == 404
    client.post(f"/designs/{token}/delete", data={"csrf_token": csrf_of(page)})
    assert viewer.get(f"/designs/{token}").status_code == 404
    # the keyring is empty: the page offers to delete it and its cookie
    empty = client.get("/designs?deleted=last")
    assert "Delete my keyring and its cookie" in empty.text
    gone = client.post("/designs/keyring/delete", data={"csrf_token": csrf_of(empty.text)})
    assert "keyring=;" in gone.headers["Set-Cookie"]  # the cookie is taken back
    assert set(rows(shop).values()) == {0}


def test_unknown_tokens_are_a_plain_404(shop):
    client = shop.test_client()
    for url in (
        "/designs/" + "x" * 32,
        "/shared/" + "y" * 32,
        "/k/" + "z" * 43,
        "/designs/short",
        "/shared/" + "%00" * 10,
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "revoked" not in response.text and "expired" not in response.text


def test_csrf_token_needed_once_a_keyring_exists(shop):
    client = shop.test_client()
    token = save(client).headers["Location"].split("/")[-1].split("?")[0]
    # no token: 400, for a form and for an htmx request alike
    assert client.post(f"/designs/{token}/rename", data={"name": "x"}).status_code == 400
    htmx = client.post(
        f"/designs/{token}/rename", data={"name": "x"}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 400
    # the token in the htmx header works
    page = client.get(f"/designs/{token}").text
    ok = client.post(
        f"/designs/{token}/rename",
        data={"name": "Renamed"},
        headers={"HX-Request": "true", "X-CSRFToken": csrf_of(page)},
    )
    assert ok.status_code == 303
    assert "Renamed" in client.get(f"/designs/{token}").text


def test_a_cross_site_post_is_refused_even_without_a_cookie(shop):
    client = shop.test_client()
    form = client.get(f"/p/helmet/save?{QUERY}").text
    data = {"design": QUERY, "keep": "yes", "notice": notice_hash(form)}
    for headers in (
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ):
        response = client.post("/p/helmet/save", data=data, headers=headers)
        assert response.status_code == 400
        assert "must be sent from this site" in response.text
    same = client.post("/p/helmet/save", data=data, headers={"Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 303


def test_saves_are_rate_limited_with_a_retry_time(make_app):
    app = make_app(RATELIMIT_SAVE="2 per minute")
    client = app.test_client()
    assert save(client, name="one").status_code == 303
    assert save(client, name="two").status_code == 303
    limited = save(client, name="three")
    assert limited.status_code == 429
    wait = int(limited.headers["Retry-After"])
    assert 0 < wait <= 60
    assert re.search(r"Try again in \d+ seconds?\.", limited.text)


def _redis_or_skip():
    try:
        import redis

        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1) as client:
            client.ping()
    except Exception as error:  # noqa: BLE001 - any failure means no Redis here
        if REQUIRE_ALL:
            pytest.fail(
                f"Redis at {REDIS_URL} does not answer ({error}) but CONFIGURATOR_REQUIRE_ALL=1"
            )
        pytest.skip(f"Redis not available at {REDIS_URL}")


def test_two_apps_share_one_count_in_redis(make_app):
    _redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    config = {
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "RATELIMIT_LOOKUP": "3 per minute",
    }
    first, second = make_app(**config), make_app(**config)
    url = "/shared/" + "q" * 32
    answers = [app.test_client().get(url).status_code for app in (first, second, first, second)]
    assert answers == [404, 404, 404, 429]


def test_the_keyring_link_by_email_with_its_own_consent(make_app, database_url):
    from configurator.services import outbox
    from tests.support.smtp import smtp_server

    with smtp_server() as inbox:
        app = make_app(database_url=database_url, SMTP_URL=inbox.url)
        client = app.test_client()
        save(client)
        page = client.get("/designs").text
        form = {
            "email": "zoe@example.com",
            "notice": re.search(r'name="notice" value="([0-9a-f]{64})"', page).group(1),
            "csrf_token": csrf_of(page),
        }
        refused = client.post("/designs/keyring/email", data=form)
        assert refused.status_code == 400 and "Tick the box" in refused.text
        assert 'value="zoe@example.com"' in refused.text  # kept as typed
        bad = client.post(
            "/designs/keyring/email", data={**form, "email": "not an address", "send": "yes"}
        )
        assert bad.status_code == 400 and "Type an e-mail address" in bad.text
        assert rows(app)["outbox_message"] == 0 and rows(app)["consent_event"] == 1
        sent = client.post("/designs/keyring/email", data={**form, "send": "yes"})
        assert sent.status_code == 303
        assert rows(app)["outbox_message"] == 1 and rows(app)["consent_event"] == 2
        with app.extensions["database"].session() as session:
            purposes = sorted(e.purpose for e in session.scalars(select(ConsentEvent)))
        assert purposes == ["email-keyring-link", "keep-designs"]
        delivered = outbox.deliver_due(app.extensions["configurator"])
        assert delivered.sent == 1
        (message,) = inbox.messages
        assert message["To"] == "zoe@example.com"
        link = re.search(r"http://localhost/k/[A-Za-z0-9_-]+", message.get_content()).group(0)
        assert f'value="{link}"' in page  # the same link as the keyring page shows
        assert rows(app)["outbox_message"] == 0  # the address is gone once sent
        assert (
            "Open my designs here"
            in app.test_client().get(link.replace("http://localhost", "")).text
        )
