"""Settings: what an app or a CLI command runs on, read once by `configurator.bootstrap`.

Each setting comes from the config mapping first (`create_app(test_config)`), then the
environment (`CONFIGURATOR_<KEY>`), then its default. The keys: INSTANCE_DIR, DATABASE_URL,
CATALOG_DIR, SECRET_KEY, PREVIEW_MEMORY_MB, PREVIEW_DISK_MB, RETENTION_DAYS (saved designs
kept this long after they were last opened), ORDER_RETENTION_DAYS (orders' personal fields
kept this long for bookkeeping, then removed), SMTP_URL (`smtp://user:password@host:587`
with STARTTLS, `smtps://...` for TLS, `smtp://host:25?tls=off` for none; unset: messages
are written to `<instance>/outbox/` as .eml files), MAIL_FROM, RATELIMIT_STORAGE_URL
(`memory://` by default, `redis://host:6379` in production), WORKSHOP_DAYS (a work order's
due date is this many days after the order was placed), EXPORT_RETENTION_DAYS (an export
batch's files, which hold delivery details, are removed this long after it was made),
CIRCUIT_MAX_MB (a circuit stored at publish is loaded by workers only up to this size).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "CONFIGURATOR_"


@dataclass(frozen=True)
class Settings:
    instance_dir: Path
    database_url: str
    catalog_dir: Path
    secret_key: str
    preview_memory_mb: int = 64
    preview_disk_mb: int = 512
    retention_days: int = 365
    order_retention_days: int = 3650  # bookkeeping law (e.g. 10 years in Germany)
    smtp_url: str | None = None
    mail_from: str = "Helmet configurator <no-reply@localhost>"
    ratelimit_storage_url: str = "memory://"
    workshop_days: int = 14
    export_retention_days: int = 90  # export files hold delivery details: removed after this
    circuit_max_mb: int = 4  # stored circuits larger than this are not loaded (memory, speed)

    @classmethod
    def read(
        cls, config: Mapping[str, object] | None = None, environ: Mapping[str, str] = os.environ
    ) -> Settings:
        """Settings from `config`, else `environ`, else the defaults; creates the instance folder."""

        def setting(key: str) -> object | None:
            if config is not None and config.get(key) not in (None, ""):
                return config[key]
            return environ.get(ENV_PREFIX + key) or None

        instance = Path(setting("INSTANCE_DIR") or ROOT / "instance").resolve()
        instance.mkdir(parents=True, exist_ok=True)
        return cls(
            instance_dir=instance,
            database_url=str(
                setting("DATABASE_URL") or f"sqlite:///{instance / 'configurator.sqlite3'}"
            ),
            catalog_dir=Path(setting("CATALOG_DIR") or ROOT / "catalog").resolve(),
            secret_key=str(setting("SECRET_KEY") or _kept_secret(instance / "secret_key")),
            preview_memory_mb=int(setting("PREVIEW_MEMORY_MB") or cls.preview_memory_mb),
            preview_disk_mb=int(setting("PREVIEW_DISK_MB") or cls.preview_disk_mb),
            retention_days=int(setting("RETENTION_DAYS") or cls.retention_days),
            order_retention_days=int(setting("ORDER_RETENTION_DAYS") or cls.order_retention_days),
            smtp_url=str(setting("SMTP_URL")) if setting("SMTP_URL") else None,
            mail_from=str(setting("MAIL_FROM") or cls.mail_from),
            ratelimit_storage_url=str(
                setting("RATELIMIT_STORAGE_URL") or cls.ratelimit_storage_url
            ),
            workshop_days=int(setting("WORKSHOP_DAYS") or cls.workshop_days),
            export_retention_days=int(
                setting("EXPORT_RETENTION_DAYS") or cls.export_retention_days
            ),
            circuit_max_mb=int(setting("CIRCUIT_MAX_MB") or cls.circuit_max_mb),
        )


def _kept_secret(path: Path) -> str:
    """Generate the secret key once and keep it, so sessions survive a restart."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key
