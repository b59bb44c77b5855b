"""Webhooks: a workshop system is told when an order is placed or changes status, signed per
the Standard Webhooks specification and retried until it answers 2xx.

    enqueue(session, event=..., payload=order_payload(order), now=now)  # in the caller's transaction
    deliver_due(ctx)                 # one batch; the worker loops over it

Each delivery is claimed, sent and settled in its own transaction, like the outbox; on
PostgreSQL the claim is `FOR UPDATE SKIP LOCKED`, so two workers never send one delivery
at once. A delivery keeps its webhook-id on every retry (receivers deduplicate by it).
After MAX_ATTEMPTS failures it is given up: the row stays, undelivered, with no next
attempt and its last status and response, for admins to see. Payloads carry no personal
data and are never logged; the signing secret is derived, never stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from configurator.store import Order, WebhookDelivery, WebhookEndpoint

from . import audit
from .outbox import Delivery
from .saving import stored_utc

log = logging.getLogger("configurator.webhooks")

EVENTS = ("order.placed", "order.status_changed")
MAX_URL = 2000
MAX_ATTEMPTS = 12  # the pauses between them add up to about 14.5 hours
FIRST_PAUSE = timedelta(seconds=30)
LONGEST_PAUSE = timedelta(hours=6)
TIMEOUT = 10.0  # seconds, to connect and for each read
KEPT_RESPONSE = 1000  # characters of the response (or error) kept on the row
READ_LIMIT = 4 * KEPT_RESPONSE  # bytes read from a response, at most
USER_AGENT = "configurator-webhooks/1"


class BadEndpoint(ValueError):
    """An endpoint that cannot be added: a message per field ("url", "events")."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("; ".join(m for messages in fields.values() for m in messages))
        self.fields = fields


class NotFound(LookupError):
    """No webhook endpoint has this id."""


@dataclass(frozen=True)
class Endpoint:
    """A workshop system's URL as admins see it (`secret_for` gives its signing secret)."""

    id: int
    url: str
    events: tuple[str, ...]
    created_at: datetime
    disabled_at: datetime | None
    salt: str = field(repr=False)

    @property
    def enabled(self) -> bool:
        return self.disabled_at is None


@dataclass(frozen=True)
class DeliveryState:
    """One event for one endpoint, as far as it got."""

    id: int
    event: str
    message_id: str
    created_at: datetime
    attempts: int
    delivered_at: datetime | None
    last_status: int | None  # the HTTP status; None when no answer came (refused, timeout)
    last_response: str | None  # the first 1,000 characters of the answer or the error
    next_attempt_at: datetime | None  # None once delivered, given up, or its endpoint disabled


# --- endpoints -------------------------------------------------------------------------------


def add_endpoint(ctx, *, url: str, events: Iterable[str], actor: str, now=None) -> Endpoint:
    """Check and add an endpoint (BadEndpoint lists every problem), with an audit entry."""
    now = _utc(now or datetime.now(UTC))
    problems = {}
    url_problem = _url_problem(url)
    if url_problem:
        problems["url"] = [url_problem]
    chosen, events_problem = _checked_events(events)
    if events_problem:
        problems["events"] = [events_problem]
    if problems:
        raise BadEndpoint(problems)
    with ctx.database.session() as session:
        row = WebhookEndpoint(
            url=url, events=list(chosen), salt=secrets.token_hex(16), created_at=now
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="webhook.added",
            detail={"endpoint": row.id, "events": list(chosen)},
            now=now,
        )
        return _endpoint(row)


def disable_endpoint(ctx, endpoint_id: int, *, actor: str, now=None) -> Endpoint:
    """Stop sending to an endpoint: its pending deliveries get no next attempt. Disabling a
    disabled endpoint changes nothing and writes no audit entry."""
    now = _utc(now or datetime.now(UTC))
    with ctx.database.session() as session:
        row = session.get(WebhookEndpoint, endpoint_id)
        if row is None:
            raise NotFound(f"no webhook endpoint {endpoint_id}")
        if row.disabled_at is None:
            row.disabled_at = now
            session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.endpoint_id == row.id, WebhookDelivery.delivered_at.is_(None)
                )
                .values(next_attempt_at=None)
            )
            audit.record(
                session,
                actor=actor,
                action="webhook.disabled",
                detail={"endpoint": row.id, "events": list(row.events)},
                now=now,
            )
        return _endpoint(row)


