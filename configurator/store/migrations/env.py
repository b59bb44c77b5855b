"""Alembic environment: runs against the engine handed over by Database.upgrade (or the URL in the environment)."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from configurator.store.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes.get("engine")
    if engine is None:
        engine = create_engine(os.environ["CONFIGURATOR_DATABASE_URL"])
    with engine.begin() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        context.run_migrations()


run_migrations_online()
