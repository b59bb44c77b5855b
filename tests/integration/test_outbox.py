"""The outbox on SQLite and PostgreSQL, delivering to a real SMTP server (aiosmtpd) or to files:
what arrives, what is kept after a failure, when it is retried, and that two workers never
send one message twice."""

from __future__ import annotations

import email
import threading
from datetime import UTC, datetime, timedelta
from email.policy import default

import pytest
from sqlalchemy import select

from configurator.bootstrap import bootstrap
from configurator.services.outbox import BACKOFF, Delivery, deliver_due, enqueue, run_worker
from configurator.store import OutboxMessage
from tests.support.smtp import Inbox, free_port, smtp_server

NOW = datetime(2026, 12, 24, 9, 30, tzinfo=UTC)
ADDRESS = "Anna.Muster@example.com"
SUBJECT = "Schöne Grüße: your saved helmet"
BODY = "Schöne Grüße!\nYour design is saved: https://shop.example/d/abc\n"


@pytest.fixture
def make_context(database_url, tmp_path):
    """A Context on the test's database, mailing through `smtp_url` (None: to files)."""
    made = []

    def build(smtp_url: str | None = None):
        config = {"DATABASE_URL": database_url, "INSTANCE_DIR": str(tmp_path / "instance")}
        ctx = bootstrap({**config, "SMTP_URL": smtp_url}, environ={}, load_catalog=False)
        if not made:
            ctx.database.upgrade()
        made.append(ctx)
        return ctx

    yield build
    for ctx in made:
        ctx.close()


def queue(ctx, recipient: str = ADDRESS, *, now: datetime = NOW, count: int = 1) -> list[int]:
    with ctx.database.session() as session:
        rows = [
            enqueue(
                session, recipient=recipient, subject=SUBJECT, body=BODY, keyring_id=None, now=now
            )
            for _ in range(count)
        ]
        session.flush()
        return [row.id for row in rows]