def endpoints(ctx) -> list[Endpoint]:
    """Every endpoint, disabled ones too, oldest first."""
    with ctx.database.session() as session:
        rows = session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id))
        return [_endpoint(row) for row in rows]


def deliveries(ctx, endpoint_id: int, limit: int = 50) -> list[DeliveryState]:
    """An endpoint's latest deliveries, newest first."""
    with ctx.database.session() as session:
        rows = session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
        return [
            DeliveryState(
                id=row.id,
                event=row.event,
                message_id=row.message_id,
                created_at=stored_utc(row.created_at),
                attempts=row.attempts,
                delivered_at=stored_utc(row.delivered_at),
                last_status=row.last_status,
                last_response=row.last_response,
                next_attempt_at=stored_utc(row.next_attempt_at),
            )
            for row in rows
        ]


def secret_for(ctx, endpoint: Endpoint | WebhookEndpoint) -> str:
    """The endpoint's signing secret ("whsec_" + base64): derived from its salt under the
    app's secret key, so it is never stored (a new secret key changes every secret)."""
    key = ctx.settings.secret_key.encode()
    mac = hmac.new(key, endpoint.salt.encode(), hashlib.sha256)
    return "whsec_" + base64.b64encode(mac.digest()).decode("ascii")


# --- events ----------------------------------------------------------------------------------


def enqueue(session: Session, *, event: str, payload: dict, now: datetime) -> list[WebhookDelivery]:
    """Queue `event` for every enabled endpoint subscribed to it, in the caller's session: it
    is sent only if the caller's transaction commits. All share one message id."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}; known: {', '.join(EVENTS)}")
    json.dumps(payload)  # refuse what cannot be sent now, not in the worker
    now = _utc(now)
    message_id = "msg_" + secrets.token_urlsafe(24)  # 192 bits
    subscribers = session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.disabled_at.is_(None))
        .order_by(WebhookEndpoint.id)
    ).all()
    rows = []
    for endpoint in subscribers:
        if event not in endpoint.events:
            continue
        row = WebhookDelivery(
            endpoint_id=endpoint.id,
            message_id=message_id,
            event=event,
            payload=payload,
            created_at=now,
            attempts=0,
            next_attempt_at=now,
        )
        session.add(row)
        rows.append(row)
    return rows


def order_payload(order: Order, *, changed_at: datetime | None = None) -> dict:
    """What the workshop system is told about an order: what to make, never who for (it
    fetches name and address through the staff API). `changed_at` for a status change."""
    snap = order.snapshot
    payload = {
        "number": order.number,
        "status": order.status,
        "product": order.product_id,
        "product_name": snap.get("product_name"),
        "sku": snap.get("sku"),
        "quantity": order.quantity,
        "total": order.total,
        "currency": order.currency,
        "placed_at": _iso(stored_utc(order.created_at)),
        "selections": [
            {
                "attribute": line["attribute"],
                "option": line.get("option"),
                "sku": line.get("sku") or None,
                "text": line.get("text"),
            }
            for line in snap.get("selections", ())
        ],
    }
    if changed_at is not None:
        payload["changed_at"] = _iso(_utc(changed_at))
    return payload


# --- delivery --------------------------------------------------------------------------------


def deliver_due(ctx, *, now: datetime | None = None, limit: int = 50, timeout=TIMEOUT) -> Delivery:
    """Send up to `limit` deliveries due at `now` (default: the clock, read again for each
    one so a slow batch never signs with a stale time), oldest first."""
    opener = urllib.request.build_opener(_NoRedirects)
    delivery = Delivery()
    for _ in range(limit):
        moment = _utc(now or datetime.now(UTC))
        with ctx.database.session() as session:
            row = session.scalars(_due(session, moment)).first()
            if row is None:
                break
            endpoint = session.get(WebhookEndpoint, row.endpoint_id)
            body = message_body(row)
            headers = signed_headers(secret_for(ctx, endpoint), row.message_id, moment, body)
            status, answer, ok = _post(opener, endpoint.url, body, headers, timeout)
            delivery += _settle(row, status, answer, ok, moment)
    return delivery


def message_body(row: WebhookDelivery) -> str:
    """The JSON body per the specification; the same text on every retry."""
    message = {
        "type": row.event,
        "timestamp": _iso(stored_utc(row.created_at)),
        "data": row.payload,
    }
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def signed_headers(secret: str, message_id: str, moment: datetime, body: str) -> dict[str, str]:
    """webhook-id, webhook-timestamp (the attempt's time) and webhook-signature (v1, HMAC-SHA256)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, moment, body),
    }


