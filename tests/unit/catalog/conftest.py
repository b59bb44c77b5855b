"""Catalog fixtures: a factory that writes product files into a fresh folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from .samples import BASE, write_product


@pytest.fixture
def write(tmp_path):
    """write(text, files) -> path of a product file in a fresh folder."""

    def _write(text: str = BASE, files=None, name: str = "thing.yaml") -> Path:
        return write_product(tmp_path, text, files, name)

    return _write
