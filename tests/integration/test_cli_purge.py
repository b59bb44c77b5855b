"""`configurator privacy purge`: deletes designs not opened within the retention, with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from configurator.bootstrap import bootstrap
from configurator.cli import cli
from configurator.services import saving
from tests.conftest import CATALOG

SAVED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def test_purge_from_the_command_line(database_url, tmp_path):
    config = {
        "DATABASE_URL": database_url,
        "INSTANCE_DIR": str(tmp_path),
        "CATALOG_DIR": str(CATALOG),
    }
    ctx = bootstrap(config)
    try:
        ctx.database.upgrade()
        stored = saving.save(
            ctx,
            secret=None,
            product_id="helmet",
            raw={"shell_type": "open_face"},
            name="old",
            consent=True,
            notice_sha256=saving.current_notice(ctx).sha256,
            now=SAVED,
        )
    finally:
        ctx.close()
    env = {
        "CONFIGURATOR_DATABASE_URL": database_url,
        "CONFIGURATOR_INSTANCE_DIR": str(tmp_path),
        "CONFIGURATOR_RETENTION_DAYS": "30",
    }
    runner = CliRunner()
    day_before = (SAVED + timedelta(days=29)).strftime("%Y-%m-%d")
    kept = runner.invoke(cli, ["privacy", "purge", "--now", day_before], env=env)
    assert kept.exit_code == 0, kept.output
    assert (
        "0 saved designs or preferences and 0 empty keyrings deleted (not opened for 30 days)"
        in kept.output
    )
    gone = runner.invoke(cli, ["privacy", "purge", "--now", "2026-02-10T09:00:01+0000"], env=env)
    assert gone.exit_code == 0, gone.output
    assert "1 saved design or preference and 1 empty keyring deleted" in gone.output
    ctx = bootstrap(config)
    try:
        assert not saving.has_keyring(ctx, stored.new_secret)
    finally:
        ctx.close()
    bad = runner.invoke(cli, ["privacy", "purge", "--now", "yesterday"], env=env)
    assert bad.exit_code == 2 and "Invalid value for '--now'" in bad.output
