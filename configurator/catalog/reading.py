"""Reading one catalog file from disk: the size limit, UTF-8, and the YAML tree (products and preferences alike)."""

from __future__ import annotations

from pathlib import Path

from .model import Source
from .problems import Problems
from .yamlnodes import Document, YamlMap, parse

MAX_FILE_BYTES = 32 * 1024 * 1024  # room for real 20 MB catalogs; checked before reading


def read_limited(path: Path, label: str, problems: Problems) -> bytes | None:
    """The file's bytes, or None after reporting it missing or over MAX_FILE_BYTES (checked before reading)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            problems.error(Source(label, 1, 1), "not a file")
            return None
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            problems.error(
                Source(label, 1, 1), f"file is {size / 1024 / 1024:.1f} MB; the limit is {limit} MB"
            )
            return None
        return path.read_bytes()
    except FileNotFoundError:
        problems.error(Source(label, 1, 1), "file not found")
    except OSError as error:
        problems.error(Source(label, 1, 1), f"cannot read the file: {error.strerror or error}")
    return None


def read_yaml(path: Path, problems: Problems, top_level: str) -> tuple[Document | None, bytes]:
    """The parsed file and its bytes; the document is None after reporting why it cannot be used
    (missing, too big, not UTF-8, a YAML error, or a top level that is not a mapping: `top_level`
    says what it must be)."""
    file = str(path)
    content = read_limited(path, file, problems)
    if content is None:
        return None, b""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        problems.error(
            Source(file, line, 1), f"not UTF-8 text ({error.reason} at byte {error.start})"
        )
        return None, content
    document = parse(text, file)
    problems.extend(document.problems)
    if not isinstance(document.root, YamlMap):
        if not document.problems:
            empty = document.root is None
            problems.error(
                Source(file, 1, 1), "the file is empty; " + top_level if empty else top_level
            )
        return None, content
    return document, content