def rows(ctx) -> list[OutboxMessage]:
    with ctx.database.session() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def aware(moment: datetime) -> datetime:
    """SQLite gives back naive UTC times; PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_a_queued_message_arrives_over_smtp_and_its_row_is_deleted(make_context):
    with smtp_server() as inbox:
        ctx = make_context(inbox.url)
        queue(ctx)
        assert deliver_due(ctx, now=NOW) == Delivery(sent=1)
    assert rows(ctx) == []
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == [ADDRESS]
    assert envelope.mail_from == "no-reply@localhost"
    [message] = inbox.messages
    assert message["From"] == "Helmet configurator <no-reply@localhost>"
    assert message["To"] == ADDRESS
    assert message["Subject"] == SUBJECT
    assert message["Date"].datetime == NOW
    assert message["Message-ID"].endswith("@localhost>")
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().splitlines() == BODY.splitlines()  # SMTP carries CRLF
    assert envelope.content.isascii()  # no server needs 8BITMIME


def test_the_message_is_queued_only_if_the_callers_transaction_commits(make_context):
    ctx = make_context()
    with pytest.raises(RuntimeError), ctx.database.session() as session:
        enqueue(session, recipient=ADDRESS, subject="s", body="b", keyring_id=None, now=NOW)
        session.flush()
        raise RuntimeError("the saving failed")
    assert rows(ctx) == []
    [row_id] = queue(ctx)
    [row] = rows(ctx)
    assert (row.id, row.attempts, aware(row.next_attempt_at)) == (row_id, 0, NOW)


def test_line_breaks_in_a_header_are_refused_when_queued(make_context):
    ctx = make_context()
    with pytest.raises(ValueError), ctx.database.session() as session:
        enqueue(
            session,
            recipient=ADDRESS,
            subject="hi\nBcc: all@example.com",
            body="b",
            keyring_id=None,
            now=NOW,
        )


def test_without_smtp_each_message_is_written_as_an_eml_file(make_context, tmp_path):
    ctx = make_context()
    [row_id] = queue(ctx)
    assert deliver_due(ctx, now=NOW) == Delivery(sent=1)
    assert rows(ctx) == []
    [path] = (tmp_path / "instance" / "outbox").iterdir()
    assert path.name == f"20261224T093000Z-{row_id}.eml"
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert (message["To"], message["Subject"]) == (ADDRESS, SUBJECT)
    assert message.get_content() == BODY


def test_messages_go_oldest_first_and_only_when_due(make_context):
    with smtp_server() as inbox:
        ctx = make_context(inbox.url)
        first = queue(ctx, "first@example.com")
        later = queue(ctx, "later@example.com", now=NOW + timedelta(minutes=1))
        second = queue(ctx, "second@example.com")
        assert deliver_due(ctx, now=NOW, limit=1) == Delivery(sent=1)
        assert deliver_due(ctx, now=NOW) == Delivery(sent=1)
        assert deliver_due(ctx, now=NOW) == Delivery()
        assert [row.id for row in rows(ctx)] == later
        assert deliver_due(ctx, now=NOW + timedelta(minutes=1)) == Delivery(sent=1)
    assert [e.rcpt_tos for e in inbox.envelopes] == [
        ["first@example.com"],
        ["second@example.com"],
        ["later@example.com"],
    ]
    assert first < later < second


def test_a_refused_message_is_kept_for_later_without_the_address(make_context, caplog):
    with smtp_server(Inbox(refuse=f"550 5.1.1 <{ADDRESS.lower()}>: no such user")) as inbox:
        ctx = make_context(inbox.url)
        queue(ctx)
        assert deliver_due(ctx, now=NOW) == Delivery(failed=1)
        assert deliver_due(ctx, now=NOW) == Delivery()  # not due again yet
    [row] = rows(ctx)
    assert row.attempts == 1
    assert aware(row.next_attempt_at) == NOW + timedelta(minutes=1)
    assert row.last_error.startswith("SMTPRecipientsRefused: ")
    assert "550" in row.last_error and "no such user" in row.last_error
    assert ADDRESS.lower() not in row.last_error.lower()
    assert ADDRESS.lower() not in caplog.text.lower()
    assert "no such user" in caplog.text
    assert inbox.envelopes == []


def test_a_server_that_is_down_is_retried_with_growing_pauses_then_given_up(make_context, caplog):
    ctx = make_context(f"smtp://127.0.0.1:{free_port()}?tls=off")  # nobody listens
    queue(ctx)
    now = NOW
    pauses = []
    for _ in range(9):
        assert deliver_due(ctx, now=now) == Delivery(failed=1)
        [row] = rows(ctx)
        assert row.last_error.startswith("ConnectionRefusedError: ")
        pauses.append(aware(row.next_attempt_at) - now)
        now = aware(row.next_attempt_at)
    assert pauses == [*BACKOFF, *[BACKOFF[-1]] * 4]
    assert pauses[:5] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=12),
    ]
    assert deliver_due(ctx, now=now) == Delivery(failed=1, dropped=1)
    assert rows(ctx) == []
    assert "dropped after 10 attempts" in caplog.text
    assert ADDRESS.lower() not in caplog.text.lower()


def test_a_login_is_sent_when_the_url_names_a_user(make_context):
    with smtp_server(auth=True) as inbox:
        user_url = inbox.url.replace("smtp://", "smtp://shop%40example.com:p%40ss@")
        ctx = make_context(user_url)
        queue(ctx)
        assert deliver_due(ctx, now=NOW) == Delivery(sent=1)
    assert inbox.logins == [("shop@example.com", "p@ss")]
    assert len(inbox.envelopes) == 1


def test_a_password_is_never_sent_without_starttls_unless_tls_is_off(make_context):
    with smtp_server(auth=True) as inbox:
        url = inbox.url.replace("smtp://", "smtp://shop:secret@").removesuffix("?tls=off")
        ctx = make_context(url)
        queue(ctx)
        assert deliver_due(ctx, now=NOW) == Delivery(failed=1)
    assert inbox.logins == [] and inbox.envelopes == []
    [row] = rows(ctx)
    assert "STARTTLS" in row.last_error


def test_a_worker_loop_delivers_until_stopped(make_context):
    with smtp_server() as inbox:
        ctx = make_context(inbox.url)
        queue(ctx, now=datetime.now(UTC), count=3)
        stop = threading.Event()
        worker = threading.Thread(
            target=run_worker, args=(ctx,), kwargs={"once": False, "interval": 0.05, "stop": stop}
        )
        worker.start()
        try:
            for _ in range(200):
                if len(inbox.envelopes) == 3:
                    break
                stop.wait(0.05)
        finally:
            stop.set()
            worker.join(5)
    assert not worker.is_alive()
    assert len(inbox.envelopes) == 3 and rows(ctx) == []


def test_two_workers_at_once_send_each_message_exactly_once(make_context, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED is PostgreSQL's; on SQLite one worker runs")
    with smtp_server(Inbox(delay=0.01)) as inbox:
        first, second = make_context(inbox.url), make_context(inbox.url)
        for n in range(30):
            queue(first, f"shopper{n}@example.com")
        start = threading.Barrier(2)
        results = []

        def work(ctx):
            start.wait()
            results.append(deliver_due(ctx, now=NOW))

        workers = [threading.Thread(target=work, args=(ctx,)) for ctx in (first, second)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
    received = sorted(e.rcpt_tos[0] for e in inbox.envelopes)
    assert received == sorted(f"shopper{n}@example.com" for n in range(30))
    assert sum(r.sent for r in results) == 30
    assert all(r.sent > 0 for r in results)  # both took part
    assert rows(first) == []
