"""Webhooks on SQLite and PostgreSQL, sent to a real workshop system on 127.0.0.1 that checks
every signature: retries keep their webhook-id, subscriptions and disabling are honoured, failures
are recorded, payloads hold no personal data, and two workers never send one delivery twice."""

from __future__ import annotations

import json
import socket
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import delete, select, update
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from configurator.bootstrap import bootstrap
from configurator.services import orders, webhooks
from configurator.services.files import LocalFiles
from configurator.store import AuditEvent, Order, WebhookDelivery, WebhookEndpoint
from tests.conftest import CATALOG
from tests.integration.test_orders import DESIGN as ORDERED

DESIGN = dict(ORDERED)  # the order the service tests place
CUSTOMER = {
    "name": "Zoë Quellmalz-Example",
    "email": "zoe.quellmalz@example.org",
    "address": {
        "line1": "Wolkenkuckucksheimer Straße 17",
        "line2": "Hinterhaus links",
        "postcode": "10115",
        "city": "Quedlinburg",
        "country": "DE",
    },
    "phone": "+49 30 5550199",
    "note": "Please ring twice at the blue gate",
}
ADMIN = "staff:1"


@pytest.fixture
def ctx(database_url, tmp_path):
    context = bootstrap(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "CATALOG_DIR": str(CATALOG),
            "SECRET_KEY": "test-secret-key",
        },
        environ={},
    )
    context.database.upgrade()
    yield context
    context.close()


@pytest.fixture
def now():
    """The real clock, to the second: receivers refuse signatures more than 5 minutes off."""
    return datetime.now(UTC).replace(microsecond=0)


class Workshop:
    """A workshop system: checks each signature, answers the scripted statuses in turn (the
    last one from then on), and processes each webhook-id once however often it arrives."""

    def __init__(self, answers=(200,)):
        self.answers = list(answers)
        self.secret: str | None = None
        self.received: list[dict] = []  # every request: path, headers, body, verified
        self.processed: dict[str, dict] = {}  # webhook-id -> the verified message
        self.lock = threading.Lock()
        self.url = ""

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        try:
            message = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError as error:
            message, verified = None, str(error)
        else:
            verified = True
        with self.lock:
            self.received.append(
                {"path": path, "headers": headers, "body": body, "verified": verified}
            )
            status = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
            if verified is not True:
                return 400, {}, b"bad signature"
            if 200 <= status < 300:
                self.processed.setdefault(headers["webhook-id"], message)
        location = {"Location": self.url + "/elsewhere"} if status in (301, 302, 307) else {}
        return status, location, f"workshop says {status}".encode()


@contextmanager
def workshop(answers=(200,)):
    """A Workshop serving http://127.0.0.1:<port>/hooks in a thread."""
    system = Workshop(answers)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, text = system.answer(self.path, headers, body)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    system.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield system
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def add(ctx, system: Workshop | str, events=webhooks.EVENTS) -> webhooks.Endpoint:
    url = system if isinstance(system, str) else system.url + "/hooks"
    endpoint = webhooks.add_endpoint(ctx, url=url, events=events, actor=ADMIN)
    if isinstance(system, Workshop):
        system.secret = webhooks.secret_for(ctx, endpoint)
    return endpoint


def place(ctx, tmp_path, now, key="k-1") -> int:
    placed = orders.place(
        ctx,
        product_id="helmet",
        raw=DESIGN,
        quantity=2,
        customer=CUSTOMER,
        terms_accepted=True,
        shown_total=None,
        idempotency_key=key,
        files=LocalFiles(tmp_path / "files"),
        now=now,
    )
    with ctx.database.session() as session:
        # placing queued order.placed itself (tested below); these tests announce it themselves
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.event == "order.placed"))
        return session.scalar(select(Order.id).where(Order.number == placed.number))