def backoff(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failed attempt: 30 s doubling, at most 6 h."""
    return min(FIRST_PAUSE * 2 ** min(attempts - 1, 20), LONGEST_PAUSE)


def _due(session: Session, now: datetime):
    enabled = select(WebhookEndpoint.id).where(WebhookEndpoint.disabled_at.is_(None))
    query = (
        select(WebhookDelivery)
        .where(
            WebhookDelivery.delivered_at.is_(None),
            WebhookDelivery.next_attempt_at <= now,
            WebhookDelivery.endpoint_id.in_(enabled),
        )
        .order_by(WebhookDelivery.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return query


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: it is recorded, not followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _post(
    opener, url: str, body: str, headers: dict[str, str], timeout: float
) -> tuple[int | None, str, bool]:
    """POST once: (status or None, the start of the answer or the error, delivered?)."""
    request = urllib.request.Request(
        url,
        data=body.encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, _text(response.read(READ_LIMIT)), True
    except urllib.error.HTTPError as error:
        try:
            answer = _text(error.read(READ_LIMIT))
        except (OSError, http.client.HTTPException):
            answer = ""
        finally:
            error.close()
        return error.code, answer or f"HTTP {error.code} {error.reason}", False
    except (OSError, http.client.HTTPException, ValueError) as error:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        return None, _text(f"{type(reason).__name__}: {reason}"), False


def _settle(
    row: WebhookDelivery, status: int | None, answer: str, ok: bool, now: datetime
) -> Delivery:
    row.attempts += 1
    row.last_status = status
    row.last_response = answer[:KEPT_RESPONSE]
    if ok:
        row.delivered_at = now
        row.next_attempt_at = None
        return Delivery(sent=1)
    outcome = status if status is not None else answer[:200]
    if row.attempts >= MAX_ATTEMPTS:
        row.next_attempt_at = None
        log.warning(
            "webhooks: delivery %s to endpoint %s given up after %s attempts: %s",
            row.id,
            row.endpoint_id,
            row.attempts,
            outcome,
        )
        return Delivery(failed=1, dropped=1)
    row.next_attempt_at = now + backoff(row.attempts)
    log.warning(
        "webhooks: delivery %s to endpoint %s failed (attempt %s): %s",
        row.id,
        row.endpoint_id,
        row.attempts,
        outcome,
    )
    return Delivery(failed=1)


def _url_problem(url: object) -> str | None:
    if not isinstance(url, str) or not url:
        return "Give the endpoint's URL."
    if len(url) > MAX_URL:
        return f"A URL of at most {MAX_URL} characters."
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return "A URL cannot contain spaces or control characters."
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return "This is not a valid URL."
    if parts.scheme not in ("http", "https"):
        return "The URL must start with https:// (or http://)."
    if parts.username is not None or parts.password is not None:
        return "The URL cannot carry a user name or password: the signature authenticates us."
    if not parts.hostname:
        return "The URL needs a host name."
    return None


def _checked_events(events: object) -> tuple[tuple[str, ...], str | None]:
    if isinstance(events, str) or not isinstance(events, Iterable):
        return (), "Events must be a list of event names."
    events = list(events)
    if not events:
        return (), f"Choose at least one event: {', '.join(EVENTS)}."
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        shown = ", ".join(repr(e) for e in unknown)
        return (), f"Unknown events {shown}; known: {', '.join(EVENTS)}."
    return tuple(e for e in EVENTS if e in events), None


def _endpoint(row: WebhookEndpoint) -> Endpoint:
    return Endpoint(
        id=row.id,
        url=row.url,
        events=tuple(row.events),
        created_at=stored_utc(row.created_at),
        disabled_at=stored_utc(row.disabled_at),
        salt=row.salt,
    )


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return text[:KEPT_RESPONSE]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("webhook times must be timezone-aware")
    return moment.astimezone(UTC)
