"""Reading catalog files from disk: one product per YAML file, a folder of them (with its
preferences file), and their versions."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

from . import checks
from .checks import FileContext
from .model import Catalog, CatalogProblem, Product, Question, Source
from .preferences import FILE_NAMES as PREFERENCE_FILES
from .preferences import is_preferences_file, read_questions
from .problems import Problems
from .reading import read_limited, read_yaml
from .rules import check_rules
from .structure import load_structure
from .yamlnodes import Document, gc_paused

YAML_SUFFIXES = (".yaml", ".yml")
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
    """Load every *.yaml/*.yml directly in `folder` (not hidden ones, such as editors' lock files)
    as a product, except preferences.yaml (or .yml): the questions, checked against the products.

    Broken products and a broken preferences file are left out and their problems collected;
    nothing is raised.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return Catalog(
            problems=(CatalogProblem(Source(str(folder), 1, 1), "catalog folder not found"),)
        )
    files = _yaml_files(folder)
    products, problems = _read_products(files)
    questions: tuple[Question, ...] = ()
    chosen = preferences_file(folder)
    if chosen is not None:
        questions, found = read_questions(chosen, products)
        problems.extend(found)
        problems.extend(
            CatalogProblem(
                Source(str(other), 1, 1),
                f"a catalog folder has one preferences file (also {chosen.name}); "
                "this file is left out",
            )
            for other in files
            if is_preferences_file(other) and other != chosen
        )
    return Catalog(tuple(products.values()), tuple(problems), questions)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in YAML_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


def _read_products(files) -> tuple[dict[str, Product], list[CatalogProblem]]:
    """The products of a folder's YAML files by id (the first of duplicate ids), and every problem."""
    products: dict[str, Product] = {}
    problems: list[CatalogProblem] = []
    for path in files:
        if is_preferences_file(path):
            continue
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
    return products, problems


def read_preferences(path) -> tuple[tuple[Question, ...], tuple[CatalogProblem, ...]]:
    """One preferences file checked against the products of its folder (whose own problems are
    not included): the questions (none on any error) and every problem of the file."""
    path = Path(path)
    products: dict[str, Product] = {}
    if path.parent.is_dir():
        products, _ = _read_products(_yaml_files(path.parent))
    return read_questions(path, products)


def preferences_file(folder) -> Path | None:
    """The preferences file a catalog folder uses (preferences.yaml before .yml), or None."""
    for name in PREFERENCE_FILES:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


def read_product(path) -> tuple[Product | None, tuple[CatalogProblem, ...]]:
    """Load one product file: the Product (None on any error) and every problem, errors and warnings."""
    path = Path(path)
    problems = Problems()
    with gc_paused():
        product = _read(path, problems)
    ordered = sorted(problems.items, key=lambda p: (p.source.file, p.source.line, p.source.column))
    return product, tuple(ordered)


def _read(path: Path, problems: Problems) -> Product | None:
    document, content = read_yaml(path, problems, TOP_LEVEL)
    if document is None:
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
