"""What merchandisers see before they publish: the candidate catalog (the configured catalog
folder, as it is on disk now) beside the published one, its problems and the engine's
findings with file:line, and every option of every product drawn in every view.

The candidate runs on a Context of its own (its own catalogs and memos, the app's database
and render cache), made once per content of the folder, so staff can try it as shoppers
will see it; shoppers never see it, nor any catalog problem.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

from configurator.catalog.model import NONE, CatalogProblem

from . import analysis, plan, publishing
from .catalogs import Catalogs
from .memo import Memos
from .plan_text import format_text as plan_text_of


@dataclass(frozen=True)
class ProductCheck:
    id: str
    name: str
    version: str  # the candidate's
    published: str | None  # the live version, None when not published
    problems: tuple[str, ...]  # "file:line:col: message", errors then warnings
    errors: int


@dataclass(frozen=True)
class Overview:
    folder: Path
    products: tuple[ProductCheck, ...]
    other_problems: tuple[str, ...]  # broken files that are no product (preferences, syntax)
    errors: int
    publication: publishing.Publication | None


@dataclass(frozen=True)
class Tile:
    attribute: str
    label: str
    option: str
    option_label: str
    query: dict[str, str]


def folder_digest(folder: Path) -> str:
    """A digest of the folder's names and contents: a new one means the candidate changed."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative.startswith(".") or "/." in relative:
            continue
        stat = path.stat()
        digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def candidate(app_ctx, cache: dict) -> object:
    """The Context of the catalog folder as it is now (made again only when it changed)."""
    folder = Path(app_ctx.settings.catalog_dir)
    key = folder_digest(folder)
    made = cache.get("candidate")
    if made is None or made[0] != key:
        ctx = dataclasses.replace(app_ctx, catalogs=Catalogs(folder), memos=Memos())
        made = (key, ctx)
        cache["candidate"] = made
    return made[1]


def overview(staging, live) -> Overview:
    """Each candidate product with its problems and findings; the live versions beside."""
    catalog = staging.catalogs.catalog
    folder = Path(staging.catalogs.folder)
    live_versions = {p.id: p.version for p in live.catalogs.products}
    products = []
    placed: set[int] = set()
    for product in catalog.products:
        own = [(i, p) for i, p in enumerate(catalog.problems) if _same_file(p, product.source.file)]
        placed.update(i for i, _ in own)
        found = list(p for _, p in own) + _findings(staging, product)
        found.sort(key=lambda p: (p.severity != "error", p.source.line, p.source.column))
        products.append(
            ProductCheck(
                product.id,
                product.name,
                product.version,
                live_versions.get(product.id),
                tuple(_text(p, folder) for p in found),
                sum(p.severity == "error" for p in found),
            )
        )
    others = [p for i, p in enumerate(catalog.problems) if i not in placed]
    errors = sum(p.errors for p in products) + sum(p.severity == "error" for p in others)
    return Overview(
        folder,
        tuple(products),
        tuple(_text(p, folder) for p in others),
        errors,
        publishing.newest(live),
    )


def contact_sheet(ctx, product_id: str) -> tuple[tuple[str, tuple[Tile, ...]], ...]:
    """Per attribute in catalog order, one tile per option (a sample text for a text
    attribute): the design with just that choice, the rest as the shop would suggest it."""
    product = ctx.catalogs.product(product_id)
    groups = []
    for attribute in product.attributes:
        if attribute.kind == "text":
            sample = "ABC"
            tiles = [
                Tile(attribute.id, attribute.label, sample, f"“{sample}”", {attribute.id: sample})
            ]
        else:
            tiles = [
                Tile(attribute.id, attribute.label, o.id, o.label, {attribute.id: o.id})
                for o in attribute.options
                if o.id != NONE
            ]
        groups.append((attribute.label, tuple(tiles)))
    return tuple(groups)


def plan_text(staging, live) -> str:
    """What publishing the candidate would change, against what shoppers see, in words
    (services/plan.py, with the impact on saved designs and unshipped orders)."""
    try:
        found = plan.plan(live.catalogs.catalog, staging.catalogs.catalog, ctx=live, count=False)
    except plan.CatalogBroken as broken:
        return f"No plan: the {broken.side} catalog has errors (listed below)."
    return plan_text_of(found, {"old": "what shoppers see", "new": "the candidate"})


def _findings(ctx, product) -> list[CatalogProblem]:
    def run():
        return analysis.findings(product, analysis.analyse_product(product, quiet=True))

    return ctx.memos.get("findings", 64).get_or_compute((product.id, product.version), run)


def _same_file(problem: CatalogProblem, file: str) -> bool:
    """A problem in the product's YAML file, or in a file beside it that it names by its own
    stem (its CSV tables `helmet-*.csv`, its artwork folder `helmet/`)."""
    return Path(problem.source.file).name == Path(file).name or problem.source.file.startswith(
        str(Path(file).with_suffix(""))
    )


def _text(problem: CatalogProblem, folder: Path) -> str:
    source = problem.source
    path = Path(source.file)
    shown = path.relative_to(folder) if path.is_absolute() and path.is_relative_to(folder) else path
    return f"{problem.severity}: {shown}:{source.line}:{source.column}: {problem.message}"
