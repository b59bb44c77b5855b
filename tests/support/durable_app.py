"""The app as gunicorn serves it in the durability test: configured from DURABLE_* variables,
with the save limit out of the way (the test places orders as fast as it can)."""

from __future__ import annotations

import os

from configurator.web import create_app

app = create_app(
    {
        "DATABASE_URL": os.environ["DURABLE_DATABASE_URL"],
        "INSTANCE_DIR": os.environ["DURABLE_INSTANCE_DIR"],
        "CATALOG_DIR": os.environ["DURABLE_CATALOG_DIR"],
        "SECRET_KEY": "durability",
        "RATELIMIT_SAVE": "100000 per minute",
        "RATELIMIT_LOOKUP": "100000 per minute",
    }
)
