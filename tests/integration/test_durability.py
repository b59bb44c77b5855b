"""An order acknowledged to the client is never lost, and none is half-written: gunicorn is
killed with SIGKILL while a client places orders as fast as it can, three times over, on
SQLite (WAL, synchronous=FULL) and on PostgreSQL; after each restart every acknowledged
order is there, whole (its number, first status and confirmation e-mail)."""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from sqlalchemy import func, select

from configurator.bootstrap import bootstrap
from configurator.store import Order, OrderEvent, OutboxMessage
from tests.conftest import CATALOG
from tests.web.test_api_designs import ORDER

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(database_url: str, instance: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DURABLE_DATABASE_URL": database_url,
        "DURABLE_INSTANCE_DIR": str(instance),
        "DURABLE_CATALOG_DIR": str(CATALOG),
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
        + ["tests.support.durable_app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the master and its workers die together
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/products", timeout=2)
            return server
        except OSError:
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    raise RuntimeError("gunicorn did not start")


def place(port: int, key: str) -> str | None:
    """The order's token if the server acknowledged it (201), None if the request failed."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/products/helmet/orders",
        data=json.dumps(ORDER).encode(),
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["token"] if response.status == 201 else None
    except (OSError, http.client.HTTPException, ValueError):
        return None  # killed mid-request: not acknowledged, may or may not exist


def test_acknowledged_orders_survive_sigkill(database_url, tmp_path):
    ctx = bootstrap(
        {"DATABASE_URL": database_url, "INSTANCE_DIR": str(tmp_path), "CATALOG_DIR": str(CATALOG)}
    )
    ctx.database.upgrade()
    acknowledged: dict[str, str] = {}  # key -> token
    attempted = 0
    chance = random.Random(7)
    try:
        for round_ in range(ROUNDS):
            port = free_port()
            server = start(database_url, tmp_path, port)
            stop = threading.Event()

            def client(thread_no, round_=round_, port=port, stop=stop):
                nonlocal attempted
                number = 0
                while not stop.is_set():
                    key = f"r{round_}-t{thread_no}-{number}"
                    number += 1
                    attempted += 1
                    token = place(port, key)
                    if token is not None:
                        acknowledged[key] = token

            threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
            for thread in threads:
                thread.start()
            time.sleep(1.5 + chance.random())  # mid-flight: four requests are always open
            os.killpg(server.pid, signal.SIGKILL)
            stop.set()  # each client ends after the request the kill interrupted
            server.wait(timeout=30)
            for thread in threads:
                thread.join(timeout=30)

        port = free_port()
        server = start(database_url, tmp_path, port)
        try:
            for token in acknowledged.values():
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/orders/{token}", timeout=10
                ) as response:
                    assert json.load(response)["status"] == "awaiting_payment"
        finally:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)

        with ctx.database.session() as session:
            orders = session.scalar(select(func.count()).select_from(Order))
            numbered = session.scalar(
                select(func.count()).select_from(Order).where(Order.number.is_not(None))
            )
            with_event = session.scalar(select(func.count(func.distinct(OrderEvent.order_id))))
            mails = session.scalar(select(func.count()).select_from(OutboxMessage))
            keys = set(session.scalars(select(Order.idempotency_key)))
    finally:
        ctx.close()
    print(
        f"\ndurability {database_url.split(':')[0]}: {attempted} attempted, "
        f"{len(acknowledged)} acknowledged, {orders} found ({len(keys & set(acknowledged))} of "
        f"the acknowledged), {orders - len(acknowledged)} placed but unacknowledged"
    )
    assert len(acknowledged) >= 30 * ROUNDS  # the loop really ran
    assert set(acknowledged) <= keys  # every acknowledged order is there
    assert orders == numbered == with_event == mails  # and none is half-written
