"""The bare-Flask ceiling for bench_web: GET / answers 1 KB of text and does nothing else.

Served by gunicorn with the same settings as the real app, it shows the most requests a
second Flask, gunicorn and this load generator allow on this machine; the shop's clicks
are reported as a fraction of it.

    gunicorn -w 2 'bench.bare_app:create_app()'
"""

from __future__ import annotations

from flask import Flask, Response

BODY = ("0123456789abcdef" * 64).encode()  # 1 KB


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index() -> Response:
        return Response(BODY, mimetype="text/plain")

    return app
