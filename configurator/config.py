"""Configuration from the environment, read once in create_app."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    instance_dir: Path
    database_url: str
    catalog_dir: Path
    secret_key: str

    @classmethod
    def from_environ(cls, environ=os.environ) -> Settings:
        instance = Path(environ.get("CONFIGURATOR_INSTANCE_DIR", ROOT / "instance")).resolve()
        instance.mkdir(parents=True, exist_ok=True)
        database = (
            environ.get("CONFIGURATOR_DATABASE_URL")
            or f"sqlite:///{instance / 'configurator.sqlite3'}"
        )
        catalog = Path(environ.get("CONFIGURATOR_CATALOG_DIR", ROOT / "catalog")).resolve()
        secret = environ.get("CONFIGURATOR_SECRET_KEY") or _kept_secret(instance / "secret_key")
        return cls(instance, database, catalog, secret)


def _kept_secret(path: Path) -> str:
    """Generate the secret key once and keep it, so sessions survive a restart."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key
