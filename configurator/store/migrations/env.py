"""Alembic environment: runs against the engine handed over by Database.upgrade, or (run from
the `alembic` command line) the database the bootstrap's settings name."""

from __future__ import annotations

from alembic import context

from configurator.store.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes.get("engine")
    if engine is None:
        from configurator.bootstrap import bootstrap

        wired = bootstrap(load_catalog=False)
        try:
            _migrate(wired.database.engine)
        finally:
            wired.close()
    else:
        _migrate(engine)


def _migrate(engine) -> None:
    with engine.begin() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        context.run_migrations()


run_migrations_online()
