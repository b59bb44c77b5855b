"""One URL limit (configurator/web/urls.py) for the app and the servers it runs under: the app
answers an over-long query with its own 414 (a page, or JSON under /api and /preview), and
gunicorn.conf.py and werkzeug (`make run`) let every such request line reach it."""

from __future__ import annotations

import json
import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from configurator.web.urls import MAX_QUERY_BYTES, REQUEST_LINE_BYTES
from tests.conftest import CATALOG, ROOT
from tools.live import serve

APP_MESSAGE = b"The address is too long"


def raw_get(base: str, target: str) -> tuple[int, dict[str, str], bytes]:
    """One GET with exactly this request target, over a plain socket (no client rewrites it)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def query_of(size: int) -> str:
    return "bogus=" + "x" * (size - len("bogus="))


def test_the_served_request_line_holds_the_apps_longest_query():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["limit_request_line"] == REQUEST_LINE_BYTES <= 8190  # gunicorn's own cap
    room = REQUEST_LINE_BYTES - MAX_QUERY_BYTES
    assert room >= len("GET /api/v1/products/") + 64 + len("?") + len(" HTTP/1.1")


def test_an_over_long_api_query_is_a_json_414(web):
    response = web.get("/api/v1/products?" + query_of(MAX_QUERY_BYTES + 1))
    assert response.status_code == 414
    assert response.mimetype == "application/json"
    assert "too long" in response.get_json()["message"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """The app as README serves it: `gunicorn -c gunicorn.conf.py`, on a free local port."""
    instance: Path = tmp_path_factory.mktemp("gunicorn")
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CONFIGURATOR_INSTANCE_DIR": str(instance),
        "CONFIGURATOR_DATABASE_URL": f"sqlite:///{instance / 'served.sqlite3'}",
        "CONFIGURATOR_CATALOG_DIR": str(CATALOG),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "-m", "configurator", "db", "upgrade"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py", "configurator.web:create_app()"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if raw_get(base, "/api/v1/products")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_serves_a_5_kb_query(gunicorn):
    status, _, _ = raw_get(gunicorn, "/p/helmet?" + query_of(5 * 1024))
    assert status == 200


def test_gunicorn_lets_the_app_refuse_a_query_over_its_limit(gunicorn):
    target = "/p/helmet?" + query_of(MAX_QUERY_BYTES + 1)
    assert len(f"GET {target} HTTP/1.1") <= REQUEST_LINE_BYTES
    status, headers, body = raw_get(gunicorn, target)
    assert status == 414
    assert headers["content-type"].startswith("text/html")
    assert APP_MESSAGE in body
    assert headers["content-security-policy"]  # the app's page, with the app's headers


def test_gunicorn_lets_the_api_refuse_with_json(gunicorn):
    status, headers, body = raw_get(gunicorn, "/api/v1/products?" + query_of(MAX_QUERY_BYTES + 1))
    assert status == 414
    assert headers["content-type"] == "application/json"
    assert "too long" in json.loads(body)["message"]


def test_the_longest_line_the_app_answers_at_gunicorn(gunicorn):
    """Up to gunicorn's cap (8190 bytes) the app answers; past it gunicorn answers alone
    (a bare 414) because gunicorn cannot be told to read longer lines, short of no limit."""
    fits = "/p/helmet?" + query_of(REQUEST_LINE_BYTES - len("GET /p/helmet? HTTP/1.1"))
    status, _, body = raw_get(gunicorn, fits)
    assert (status, APP_MESSAGE in body) == (414, True)
    status, _, body = raw_get(gunicorn, "/p/helmet?" + query_of(9 * 1024))
    assert status == 414
    assert APP_MESSAGE not in body


@pytest.fixture(scope="module")
def werkzeug(tmp_path_factory):
    """The app under werkzeug's server, as `make run` (flask run) and the browser tests serve it."""
    with serve(tmp_path_factory.mktemp("werkzeug"), CATALOG) as base:
        yield base


@pytest.mark.parametrize("size", [5 * 1024, MAX_QUERY_BYTES])
def test_werkzeug_serves_queries_up_to_the_limit(werkzeug, size):
    assert raw_get(werkzeug, "/p/helmet?" + query_of(size))[0] == 200


@pytest.mark.parametrize("size", [MAX_QUERY_BYTES + 1, 9 * 1024, 60 * 1024])
def test_werkzeug_lets_the_app_refuse_longer_ones(werkzeug, size):
    """werkzeug reads request lines up to 64 KB (http.server's limit): the app answers them all."""
    status, _, body = raw_get(werkzeug, "/p/helmet?" + query_of(size))
    assert status == 414
    assert APP_MESSAGE in body
