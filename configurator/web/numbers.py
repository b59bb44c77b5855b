"""Numbers from request input: ASCII digits only, because int() also reads '٣' and '３' (and
raises on '²', which isdigit() lets through)."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def ascii_int(text: str, most_digits: int) -> int | None:
    """`text` as an int when it is 1 to `most_digits` ASCII digits, else None (the view's 400)."""
    if len(text) > most_digits or not _DIGITS.fullmatch(text):
        return None
    return int(text)
