"""Staff sign-in and the order queue through the app, on SQLite and PostgreSQL: sessions die
on the server, the queue and the order page show what each role may see, status changes
are recorded and reach the shopper, exports download the same bytes again."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from configurator.services import exports
from configurator.services import staff as accounts
from configurator.store import AuditEvent, OrderEvent, OutboxMessage
from tests.web.staffing import (
    PASSWORD,
    PEOPLE,
    add_people,
    csrf_of,
    place_order,
    post_form,
    sign_in,
)


@pytest.fixture
def shop(make_app, database_url):
    app = make_app(database_url=database_url)
    add_people(app)
    return app


def rows(app, model):
    with app.extensions["database"].session() as session:
        return session.scalars(select(model).order_by(model.id)).all()


def test_sign_in_makes_a_new_session_and_sign_out_kills_it_on_the_server(shop):
    client = shop.test_client()
    assert client.get("/staff/orders").headers["Location"].startswith("/staff/sign-in?next=")
    client.get("/staff/sign-in")
    before = client.get_cookie("staff").value  # the sign-in form's CSRF session
    signed = sign_in(client, "fulfillment")
    assert signed.status_code == 303 and signed.headers["Location"] == "/staff/orders"
    cookie = client.get_cookie("staff")
    assert cookie.value != before and cookie.http_only and cookie.same_site == "Strict"
    assert cookie.expires is None  # ends with the browser session
    assert client.get("/staff/orders").status_code == 200
    captured = cookie.value
    assert post_form(client, "/staff/orders", "/staff/sign-out", {}).status_code == 303
    thief = shop.test_client()
    thief.set_cookie("staff", captured)
    assert thief.get("/staff/orders").status_code == 302  # the old cookie opens nothing


def test_wrong_password_unknown_account_and_disabled_account_read_the_same(shop):
    client = shop.test_client()
    wrong = sign_in(client, "admin", password="not the password")
    unknown = sign_in(client, email="nobody@workshop.example")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong e-mail or password." in wrong.text and "Wrong e-mail or password." in unknown.text
    signed = shop.test_client()
    assert sign_in(signed, "admin").status_code == 303
    accounts.disable(shop.extensions["configurator"], PEOPLE["admin"])
    assert signed.get("/staff/orders").status_code == 302  # refused at once, mid-session
    assert sign_in(shop.test_client(), "admin").status_code == 401


def test_a_role_change_ends_the_session(shop):
    client = shop.test_client()
    sign_in(client, "admin")
    assert client.get("/staff/audit").status_code == 200
    accounts.set_role(shop.extensions["configurator"], PEOPLE["admin"], "merchandiser")
    assert client.get("/staff/audit").status_code == 302
    sign_in(client, "admin")
    assert client.get("/staff/audit").status_code == 403  # signed in again, as merchandiser


def test_sign_in_attempts_are_limited_per_account(shop):
    for attempt in range(10):
        client = shop.test_client()  # as from many addresses: the account's own count
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{attempt}"
        assert sign_in(client, "admin", password="guess").status_code == 401
    client = shop.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    refused = sign_in(client, "admin")  # even the right password waits now
    assert refused.status_code == 401 and "Too many attempts for this account" in refused.text


def test_the_setup_link_sets_a_password_once(shop):
    ctx = shop.extensions["configurator"]
    token = accounts.add(ctx, "new@workshop.example", "fulfillment")
    client = shop.test_client()
    form = {"password": "a long new password", "again": "a long new password"}
    short = post_form(
        client,
        f"/staff/setup/{token}",
        f"/staff/setup/{token}",
        {"password": "short", "again": "short"},
    )
    assert short.status_code == 400 and "at least 12 characters" in short.text
    done = post_form(client, f"/staff/setup/{token}", f"/staff/setup/{token}", form)
    assert done.status_code == 303
    assert client.get(f"/staff/setup/{token}").status_code == 404  # used
    assert (
        sign_in(client, email="new@workshop.example", password=form["password"]).status_code == 303
    )


def test_the_queue_filters_and_searches_and_hides_names_from_merchandisers(shop):
    first = place_order(shop, "k-1")
    place_order(shop, "k-2", customer={**first_customer(), "name": "Ödön Kovács"})
    fulfil = shop.test_client()
    sign_in(fulfil, "fulfillment")
    page = fulfil.get("/staff/orders").text
    assert first["number"] in page and "Zoë Example" in page and "Ödön Kovács" in page
    found = fulfil.get("/staff/orders?q=kovács").text
    assert "Ödön Kovács" in found and "Zoë Example" not in found
    assert "2 orders" in fulfil.get("/staff/orders?status=awaiting_payment").text
    assert "0 orders" in fulfil.get("/staff/orders?status=paid").text
    assert "0 orders" in fulfil.get("/staff/orders?since=2999-01-01").text
    merch = shop.test_client()
    sign_in(merch, "merchandiser")
    page = merch.get("/staff/orders").text
    assert first["number"] in page and "Zoë" not in page and "Kovács" not in page
    assert "Kovács" not in merch.get("/staff/orders?q=kovács").text


def first_customer() -> dict:
    from tests.web.test_api_designs import ORDER

    return dict(ORDER["customer"])


def test_the_order_page_and_the_audit_of_who_saw_personal_details(shop):
    number = place_order(shop, "k-n", customer={**first_customer(), "note": "Please be quick"})[
        "number"
    ]
    fulfil = shop.test_client()
    sign_in(fulfil, "fulfillment")
    page = fulfil.get(f"/staff/orders/{number}").text
    assert "Hauptstraße 1" in page and "zoe@example.org" in page and "Please be quick" in page
    assert re.search(r'class="made-text"[^>]*>KZ7<', page)
    image = re.search(rf'src="(/staff/orders/{number}/front\.webp)"', page).group(1)
    assert fulfil.get(image).data[:4] == b"RIFF"
    merch = shop.test_client()
    sign_in(merch, "merchandiser")
    hidden = merch.get(f"/staff/orders/{number}").text
    assert "Hauptstraße" not in hidden and "zoe@example.org" not in hidden and "KZ7" in hidden
    (viewed,) = [e for e in rows(shop, AuditEvent) if e.action == "order.viewed"]
    assert viewed.actor.startswith("staff:") and viewed.detail == {"number": number}
    logged = str([(e.action, e.detail) for e in rows(shop, AuditEvent)])
    assert "Zoë" not in logged and "Hauptstraße" not in logged and "zoe@" not in logged
    admin = shop.test_client()
    sign_in(admin, "admin")
    audit = admin.get("/staff/audit").text
    assert PEOPLE["fulfillment"] in audit and "order.viewed" in audit and number in audit
    assert merch.get("/staff/audit").status_code == 403


def test_status_changes_are_recorded_told_to_the_shopper_and_shown_on_their_page(shop):
    made = place_order(shop, "k-s")
    number, token = made["number"], made["token"]
    client = shop.test_client()
    sign_in(client, "fulfillment")
    url = f"/staff/orders/{number}"
    move = f"{url}/status"
    assert (
        post_form(client, url, move, {"to": "shipped", "seen": "awaiting_payment"}).status_code
        == 400
    )
    assert (
        post_form(client, url, move, {"to": "paid", "seen": "awaiting_payment"}).status_code == 303
    )
    stale = post_form(client, url, move, {"to": "paid", "seen": "awaiting_payment"})  # a second tab
    assert stale.status_code == 303 and "look again" in client.get(url).text
    post_form(client, url, move, {"to": "in_production", "seen": "paid"})
    missing = post_form(
        client, url, move, {"to": "shipped", "seen": "in_production", "carrier": "DHL"}
    )
    assert missing.status_code == 400 and "tracking number" in missing.text
    assert 'value="DHL"' in missing.text  # the input is kept
    post_form(
        client,
        url,
        move,
        {"to": "shipped", "seen": "in_production", "carrier": "DHL", "tracking": "JD0142"},
    )
    events = [(e.status, e.actor) for e in rows(shop, OrderEvent)]
    assert [s for s, _ in events] == ["awaiting_payment", "paid", "in_production", "shipped"]
    assert events[0][1] is None and all(a.startswith("staff:") for _, a in events[1:])
    mails = [m.subject for m in rows(shop, OutboxMessage)]
    assert mails[1:] == [f"Your order {number}: {s}" for s in ("paid", "in production", "shipped")]
    shopper = shop.test_client().get(f"/orders/{token}").text
    assert "Status: shipped" in shopper and "DHL" in shopper and "JD0142" in shopper
    merch = shop.test_client()
    sign_in(merch, "merchandiser")
    assert post_form(merch, url, move, {"to": "cancelled", "reason": "x"}).status_code == 403


def test_a_batch_downloads_the_same_bytes_again_and_the_work_order_is_a_pdf(shop):
    made = place_order(shop, "k-e")
    client = shop.test_client()
    sign_in(client, "fulfillment")
    assert (
        post_form(
            client, "/staff/exports", "/staff/exports", {"status": "awaiting_payment"}
        ).status_code
        == 303
    )
    page = client.get("/staff/exports").text
    links = re.findall(r'href="(/staff/exports/[^"]+)"', page)
    assert {link.rsplit("/", 1)[1] for link in links} == {
        "orders.csv",
        "bom.csv",
        "orders.json",
        "work-orders.pdf",
    }
    for link in links:
        first, again = client.get(link), client.get(link)
        assert first.status_code == 200 and first.data == again.data
    downloads = [e.detail for e in rows(shop, AuditEvent) if e.action == "export.downloaded"]
    assert len(downloads) == 6 and {"batch", "file"} == set(downloads[0])  # 3 files, twice
    csv_link = next(link for link in links if link.endswith("orders.csv"))
    assert made["number"] in client.get(csv_link).data.decode("utf-8-sig")
    empty = post_form(client, "/staff/exports", "/staff/exports", {"status": "awaiting_payment"})
    assert "No new orders awaiting payment" in client.get(empty.headers["Location"]).text
    later = datetime.now(UTC) + timedelta(days=91)
    assert exports.expire_files(shop.extensions["configurator"], now=later) == 1
    gone = client.get(csv_link)
    assert gone.status_code == 410 and "delivery details" in gone.text
    assert "files removed after 90 days" in client.get("/staff/exports").text
    pdf = client.get(f"/staff/orders/{made['number']}/work-order.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_admins_register_webhooks_with_a_message_per_problem(shop):
    client = shop.test_client()
    sign_in(client, "admin")
    bad = post_form(client, "/staff/webhooks", "/staff/webhooks", {"url": "ftp://x"})
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    good = post_form(
        client,
        "/staff/webhooks",
        "/staff/webhooks",
        {"url": "https://workshop.example/hooks", "events": "order.placed"},
    )
    assert good.status_code == 303
    page = client.get("/staff/webhooks").text
    assert "https://workshop.example/hooks" in page and "whsec_" in page
    fulfil = shop.test_client()
    sign_in(fulfil, "fulfillment")
    assert fulfil.get("/staff/webhooks").status_code == 403


def test_over_https_the_staff_cookie_is_host_only_and_secure(shop):
    client = shop.test_client()
    page = client.get("/staff/sign-in", base_url="https://shop.example").text
    signed = client.post(
        "/staff/sign-in",
        base_url="https://shop.example",
        data={"csrf_token": csrf_of(page), "email": PEOPLE["admin"], "password": PASSWORD},
    )
    assert signed.status_code == 303
    cookie = client.get_cookie("__Host-staff", domain="shop.example")
    assert cookie.secure and cookie.http_only and cookie.same_site == "Strict"
    assert cookie.path == "/" and cookie.expires is None


def test_forms_need_their_token_and_sign_in_is_limited_per_address(shop):
    client = shop.test_client()
    sign_in(client, "fulfillment")
    number = place_order(shop, "k-csrf")["number"]
    forged = client.post(f"/staff/orders/{number}/status", data={"to": "paid"})
    assert forged.status_code == 400  # no CSRF token: nothing changes
    assert "awaiting payment" in client.get(f"/staff/orders/{number}").text
    other = shop.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.9.9.9"  # an address of its own
    codes = [sign_in(other, email=f"guess{n}@x.example").status_code for n in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429  # 5 a minute from one address
