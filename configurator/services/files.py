"""Content-addressed files: bytes stored under their SHA-256, never changed once written.

Orders keep the pictures the shopper saw this way, so later artwork edits cannot touch
them. One small interface (`put`, `get`, `exists`, `delete`); `LocalFiles` keeps them under the
instance folder, and a deployment can provide another implementation (S3-compatible
object storage) with the same four methods.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

DIGEST = re.compile(r"[0-9a-f]{64}")


class Files(Protocol):
    def put(self, body: bytes, suffix: str) -> str: ...

    def get(self, name: str) -> bytes: ...

    def exists(self, name: str) -> bool: ...

    def delete(self, name: str) -> None: ...


class LocalFiles:
    """Files as `<folder>/<first two hex digits>/<sha256><suffix>`, written atomically."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def put(self, body: bytes, suffix: str) -> str:
        """Store `body`; returns its name (`<sha256><suffix>`). Storing it again is a no-op."""
        if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
            raise ValueError(f"not a file suffix: {suffix!r}")
        name = hashlib.sha256(body).hexdigest() + suffix
        path = self._path(name)
        if path.exists():
            return name
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name

    def get(self, name: str) -> bytes:
        """The stored bytes (FileNotFoundError for an unknown or malformed name); checked
        against their name, so a damaged file is never served as the original."""
        body = self._path(name).read_bytes()
        if hashlib.sha256(body).hexdigest() != name[:64]:
            raise OSError(f"{name} does not match its content")
        return body

    def exists(self, name: str) -> bool:
        try:
            return self._path(name).exists()
        except FileNotFoundError:
            return False

    def delete(self, name: str) -> None:
        """Remove a file (export batches past their retention); an absent file is no error."""
        self._path(name).unlink(missing_ok=True)

    def _path(self, name: str) -> Path:
        digest, _, suffix = name.partition(".")
        if not DIGEST.fullmatch(digest) or not re.fullmatch(r"[a-z0-9]{1,8}", suffix):
            raise FileNotFoundError(name)
        return self.folder / digest[:2] / name
