"""`configurator orders export`: the batch's files written where asked, byte for byte as kept;
nothing new says so and exits 0; an unknown status exits 2 (both databases)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from configurator.cli import cli
from configurator.services import exports
from configurator.store import AuditEvent
from tests.conftest import CATALOG, ROOT
from tests.integration.test_exports import make_ctx, place, set_status


@pytest.fixture
def shop(database_url, tmp_path):
    """Two paid orders and one awaiting payment; the environment a command runs in."""
    ctx = make_ctx(database_url, tmp_path / "instance")
    paid = [place(ctx, "k-1"), place(ctx, "k-2", quantity=2)]
    waiting = place(ctx, "k-3")
    set_status(ctx, paid, "paid")
    env = {
        "CONFIGURATOR_DATABASE_URL": database_url,
        "CONFIGURATOR_INSTANCE_DIR": str(tmp_path / "instance"),
        "CONFIGURATOR_CATALOG_DIR": str(CATALOG),
    }
    yield ctx, env, paid, waiting
    ctx.close()


def test_export_writes_the_csv_files_then_finds_nothing_new(shop, tmp_path):
    ctx, env, paid, _ = shop
    runner = CliRunner()
    out = tmp_path / "exports" / "today"  # made when missing
    result = runner.invoke(
        cli, ["orders", "export", "--status", "paid", "--out", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    (batch,) = exports.batches(ctx)
    written = [out / f"{batch.ref}-orders.csv", out / f"{batch.ref}-bom.csv"]
    assert result.output.splitlines() == [str(path) for path in written]
    assert sorted(out.iterdir()) == sorted(written)
    assert written[0].read_bytes() == exports.batch_file(ctx, batch.ref, "orders.csv")
    assert written[1].read_bytes() == exports.batch_file(ctx, batch.ref, "bom.csv")
    assert all(number.encode() in written[0].read_bytes() for number in paid)
    with ctx.database.session() as session:
        entry = session.scalars(select(AuditEvent)).one()
        assert (entry.actor, entry.action, entry.detail["count"]) == ("cli", "export.created", 2)

    again = runner.invoke(cli, ["orders", "export", "--status", "paid", "--out", str(out)], env=env)
    assert again.exit_code == 0, again.output
    assert again.output == "No new orders in status paid.\n"
    assert len(exports.batches(ctx)) == 1 and len(list(out.iterdir())) == 2


def test_export_json_into_the_current_folder(shop, tmp_path, monkeypatch):
    ctx, env, _, waiting = shop
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["orders", "export", "--status", "awaiting_payment", "--format", "json"], env=env
    )
    assert result.exit_code == 0, result.output
    (batch,) = exports.batches(ctx)
    assert result.output == f"{batch.ref}-orders.json\n"
    body = (tmp_path / f"{batch.ref}-orders.json").read_bytes()
    assert [o["number"] for o in json.loads(body)["orders"]] == [waiting]
    assert body == exports.batch_file(ctx, batch.ref, "orders.json")


def test_an_unknown_status_or_format_exits_2(shop):
    ctx, env, _, _ = shop
    runner = CliRunner()
    bad = runner.invoke(cli, ["orders", "export", "--status", "payed"], env=env)
    assert bad.exit_code == 2
    assert "Invalid value for '--status': 'payed' is not an order status" in bad.output
    assert "awaiting_payment, paid, in_production, shipped, cancelled" in bad.output
    bad_format = runner.invoke(
        cli, ["orders", "export", "--status", "paid", "--format", "xlsx"], env=env
    )
    assert bad_format.exit_code == 2 and "'xlsx' is not one of" in bad_format.output
    missing = runner.invoke(cli, ["orders", "export"], env=env)
    assert missing.exit_code == 2 and "Missing option '--status'" in missing.output
    assert exports.batches(ctx) == []


def test_the_installed_command_runs_in_its_own_process(shop, tmp_path):
    """The real entry point (`python -m configurator`), as cron or a person would run it."""
    ctx, env, _, _ = shop
    done = subprocess.run(
        [sys.executable, "-m", "configurator", "orders", "export", "--status", "paid"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (batch,) = exports.batches(ctx)
    assert done.stdout.splitlines() == [f"{batch.ref}-orders.csv", f"{batch.ref}-bom.csv"]
    assert (tmp_path / f"{batch.ref}-bom.csv").read_bytes() == exports.batch_file(
        ctx, batch.ref, "bom.csv"
    )
