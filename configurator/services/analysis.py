"""Catalog analysis as lines a merchandiser can act on, each citing the rule's file:line."""

from __future__ import annotations

import sys

from configurator.catalog.model import CatalogProblem, Product, Source
from configurator.engine import Engine
from configurator.engine.analysis import Analysis, analyse
from configurator.services.wording import label_of


def analyse_product(product: Product, *, quiet: bool = False, count: bool = True) -> Analysis:
    """Compile and analyse one product, showing progress on stderr for long runs."""
    engine = Engine(product)
    shown = []

    def progress(stage: str, done: int, total: int) -> None:
        if quiet or total < 50 or done % max(1, total // 20):
            return
        shown.append(stage)
        print(f"\r{product.id}: {stage} {done}/{total}", end="", file=sys.stderr, flush=True)

    result = analyse(engine, count=count, progress=progress)
    if shown:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    return result


def findings(product: Product, result: Analysis) -> list[CatalogProblem]:
    """Each finding as a catalog problem citing file:line:col (errors fail `catalog check`)."""
    out: list[CatalogProblem] = []
    if not result.satisfiable:
        cited = ", ".join(f"{r.id} ({r.source})" for r in result.conflict)
        first = result.conflict[0].source if result.conflict else product.source
        out.append(
            _finding(
                "error", first, f"no design of {product.id} satisfies these rules together: {cited}"
            )
        )
        return out
    for dead in result.dead:
        attr = product.attribute(dead.attribute)
        where = _option_source(product, dead.attribute, dead.value) or (
            attr.source if attr else product.source
        )
        because = (
            ", ".join(f"{r.id} ({r.source})" for r in dead.rules) or "the attribute's own structure"
        )
        note = "" if dead.minimal else " (not minimised: time budget)"
        out.append(
            _finding(
                "warning",
                where,
                f"dead option: {label_of(product, dead.attribute, dead.value)} is never selectable, because of {because}{note}",
            )
        )
    for rule in result.redundant:
        out.append(
            _finding(
                "warning",
                rule.source,
                f"rule {rule.id} never restricts anything: the other rules already imply it",
            )
        )
    return out


def summary(product: Product, result: Analysis) -> dict:
    core = [label_of(product, a, v) for a, v in result.core]
    return {
        "product": product.id,
        "satisfiable": result.satisfiable,
        "dead_options": len(result.dead),
        "core_options": core,
        "redundant_rules": [r.id for r in result.redundant],
        "redundancy_checked": result.redundancy_checked,
        "designs": None if result.count is None else str(result.count),
        "designs_exact": result.count_exact,
        "designs_note": result.count_note,
    }


def _finding(severity: str, source: Source, message: str) -> CatalogProblem:
    return CatalogProblem(source, message, severity)


def _option_source(product: Product, attribute_id: str, value: str):
    attr = product.attribute(attribute_id)
    option = attr.option(value) if attr else None
    return option.source if option else None
