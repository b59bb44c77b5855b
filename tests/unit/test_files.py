"""Content-addressed files: named by their SHA-256, written once and atomically, checked on read."""

from __future__ import annotations

import hashlib

import pytest

from configurator.services.files import LocalFiles


def test_put_names_by_content_and_get_returns_the_same_bytes(tmp_path):
    files = LocalFiles(tmp_path)
    body = b"\x89PNG picture bytes"
    name = files.put(body, ".webp")
    assert name == hashlib.sha256(body).hexdigest() + ".webp"
    assert files.get(name) == body and files.exists(name)
    assert files.put(body, ".webp") == name  # the same content: the same file, once
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [name]


def test_a_damaged_file_is_never_served(tmp_path):
    files = LocalFiles(tmp_path)
    name = files.put(b"original", ".png")
    path = next(p for p in tmp_path.rglob(name))
    path.write_bytes(b"tampered")
    with pytest.raises(OSError, match="does not match"):
        files.get(name)


@pytest.mark.parametrize(
    "name", ["../etc/passwd", "a" * 64 + ".png", "0" * 63 + ".png", "0" * 64 + "./x", "0" * 64]
)
def test_unknown_and_malformed_names_are_not_found(tmp_path, name):
    files = LocalFiles(tmp_path)
    assert not files.exists(name)
    with pytest.raises(FileNotFoundError):
        files.get(name)


def test_a_bad_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError):
        LocalFiles(tmp_path).put(b"x", "/../x")
