"""The real app on a free local port, and Debian's Chromium as we launch it.

Shared by the browser tests and the screenshot tool, so both drive the same thing.
"""

from __future__ import annotations

import os
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
def serve(instance: Path, catalog: Path):
    """Yield the base URL of the app (SQLite and renders under `instance`) until the block ends."""
    from werkzeug.serving import make_server

    from configurator.web import create_app

    overrides = {
        "CONFIGURATOR_INSTANCE_DIR": str(instance),
        "CONFIGURATOR_DATABASE_URL": f"sqlite:///{Path(instance) / 'live.sqlite3'}",
        "CONFIGURATOR_CATALOG_DIR": str(catalog),
    }
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        app = create_app()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    app.extensions["database"].upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["database"].dispose()


def launch(playwright_driver):
    """Debian's Chromium, headless; Playwright never downloads a browser of its own."""
    return playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
