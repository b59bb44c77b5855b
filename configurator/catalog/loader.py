"""Reading catalog files from disk: one product per YAML file, a folder of them, and their versions."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

from . import checks
from .checks import FileContext
from .model import Catalog, CatalogProblem, Product, Source
from .problems import Problems
from .rules import check_rules
from .structure import load_structure
from .yamlnodes import Document, YamlMap, gc_paused, parse

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 32 * 1024 * 1024  # room for real 20 MB catalogs; checked before reading
TOP_LEVEL = "the top level must be a mapping with the keys product, steps, attributes and rules"


class CatalogError(Exception):
    """A catalog file could not be loaded; `.problems` holds everything found, errors and warnings."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        lines = "\n".join(str(p) for p in errors)
        super().__init__(f"{len(errors)} error(s) in the catalog:\n{lines}")


def load_product(path) -> Product:
    """Load one product file; raise CatalogError listing every problem if it has any error."""
    product, problems = read_product(path)
    if product is None:
        raise CatalogError(problems)
    return product


def load_catalog(folder) -> Catalog:
    """Load every *.yaml/*.yml directly in `folder` (not hidden ones, such as editors' lock files).

    Broken products are left out and their problems collected; nothing is raised.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return Catalog(
            problems=(CatalogProblem(Source(str(folder), 1, 1), "catalog folder not found"),)
        )
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix in YAML_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )
    products: dict[str, Product] = {}
    problems: list[CatalogProblem] = []
    for path in files:
        product, found = read_product(path)
        problems.extend(found)
        if product is None:
            continue
        first = products.get(product.id)
        if first is not None:
            problems.append(
                CatalogProblem(
                    product.source,
                    f"duplicate product id '{product.id}' (also in {first.source.file}); this file is left out",
                )
            )
            continue
        products[product.id] = product
    return Catalog(tuple(products.values()), tuple(problems))


def read_product(path) -> tuple[Product | None, tuple[CatalogProblem, ...]]:
    """Load one product file: the Product (None on any error) and every problem, errors and warnings."""
    path = Path(path)
    problems = Problems()
    with gc_paused():
        product = _read(path, problems)
    ordered = sorted(problems.items, key=lambda p: (p.source.file, p.source.line, p.source.column))
    return product, tuple(ordered)


def _read(path: Path, problems: Problems) -> Product | None:
    file = str(path)
    content = read_limited(path, file, problems)
    if content is None:
        return None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        problems.error(
            Source(file, line, 1), f"not UTF-8 text ({error.reason} at byte {error.start})"
        )
        return None
    document = parse(text, file)
    problems.extend(document.problems)
    if not isinstance(document.root, YamlMap):
        if not document.problems:
            empty = document.root is None
            problems.error(
                Source(file, 1, 1), "the file is empty; " + TOP_LEVEL if empty else TOP_LEVEL
            )
        return None
    return _check(document, path, content, problems)


def _check(document: Document, path: Path, content: bytes, problems: Problems) -> Product | None:
    draft, found = load_structure(document.root)
    problems.extend(found)
    known = checks.raw_attribute_ids(document)
    context = FileContext(document, folder=path.parent.absolute(), problems=problems, known=known)
    checks.check_duplicate_ids(document, problems)
    attributes = checks.check_attributes(draft, context)
    known |= set(attributes)
    steps = checks.check_steps(draft, attributes, known, context)
    digests: dict[str, str] = {}

    def read_rows_file(relative: str, source: Source) -> bytes | None:
        if not context.check_file(relative, source, "rows file"):
            return None
        data = read_limited(context.folder / relative, context.file_label(relative), problems)
        if data is not None:
            digests[relative] = hashlib.sha256(data).hexdigest()
        return data

    rules = check_rules(draft.rules, attributes, known, context, read_rows_file)
    product = checks.build_product(draft, attributes, steps, rules, context)
    if product is None:
        return None
    return replace(product, version=version(content, context, digests))


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


def version(content: bytes, context: FileContext, digests: dict[str, str]) -> str:
    """sha256 of the YAML and every file it uses (path and content), first 16 hex digits."""
    whole = hashlib.sha256(content)
    for relative in sorted(context.used_files):
        digest = digests.get(relative)
        if digest is None:
            try:
                with open(os.path.join(context.folder, relative), "rb") as file:
                    digest = hashlib.sha256(file.read()).hexdigest()
            except OSError as error:
                digest = f"unreadable: {error}"
        whole.update(b"\0" + relative.encode() + b"\0" + digest.encode())
    return whole.hexdigest()[:16]
