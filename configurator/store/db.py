"""One Database per app: the SQLAlchemy engine, sessions, and migrations."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import sessionmaker

from .models import CatalogVersion

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Database:
    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url, future=True)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self):
        with self.sessions() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (creates the database file if needed)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["engine"] = self.engine
        command.upgrade(config, "head")

    def record_versions(self, products) -> int:
        """Remember each loaded product version; returns how many were new."""
        new = 0
        with self.session() as session:
            for product in products:
                exists = session.scalar(
                    select(CatalogVersion.id).where(
                        CatalogVersion.product_id == product.id,
                        CatalogVersion.version == product.version,
                    )
                )
                if exists is None:
                    session.add(
                        CatalogVersion(
                            product_id=product.id, version=product.version, name=product.name
                        )
                    )
                    new += 1
        return new

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk (the WAL synced) before it returns, so an acknowledged order
    # survives a killed process and a power cut; NORMAL would survive only the former.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