def test_placing_and_moving_an_order_announce_themselves(ctx, tmp_path, now):
    from configurator.services import fulfillment, outbox, staff

    with workshop() as system:
        add(ctx, system)
        placed = orders.place(
            ctx,
            product_id="helmet",
            raw=DESIGN,
            quantity=1,
            customer=CUSTOMER,
            terms_accepted=True,
            shown_total=None,
            idempotency_key="k-wired",
            now=now,
        )
        member = staff.Member(1, "fay@workshop.example", "fulfillment", "staff:1")
        fulfillment.move(ctx, placed.number, "paid", member, now=now)
        # the worker (`configurator worker`) sends both e-mails and both webhooks
        sent = outbox.run_worker(ctx, once=True, interval=0)
        assert sent == webhooks.Delivery(sent=4)
    first, second = (json.loads(r["body"]) for r in system.received)
    assert (first["type"], first["data"]["status"]) == ("order.placed", "awaiting_payment")
    assert (second["type"], second["data"]["status"]) == ("order.status_changed", "paid")
    assert second["data"]["number"] == placed.number and "changed_at" in second["data"]


def announce(ctx, order_id: int, event: str, now: datetime, *, status: str | None = None) -> None:
    """What orders/fulfillment will do: change the status (if any) and queue the event, in one
    transaction."""
    with ctx.database.session() as session:
        order = session.get(Order, order_id)
        if status is not None:
            order.status = status
        changed = now if event == "order.status_changed" else None
        payload = webhooks.order_payload(order, changed_at=changed)
        webhooks.enqueue(session, event=event, payload=payload, now=now)


