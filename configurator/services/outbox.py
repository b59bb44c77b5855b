"""The outbox: e-mail is queued in the transaction that caused it and sent later by a worker,
so a slow or absent mail server never fails or slows a shopper's request.

    enqueue(session, recipient=..., subject=..., body=..., keyring_id=..., now=now)
    deliver_due(ctx)                 # one batch; `configurator worker` loops over it

Delivery goes through SMTP when `settings.smtp_url` is set, otherwise into
`<instance>/outbox/*.eml` files for developers. A delivered message's row is deleted (the
address is personal data); a failed one is retried after a growing pause and dropped
after MAX_ATTEMPTS. Recipients and bodies are never logged. Each message is claimed,
sent and settled in its own transaction; on PostgreSQL the claim is `FOR UPDATE SKIP
LOCKED`, so several workers never send the same message at once (on SQLite run one).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, parseaddr
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from configurator.store import OutboxMessage

log = logging.getLogger("configurator.outbox")

MAX_ATTEMPTS = 10
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),  # and every later attempt
)
TIMEOUT = 10.0  # seconds, for connecting and for each SMTP command
# Bodies as quoted-printable or base64: any server takes them, 8BITMIME or not.
POLICY = default_policy.clone(cte_type="7bit")


@dataclass(frozen=True)
class Delivery:
    """What one run delivered: `failed` counts every failed attempt, `dropped` those given up."""

    sent: int = 0
    failed: int = 0
    dropped: int = 0

    def __add__(self, other: Delivery) -> Delivery:
        return Delivery(
            self.sent + other.sent, self.failed + other.failed, self.dropped + other.dropped
        )


def enqueue(
    session: Session,
    *,
    recipient: str,
    subject: str,
    body: str,
    keyring_id: int | None,
    now: datetime,
    images: list[dict] | None = None,
) -> OutboxMessage:
    """Queue a message in the caller's session: it is sent only if the caller's transaction commits."""
    if any(c in text for text in (recipient, subject) for c in "\r\n"):
        raise ValueError("a recipient or subject cannot contain a line break")
    now = _utc(now)
    message = OutboxMessage(
        keyring_id=keyring_id,
        recipient=recipient,
        subject=subject,
        body=body,
        images=images,
        created_at=now,
        attempts=0,
        next_attempt_at=now,
    )
    session.add(message)
    return message


def deliver_due(ctx, *, now: datetime | None = None, limit: int = 50) -> Delivery:
    """Send up to `limit` messages due at `now` (default: the clock), oldest first."""
    now = _utc(now or datetime.now(UTC))
    settings = ctx.settings
    delivery = Delivery()
    with _Sender(settings.smtp_url, settings.instance_dir / "outbox") as sender:
        for _ in range(limit):
            with ctx.database.session() as session:
                row = session.scalars(_due(session, now)).first()
                if row is None:
                    break
                try:
                    sender.send(compose(ctx, row), row.id, now)
                except Exception as error:
                    delivery += _failed(session, row, error, now)
                else:
                    session.delete(row)
                    delivery += Delivery(sent=1)
    return delivery


def run_worker(
    ctx, *, once: bool, interval: float, stop: threading.Event | None = None
) -> Delivery:
    """Deliver e-mail and webhooks until `stop` is set (or one batch with `once`), waiting `interval` s when nothing was due."""
    from . import webhooks  # it counts its deliveries with this module's Delivery

    stop = stop or threading.Event()
    total = Delivery()
    while not stop.is_set():
        try:
            delivery = deliver_due(ctx)
            delivery += webhooks.deliver_due(ctx)
        except OperationalError as error:  # the database is away: try again later
            if once:
                raise
            log.warning("outbox: database unavailable (%s), retrying", type(error).__name__)
            delivery = Delivery()
        total += delivery
        if once:
            break
        if delivery == Delivery():
            stop.wait(interval)
    return total


def backoff(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failed attempt."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _due(session: Session, now: datetime):
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return query


def compose(ctx, row: OutboxMessage) -> EmailMessage:
    """The message exactly as it will be sent. It depends only on the row and the files it
    names (Date is when it was queued, the Message-ID and MIME boundaries derive from the
    row), so composing it again, even after catalog or artwork edits, gives the same bytes.
    With `images`, a plain-text part and an HTML part showing the pictures inline."""
    sender = ctx.settings.mail_from
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    from .saving import stored_utc  # saving queues mail through this module

    created = _utc(stored_utc(row.created_at))
    seed = hashlib.sha256(f"{row.id}|{created.isoformat()}|{row.subject}".encode()).hexdigest()
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(created)
    message["Message-ID"] = f"<{seed[:32]}@{domain}>"
    message.set_content(row.body)
    if row.images:
        message.add_alternative(_html(row.body, row.images, domain), subtype="html")
        html_part = message.get_payload()[1]
        for image in row.images:
            maintype, _, subtype = image["type"].partition("/")
            html_part.add_related(
                ctx.files.get(image["file"]),
                maintype=maintype,
                subtype=subtype,
                cid=f"<{image['cid']}@{domain}>",
                filename=f"{image['cid']}.{subtype}",
                disposition="inline",
            )
        for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
            part.set_boundary(f"=={seed[32:48]}.{number}==")
    return message


def _html(body: str, images: list[dict], domain: str) -> str:
    """The plain text as HTML, the pictures first; links stay links."""
    pictures = "".join(
        f'<p><img src="cid:{escape(i["cid"])}@{escape(domain)}" alt="{escape(i.get("alt", ""))}" '
        f'width="{int(i.get("width", 480))}" style="max-width:100%;height:auto"></p>'
        for i in images
    )
    paragraphs = []
    for block in body.strip().split("\n\n"):
        lines = [_linked(escape(line)) for line in block.split("\n")]
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return (
        '<!doctype html><html><body style="font-family:sans-serif;line-height:1.4">'
        + pictures
        + "\n".join(paragraphs)
        + "</body></html>\n"
    )


def _linked(line: str) -> str:
    return re.sub(r"(https?://[^\s<]+)", r'<a href="\1">\1</a>', line)


def _failed(session: Session, row: OutboxMessage, error: Exception, now: datetime) -> Delivery:
    reason = _without(f"{type(error).__name__}: {error}", row.recipient)
    row.attempts += 1
    if row.attempts >= MAX_ATTEMPTS:
        log.warning(
            "outbox: message %s dropped after %s attempts: %s", row.id, row.attempts, reason
        )
        session.delete(row)
        return Delivery(failed=1, dropped=1)
    row.next_attempt_at = now + backoff(row.attempts)
    row.last_error = reason
    log.warning("outbox: message %s failed (attempt %s): %s", row.id, row.attempts, reason)
    return Delivery(failed=1)


def _without(text: str, recipient: str) -> str:
    """`text` with the address taken out, in any letter case."""
    return re.sub(re.escape(recipient), "<recipient>", text, flags=re.IGNORECASE)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("outbox times must be timezone-aware")
    return moment.astimezone(UTC)


class _Sender:
    """One SMTP connection for a batch (opened on first use, reopened after a failure), or files."""

    def __init__(self, smtp_url: str | None, folder: Path):
        self.url = urlsplit(smtp_url) if smtp_url else None
        if self.url is not None and self.url.scheme not in ("smtp", "smtps"):
            raise ValueError(f"SMTP_URL must start with smtp:// or smtps://, not {self.url.scheme}")
        self.folder = folder
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> _Sender:
        return self

    def __exit__(self, *_exc) -> None:
        self._close()

    def send(self, message: EmailMessage, message_id: int, now: datetime) -> None:
        if self.url is None:
            self._write(message, message_id, now)
            return
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.send_message(message)
        except Exception:
            self._close()
            raise

    def _write(self, message: EmailMessage, message_id: int, now: datetime) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.folder / f"{now:%Y%m%dT%H%M%SZ}-{message_id}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(message.as_bytes())
        os.replace(partial, path)  # a reader never sees half a message

    def _connect(self) -> smtplib.SMTP:
        url = self.url
        host = url.hostname or "localhost"
        tls = parse_qs(url.query).get("tls", ["on"])[-1] != "off"
        context = ssl.create_default_context()
        if url.scheme == "smtps":
            port = url.port or smtplib.SMTP_SSL_PORT
            connection = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
        else:
            connection = smtplib.SMTP(host, url.port or smtplib.SMTP_PORT, timeout=TIMEOUT)
        try:
            connection.ehlo()
            if url.scheme == "smtp" and tls:
                if connection.has_extn("starttls"):
                    connection.starttls(context=context)
                    connection.ehlo()
                elif url.username:  # never send a password in clear text unless told to
                    raise smtplib.SMTPNotSupportedError(
                        "the server offers no STARTTLS; add ?tls=off to log in without it"
                    )
            if url.username:
                connection.login(unquote(url.username), unquote(url.password or ""))
        except Exception:
            connection.close()
            raise
        return connection

    def _close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (smtplib.SMTPException, OSError):
            self.connection.close()
        self.connection = None
