"""The real app on a free local port, and Debian's Chromium as we launch it.

Shared by the browser tests and the screenshot tool, so both drive the same thing.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def serve(instance: Path, catalog: Path, **config):
    """Yield the base URL of the app (SQLite and renders under `instance`) until the block ends;
    `config` adds to the app's configuration (e.g. rate limits)."""
    from werkzeug.serving import make_server

    from configurator.web import create_app

    app = create_app(
        {
            "INSTANCE_DIR": str(instance),
            "DATABASE_URL": f"sqlite:///{Path(instance) / 'live.sqlite3'}",
            "CATALOG_DIR": str(catalog),
            **config,
        }
    )
    app.extensions["database"].upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["configurator"].close()


def launch(playwright_driver):
    """Debian's Chromium, headless; Playwright never downloads a browser of its own."""
    return playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
