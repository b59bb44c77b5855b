"""`configurator worker --once`: delivers what is due over SMTP or to instance/outbox/, and says how many."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner

from configurator.cli import cli
from configurator.services.outbox import enqueue
from configurator.store import Database
from tests.support.smtp import smtp_server


def queued_database(url: str, *recipients: str) -> None:
    database = Database(url)
    try:
        database.upgrade()
        with database.session() as session:
            for recipient in recipients:
                enqueue(
                    session,
                    recipient=recipient,
                    subject="Grüße",
                    body="Schöne Grüße\n",
                    keyring_id=None,
                    now=datetime.now(UTC),
                )
    finally:
        database.dispose()


def worker(database_url: str, instance, smtp_url: str | None):
    env = {
        "CONFIGURATOR_DATABASE_URL": database_url,
        "CONFIGURATOR_INSTANCE_DIR": str(instance),
        "CONFIGURATOR_SMTP_URL": smtp_url,  # None: unset
    }
    return CliRunner().invoke(cli, ["worker", "--once"], env=env)


def test_worker_once_sends_over_smtp(database_url, tmp_path):
    queued_database(database_url, "a@example.com", "b@example.com")
    with smtp_server() as inbox:
        result = worker(database_url, tmp_path / "instance", inbox.url)
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 sent, 0 failed\n"
    assert sorted(e.rcpt_tos[0] for e in inbox.envelopes) == ["a@example.com", "b@example.com"]
    assert [m.get_content().splitlines() for m in inbox.messages] == [["Schöne Grüße"]] * 2
    assert "example.com" not in result.output
    again = worker(database_url, tmp_path / "instance", inbox.url)
    assert again.stdout == "0 sent, 0 failed\n"


def test_worker_once_without_smtp_writes_files(database_url, tmp_path):
    queued_database(database_url, "a@example.com")
    result = worker(database_url, tmp_path / "instance", None)
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 sent, 0 failed\n"
    assert len(list((tmp_path / "instance" / "outbox").glob("*.eml"))) == 1


def test_worker_once_reports_failures(database_url, tmp_path):
    queued_database(database_url, "a@example.com")
    with smtp_server() as inbox:
        down = inbox.url
    result = worker(database_url, tmp_path / "instance", down)
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 sent, 1 failed\n"


def test_worker_help_says_what_it_does():
    result = CliRunner().invoke(cli, ["worker", "--help"])
    assert result.exit_code == 0
    assert "Deliver queued e-mail" in result.output
    assert "--interval" in result.output
