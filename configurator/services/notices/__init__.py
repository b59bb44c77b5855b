"""The notices shoppers agree to, as text files: each consent event stores the version and the SHA-256 of the exact text shown."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

# purpose -> (version, file); a wording change is a new version (and a new file)
NOTICES = {
    "keep-designs": ("1", "keep-designs.txt"),
    "email-keyring-link": ("1", "email-keyring-link.txt"),
}


@dataclass(frozen=True)
class Notice:
    purpose: str
    version: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.text.split("\n\n")[1:] if p.strip())


def notice(purpose: str, *, retention_days: int) -> Notice:
    """The current notice for a purpose, as the shopper sees it (the retention filled in)."""
    version, name = NOTICES[purpose]
    months = max(1, round(retention_days / 30.4375))
    text = (HERE / name).read_text(encoding="utf-8").replace("{months}", str(months))
    text = text.strip() + "\n"
    return Notice(purpose, version, text)
