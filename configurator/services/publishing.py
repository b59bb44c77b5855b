"""Publishing a catalog: check it, record its files and versions in the database, and let
every running worker of every app instance switch to it between requests.

    publish(ctx, folder, actor=...)   # refuses a catalog with errors (Refused, with each problem)
    Live(ctx).now()                   # per request: the Context of the newest publication

A publication is the catalog folder's files by SHA-256 (their bytes in `catalog_blob`, so an
instance on another machine needs only the database) and the product versions they make.
Each worker polls the newest publication's id at most every POLL_S seconds; when it
changed, it writes the files under `<instance>/published/<sha256>/` (once per instance) and
loads them, while requests in flight finish on the Context they started with. With no
publication yet, the app serves its CATALOG_DIR as loaded at start-up.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from configurator.catalog import load_catalog
from configurator.catalog.model import CatalogProblem, Source
from configurator.store import CatalogBlob, CatalogPublication

from . import audit, evolution
from .catalogs import Catalogs
from .memo import Memos
from .saving import stored_utc

POLL_S = 1.0
MAX_FILE_BYTES = 20 * 1024 * 1024


class Refused(ValueError):
    """A catalog with errors is never published: the running version keeps serving."""

    def __init__(self, problems: list[CatalogProblem]):
        super().__init__(f"{len(problems)} error(s): nothing was published")
        self.problems = problems


@dataclass(frozen=True)
class Publication:
    id: int
    sha256: str
    versions: dict[str, str]
    published_at: datetime
    actor: str
    files: int


def publish(
    ctx, folder: Path | None = None, *, actor: str, now: datetime | None = None
) -> Publication:
    """Publish `folder` (default: the configured catalog folder) when it loads without an
    error; publishing the same files again makes no new publication."""
    folder = Path(folder or ctx.settings.catalog_dir)
    catalog = load_catalog(folder)
    errors = [p for p in catalog.problems if p.severity == "error"]
    if not catalog.products and not errors:
        errors = [CatalogProblem(Source(str(folder), 1, 1), "no product in this folder")]
    if errors:
        raise Refused(errors)
    manifest = {}
    bodies = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if (
            any(part.startswith(".") for part in relative.parts)
            or path.stat().st_size > MAX_FILE_BYTES
        ):
            continue
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()
        manifest[relative.as_posix()] = digest
        bodies[digest] = body
    sha = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
    versions = {p.id: p.version for p in catalog.products}
    now = now or datetime.now(UTC)
    with ctx.database.session() as session:
        newest = session.scalars(
            select(CatalogPublication).order_by(CatalogPublication.id.desc()).limit(1)
        ).first()
        if newest is not None and newest.sha256 == sha:
            return _publication(newest)
        known = set(
            session.scalars(select(CatalogBlob.sha256).where(CatalogBlob.sha256.in_(bodies)))
        )
        for digest, body in bodies.items():
            if digest not in known:
                session.add(CatalogBlob(sha256=digest, body=body))
        row = CatalogPublication(
            sha256=sha, manifest=manifest, versions=versions, published_at=now, actor=actor
        )
        session.add(row)
        session.flush()
        for product in catalog.products:  # with labels and prices, for later versions' notes
            evolution.record_version(session, product)
        audit.record(
            session,
            actor=actor,
            action="catalog.published",
            detail={"count": len(versions)},
            now=now,
        )
        return _publication(row)


def newest(ctx) -> Publication | None:
    with ctx.database.session() as session:
        row = session.scalars(
            select(CatalogPublication).order_by(CatalogPublication.id.desc()).limit(1)
        ).first()
        return _publication(row) if row is not None else None


def history(ctx, limit: int = 20) -> list[Publication]:
    with ctx.database.session() as session:
        rows = session.scalars(
            select(CatalogPublication).order_by(CatalogPublication.id.desc()).limit(limit)
        ).all()
        return [_publication(r) for r in rows]


def materialise(ctx, publication_id: int) -> Path:
    """The publication's files under `<instance>/published/<sha256>/`, written once."""
    with ctx.database.session() as session:
        row = session.get(CatalogPublication, publication_id)
        target = ctx.settings.instance_dir / "published" / row.sha256
        if target.is_dir():
            return target
        manifest = dict(row.manifest)
        bodies = dict(
            session.execute(
                select(CatalogBlob.sha256, CatalogBlob.body).where(
                    CatalogBlob.sha256.in_(set(manifest.values()))
                )
            ).all()
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".part-"))
    try:
        for relative, digest in manifest.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(bodies[digest]))
        os.replace(staging, target)  # another worker may have won: then ours is removed
    except OSError:
        if not target.is_dir():
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


class Live:
    """One app's view of the newest publication: `now()` is the Context a request runs on."""

    def __init__(self, base, poll_s: float = POLL_S):
        self.base = base
        self.poll_s = poll_s
        self.current = base
        self.publication_id: int | None = None
        self.checked = float("-inf")
        self._lock = threading.Lock()

    def now(self):
        if time.monotonic() - self.checked < self.poll_s:
            return self.current
        with self._lock:
            if time.monotonic() - self.checked >= self.poll_s:
                self._follow()
                self.checked = time.monotonic()
        return self.current

    def _follow(self) -> None:
        try:
            with self.base.database.session() as session:
                latest = session.scalar(select(func.max(CatalogPublication.id)))
        except DBAPIError:  # the database is away or not migrated: keep serving, ask again
            return
        if latest is None or latest == self.publication_id:
            return
        folder = materialise(self.base, latest)
        from configurator.bootstrap import circuits_of

        catalogs = Catalogs(folder, **circuits_of(self.base.settings))
        self.current = dataclasses.replace(self.base, catalogs=catalogs, memos=Memos())
        self.publication_id = latest


def _publication(row: CatalogPublication) -> Publication:
    return Publication(
        row.id,
        row.sha256,
        dict(row.versions),
        stored_utc(row.published_at),
        row.actor,
        len(row.manifest),
    )