def delivery_rows(ctx) -> list[WebhookDelivery]:
    with ctx.database.session() as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def free_port() -> int:
    """A port nothing listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_order_arrives_signed_with_what_the_workshop_needs(ctx, tmp_path, now):
    with workshop() as system:
        endpoint = add(ctx, system)
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        assert webhooks.deliver_due(ctx, now=now) == webhooks.Delivery(sent=1)
    (request,) = system.received
    assert request["verified"] is True and request["path"] == "/hooks"
    assert request["headers"]["content-type"] == "application/json"
    assert request["headers"]["webhook-id"].startswith("msg_")
    assert len(request["headers"]["webhook-id"]) >= 4 + 22  # at least 128 random bits
    assert request["headers"]["webhook-timestamp"] == str(int(now.timestamp()))
    message = json.loads(request["body"])
    assert message["type"] == "order.placed"
    assert message["timestamp"] == now.isoformat().replace("+00:00", "Z")
    data = message["data"]
    assert data["number"] == f"HLM-{now.year}-000001"
    assert (data["status"], data["product"], data["quantity"]) == ("awaiting_payment", "helmet", 2)
    assert data["currency"] == "EUR" and data["sku"] and data["product_name"]
    assert data["placed_at"] == message["timestamp"] and "changed_at" not in data
    lines = {line["attribute"]: line for line in data["selections"]}
    assert lines["monogram"] == {
        "attribute": "monogram",
        "option": None,
        "sku": "MONO",
        "text": "KZ7",
    }
    assert lines["visor"] == {"attribute": "visor", "option": "clear", "sku": "VCL", "text": None}
    assert data["sku"].startswith("HLM-FF-M-")
    (state,) = webhooks.deliveries(ctx, endpoint.id)
    assert (state.attempts, state.last_status, state.next_attempt_at) == (1, 200, None)
    assert state.delivered_at == now and state.last_response == "workshop says 200"


def test_the_payload_holds_no_personal_data(ctx, tmp_path, now):
    with workshop() as system:
        add(ctx, system)
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        announce(ctx, order_id, "order.status_changed", now, status="paid")
        assert webhooks.deliver_due(ctx, now=now).sent == 2
    bodies = " ".join(r["body"].decode() for r in system.received).lower()
    stored = json.dumps([row.payload for row in delivery_rows(ctx)], ensure_ascii=False).lower()
    personal = [CUSTOMER["name"], CUSTOMER["email"], CUSTOMER["phone"], CUSTOMER["note"]]
    personal += [v for k, v in CUSTOMER["address"].items() if k != "country"]
    personal += ["quellmalz", "zoe", "zoë", "wolkenkuckucksheim", "5550199", "ring twice"]
    for text in personal:
        assert text.lower() not in bodies and text.lower() not in stored
    forbidden = {"name", "email", "address", "phone", "note", "customer"}
    for request in system.received:
        assert not forbidden & set(json.loads(request["body"])["data"])


def test_a_500_is_retried_after_the_pause_with_the_same_id_and_processed_once(ctx, tmp_path, now):
    with workshop(answers=(500, 200, 200)) as system:
        endpoint = add(ctx, system)
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        assert webhooks.deliver_due(ctx, now=now) == webhooks.Delivery(failed=1)
        (state,) = webhooks.deliveries(ctx, endpoint.id)
        assert (state.attempts, state.last_status, state.delivered_at) == (1, 500, None)
        assert state.last_response == "workshop says 500"
        assert state.next_attempt_at == now + timedelta(seconds=30)
        assert webhooks.deliver_due(ctx, now=now + timedelta(seconds=29)) == webhooks.Delivery()
        later = now + timedelta(seconds=30)
        assert webhooks.deliver_due(ctx, now=later) == webhooks.Delivery(sent=1)
        assert webhooks.deliver_due(ctx, now=later + timedelta(hours=7)) == webhooks.Delivery()
    first, second = system.received
    assert first["verified"] is True and second["verified"] is True
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    assert first["body"] == second["body"]  # the same message; only the attempt's time differs
    assert second["headers"]["webhook-timestamp"] == str(int(later.timestamp()))
    assert list(system.processed) == [first["headers"]["webhook-id"]]
    (state,) = webhooks.deliveries(ctx, endpoint.id)
    assert (state.attempts, state.last_status, state.delivered_at) == (2, 200, later)
    assert state.next_attempt_at is None


def test_a_receiver_counts_a_repeated_id_once(ctx, tmp_path, now):
    """A delivery whose 2xx was lost (the worker died before settling) arrives again: the
    receiver deduplicates by webhook-id."""
    with workshop() as system:
        add(ctx, system)
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        assert webhooks.deliver_due(ctx, now=now).sent == 1
        with ctx.database.session() as session:  # as if the settling had never committed
            session.execute(
                update(WebhookDelivery).values(delivered_at=None, next_attempt_at=now, attempts=0)
            )
        assert webhooks.deliver_due(ctx, now=now).sent == 1
    ids = [r["headers"]["webhook-id"] for r in system.received]
    assert len(ids) == 2 and len(set(ids)) == 1 and len(system.processed) == 1


def test_an_endpoint_gets_only_the_events_it_chose(ctx, tmp_path, now):
    with workshop() as everything, workshop() as changes:
        add(ctx, everything)
        add(ctx, changes, events=["order.status_changed"])
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        announce(ctx, order_id, "order.status_changed", now, status="in_production")
        assert webhooks.deliver_due(ctx, now=now).sent == 3
    assert [json.loads(r["body"])["type"] for r in everything.received] == [
        "order.placed",
        "order.status_changed",
    ]
    (change,) = [json.loads(r["body"]) for r in changes.received]
    assert change["type"] == "order.status_changed"
    assert change["data"]["status"] == "in_production"
    assert change["data"]["changed_at"] == now.isoformat().replace("+00:00", "Z")
    assert all(r["verified"] is True for r in everything.received + changes.received)
    # one message, one id, wherever it goes
    same = everything.received[1]["headers"]["webhook-id"]
    assert same == changes.received[0]["headers"]["webhook-id"]


def test_a_disabled_endpoint_gets_nothing(ctx, tmp_path, now, caplog):
    with workshop() as system:
        endpoint = add(ctx, system)
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)  # queued before it was disabled
        disabled = webhooks.disable_endpoint(ctx, endpoint.id, actor=ADMIN)
        assert not disabled.enabled
        announce(ctx, order_id, "order.status_changed", now, status="paid")  # after
        assert webhooks.deliver_due(ctx, now=now + timedelta(days=1)) == webhooks.Delivery()
    assert system.received == []
    (state,) = webhooks.deliveries(ctx, endpoint.id)
    assert state.event == "order.placed" and state.next_attempt_at is None
    assert state.attempts == 0 and state.delivered_at is None
    assert [e.enabled for e in webhooks.endpoints(ctx)] == [False]


def test_a_forged_or_altered_message_fails_verification(ctx, tmp_path, now):
    with workshop() as system:
        endpoint = add(ctx, system)
        other = add(ctx, system.url + "/other")
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        webhooks.deliver_due(ctx, now=now)
    request = system.received[0]
    body, headers = request["body"], request["headers"]
    secret = webhooks.secret_for(ctx, endpoint)
    assert Webhook(secret).verify(body, headers)["type"] == "order.placed"
    wrong_secrets = [webhooks.secret_for(ctx, other), "whsec_" + "QUJD" * 8]
    for wrong in wrong_secrets:
        with pytest.raises(WebhookVerificationError):
            Webhook(wrong).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b'"quantity":2', b'"quantity":9'), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, {**headers, "webhook-id": "msg_another"})
    # a signature made with a wrong secret is refused by the receiver itself
    forged = webhooks.signed_headers(wrong_secrets[1], headers["webhook-id"], now, body.decode())
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, forged)


def test_a_refused_connection_is_recorded_and_retried(ctx, tmp_path, now):
    endpoint = add(ctx, f"http://127.0.0.1:{free_port()}/hooks")
    order_id = place(ctx, tmp_path, now)
    announce(ctx, order_id, "order.placed", now)
    assert webhooks.deliver_due(ctx, now=now) == webhooks.Delivery(failed=1)
    (state,) = webhooks.deliveries(ctx, endpoint.id)
    assert state.last_status is None and state.attempts == 1
    assert "ConnectionRefusedError" in state.last_response
    assert state.next_attempt_at == now + timedelta(seconds=30)


def test_a_timeout_is_recorded_and_retried(ctx, tmp_path, now):
    with socket.socket() as silent:  # accepts connections (the kernel does), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        endpoint = add(ctx, f"http://127.0.0.1:{silent.getsockname()[1]}/hooks")
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        delivery = webhooks.deliver_due(ctx, now=now, timeout=0.5)
    assert delivery == webhooks.Delivery(failed=1)
    (state,) = webhooks.deliveries(ctx, endpoint.id)
    assert state.last_status is None and "timed out" in state.last_response
    assert state.next_attempt_at == now + timedelta(seconds=30)


def test_a_redirect_is_a_failure_and_is_not_followed(ctx, tmp_path, now):
    with workshop(answers=(302,)) as system:
        endpoint = add(ctx, system)
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        assert webhooks.deliver_due(ctx, now=now) == webhooks.Delivery(failed=1)
    assert [r["path"] for r in system.received] == ["/hooks"]
    (state,) = webhooks.deliveries(ctx, endpoint.id)
    assert state.last_status == 302 and state.delivered_at is None


def test_a_long_answer_is_kept_to_its_first_1000_characters(ctx, tmp_path, now):
    with workshop(answers=(503,)) as system:
        system.answer = lambda path, headers, body: (503, {}, ("é" * 5000).encode())
        endpoint = add(ctx, system)
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        webhooks.deliver_due(ctx, now=now)
    (state,) = webhooks.deliveries(ctx, endpoint.id)
    assert state.last_status == 503 and state.last_response == "é" * 1000


def test_pauses_double_to_six_hours_and_the_twelfth_failure_gives_up(ctx, tmp_path, now, caplog):
    pauses = [webhooks.backoff(n).total_seconds() for n in range(1, webhooks.MAX_ATTEMPTS)]
    assert pauses == [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600]
    assert sum(pauses) / 3600 == pytest.approx(14.525)
    endpoint = add(ctx, f"http://127.0.0.1:{free_port()}/hooks")
    order_id = place(ctx, tmp_path, now)
    announce(ctx, order_id, "order.placed", now)
    moment, seen = now, []
    for attempt in range(1, webhooks.MAX_ATTEMPTS + 1):
        assert webhooks.deliver_due(ctx, now=moment - timedelta(seconds=1)) == webhooks.Delivery()
        delivery = webhooks.deliver_due(ctx, now=moment)
        (state,) = webhooks.deliveries(ctx, endpoint.id)
        seen.append(state.attempts)
        if attempt < webhooks.MAX_ATTEMPTS:
            assert delivery == webhooks.Delivery(failed=1)
            assert state.next_attempt_at == moment + webhooks.backoff(attempt)
            moment = state.next_attempt_at
    assert delivery == webhooks.Delivery(failed=1, dropped=1)
    assert seen == list(range(1, 13))
    # given up: kept for admins, undelivered, with its last error and no next attempt
    assert (state.attempts, state.delivered_at, state.next_attempt_at) == (12, None, None)
    assert "ConnectionRefusedError" in state.last_response
    assert webhooks.deliver_due(ctx, now=moment + timedelta(days=30)) == webhooks.Delivery()
    assert "given up after 12 attempts" in caplog.text
    assert CUSTOMER["name"] not in caplog.text and "HLM-" not in caplog.text  # no payload


def test_deliveries_are_listed_newest_first(ctx, tmp_path, now):
    with workshop() as system:
        endpoint = add(ctx, system)
        order_id = place(ctx, tmp_path, now)
        announce(ctx, order_id, "order.placed", now)
        for status in ("paid", "in_production", "shipped"):
            announce(ctx, order_id, "order.status_changed", now, status=status)
        assert webhooks.deliver_due(ctx, now=now, limit=2).sent == 2
        listed = webhooks.deliveries(ctx, endpoint.id)
    assert [s.event for s in listed] == ["order.status_changed"] * 3 + ["order.placed"]
    assert [s.delivered_at is not None for s in listed] == [False, False, True, True]
    assert len({s.message_id for s in listed}) == 4
    assert [s.id for s in webhooks.deliveries(ctx, endpoint.id, limit=2)] == [
        s.id for s in listed[:2]
    ]
    # sent oldest first
    assert [json.loads(r["body"])["data"]["status"] for r in system.received] == [
        "awaiting_payment",
        "paid",
    ]


def test_a_delivery_is_queued_only_if_the_callers_transaction_commits(ctx, tmp_path, now):
    add(ctx, "https://workshop.example/hooks")
    order_id = place(ctx, tmp_path, now)
    with pytest.raises(RuntimeError), ctx.database.session() as session:
        order = session.get(Order, order_id)
        webhooks.enqueue(
            session, event="order.placed", payload=webhooks.order_payload(order), now=now
        )
        raise RuntimeError("the caller fails after queueing")
    assert delivery_rows(ctx) == []
    with pytest.raises(ValueError, match="unknown webhook event"), ctx.database.session() as s:
        webhooks.enqueue(s, event="order.deleted", payload={}, now=now)


def test_the_secret_is_derived_never_stored_and_adding_is_audited(ctx, now):
    first = webhooks.add_endpoint(
        ctx, url="https://workshop.example/hooks", events=["order.placed"], actor=ADMIN, now=now
    )
    second = webhooks.add_endpoint(
        ctx, url="https://workshop.example/hooks", events=list(webhooks.EVENTS), actor=ADMIN
    )
    secret = webhooks.secret_for(ctx, first)
    assert secret.startswith("whsec_") and secret == webhooks.secret_for(ctx, first)
    assert secret != webhooks.secret_for(ctx, second)
    assert len(Webhook(secret)._whsecret) == 32
    with ctx.database.session() as session:
        rows = session.scalars(select(WebhookEndpoint)).all()
        assert secret == webhooks.secret_for(ctx, rows[0])
        stored = json.dumps(
            [[getattr(r, c.key) for c in r.__table__.columns] for r in rows], default=str
        )
    assert secret[6:] not in stored and secret[6:20] not in stored
    webhooks.disable_endpoint(ctx, first.id, actor="staff:2", now=now)
    webhooks.disable_endpoint(ctx, first.id, actor="staff:2", now=now)  # no second entry
    with ctx.database.session() as session:
        entries = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        logged = [(e.actor, e.action, e.detail) for e in entries]
    assert logged == [
        (ADMIN, "webhook.added", {"endpoint": first.id, "events": ["order.placed"]}),
        (ADMIN, "webhook.added", {"endpoint": second.id, "events": list(webhooks.EVENTS)}),
        ("staff:2", "webhook.disabled", {"endpoint": first.id, "events": ["order.placed"]}),
    ]
    assert [(e.id, e.enabled) for e in webhooks.endpoints(ctx)] == [
        (first.id, False),
        (second.id, True),
    ]
    with pytest.raises(webhooks.NotFound):
        webhooks.disable_endpoint(ctx, 999, actor=ADMIN)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://workshop.example/hooks", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("workshop.example/hooks", "must start with https://"),
        ("https://user:pass@workshop.example/hooks", "user name or password"),
        ("https://token@workshop.example/hooks", "user name or password"),
        ("https:///hooks", "needs a host name"),
        ("https://workshop.example:99999/hooks", "not a valid URL"),
        ("https://workshop.example/hooks?a=b c", "spaces or control characters"),
        ("https://workshop.example/\r\nX: y", "spaces or control characters"),
        ("https://workshop.example/" + "a" * 1976, "at most 2000 characters"),
        ("", "Give the endpoint's URL"),
    ],
)
def test_bad_urls_are_refused_with_a_message(ctx, url, message):
    with pytest.raises(webhooks.BadEndpoint, match=message) as refused:
        webhooks.add_endpoint(ctx, url=url, events=["order.placed"], actor=ADMIN)
    assert set(refused.value.fields) == {"url"}
    assert webhooks.endpoints(ctx) == []


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "at least one event"),
        (["order.shipped"], "Unknown events 'order.shipped'"),
        (["order.placed", "order.deleted"], "Unknown events 'order.deleted'"),
        ("order.placed", "a list of event names"),
        (None, "a list of event names"),
    ],
)
def test_bad_events_are_refused_with_a_message(ctx, events, message):
    with pytest.raises(webhooks.BadEndpoint, match=message) as refused:
        webhooks.add_endpoint(ctx, url="https://workshop.example/", events=events, actor=ADMIN)
    assert set(refused.value.fields) == {"events"}


def test_every_problem_is_reported_at_once_and_good_input_is_kept_in_order(ctx):
    with pytest.raises(webhooks.BadEndpoint) as refused:
        webhooks.add_endpoint(ctx, url="ftp://x", events=[], actor=ADMIN)
    assert set(refused.value.fields) == {"url", "events"}
    longest = "https://workshop.example/" + "a" * 1975
    endpoint = webhooks.add_endpoint(
        ctx,
        url=longest,
        events=["order.status_changed", "order.placed", "order.placed"],
        actor=ADMIN,
    )
    assert endpoint.url == longest and endpoint.events == webhooks.EVENTS


def test_two_workers_at_once_send_each_delivery_exactly_once(ctx, tmp_path, now, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED is PostgreSQL's; on SQLite one worker runs")
    second = bootstrap(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret-key",
        },
        environ={},
        load_catalog=False,
    )
    try:
        with workshop() as system:
            add(ctx, system)
            order_id = place(ctx, tmp_path, now)
            for _ in range(15):
                announce(ctx, order_id, "order.placed", now)
                announce(ctx, order_id, "order.status_changed", now, status="paid")
            start = threading.Barrier(2)
            results = []

            def work(context):
                start.wait()
                results.append(webhooks.deliver_due(context, now=now))

            workers = [threading.Thread(target=work, args=(c,)) for c in (ctx, second)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(60)
    finally:
        second.close()
    ids = [r["headers"]["webhook-id"] for r in system.received]
    assert len(ids) == 30 and len(set(ids)) == 30  # each sent once, none twice
    assert all(r["verified"] is True for r in system.received)
    assert sum(r.sent for r in results) == 30 and all(r.sent > 0 for r in results)
    assert all(row.delivered_at is not None and row.attempts == 1 for row in delivery_rows(ctx))
