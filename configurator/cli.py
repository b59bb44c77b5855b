"""Command line: `configurator catalog check [PATH...]` reports every catalog problem as file:line:column.

Building the report (`check_report`) is kept apart from printing it; the engine's analysis
(`analyse`) and the artwork checks (`artwork`, which need Pillow) are plugged in as hooks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from configurator.catalog import load_catalog, read_preferences, read_product
from configurator.catalog.loader import preferences_file
from configurator.catalog.model import CatalogProblem, Product, Question
from configurator.catalog.preferences import is_preferences_file

# analyse(product) -> extra problems for a product that loaded (e.g. dead options, conflicts)
Analyse = Callable[[Product], Iterable[CatalogProblem]]
# artwork(products, folder) -> problems of the products' images; `folder` (a catalog folder
# without errors, else None) is also searched for image files no product names
Artwork = Callable[[Sequence[Product], Path | None], Iterable[CatalogProblem]]

EXIT_CODES = (
    "Exit status: 0 when there is no error (warnings allowed, unless --strict); "
    "1 when there is an error, or with --strict a warning; 2 when the command line is wrong."
)


@dataclass(frozen=True)
class PreferencesReport:
    """One preferences file checked: its questions, none when it had an error (then it is left out)."""

    file: str
    questions: tuple[Question, ...]
    loaded: bool


@dataclass(frozen=True)
class CheckReport:
    """What `catalog check` found: the products that loaded, every problem, the analyses run and
    the preferences files checked."""

    products: tuple[Product, ...]
    problems: tuple[CatalogProblem, ...]
    analyses: tuple[dict, ...] = ()
    preferences: tuple[PreferencesReport, ...] = ()
    strict: bool = False  # warnings fail the check too

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def ok(self) -> bool:
        """Whether the check passes: no error, and with `strict` no warning either."""
        return self.errors == 0 and not (self.strict and self.warnings)


def check_report(
    paths: Iterable[str | Path],
    analyse: Analyse | None = None,
    *,
    artwork: Artwork | None = None,
    strict: bool = False,
) -> CheckReport:
    """Load every path (a product file, a preferences file or a catalog folder, which includes its
    preferences file); `artwork` adds image findings per path, `analyse` findings per product."""
    products: list[Product] = []
    problems: list[CatalogProblem] = []
    preferences: list[PreferencesReport] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            catalog = load_catalog(path)
            products += catalog.products
            problems += catalog.problems
            chosen = preferences_file(path)
            if chosen is not None:
                found = [p for p in catalog.problems if p.source.file == str(chosen)]
                preferences.append(_preferences(chosen, catalog.questions, found))
            if artwork is not None:
                clean = not any(p.severity == "error" for p in catalog.problems)
                problems += artwork(catalog.products, path if clean else None)
        elif is_preferences_file(path):
            questions, found = read_preferences(path)
            problems += found
            preferences.append(_preferences(path, questions, found))
        else:
            product, found = read_product(path)
            problems += found
            if product is not None:
                products.append(product)
                if artwork is not None:
                    problems += artwork((product,), None)
    analyses: list[dict] = []
    if analyse is not None:
        for product in products:
            found = analyse(product)
            if isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], dict):
                found, summary = found
                analyses.append(summary)
            problems += found
    return CheckReport(
        tuple(products), tuple(problems), tuple(analyses), tuple(preferences), strict
    )


def _preferences(path: Path, questions, problems) -> PreferencesReport:
    loaded = not any(p.severity == "error" for p in problems)
    return PreferencesReport(str(path), tuple(questions), loaded)


def product_counts(product: Product) -> dict:
    """The numbers in a product's one-line summary."""
    return {
        "attributes": len(product.attributes),
        "options": sum(len(a.options) for a in product.attributes),
        "rules": len(product.rules),
        "steps": len(product.steps),
    }


def format_text(report: CheckReport) -> str:
    """Problems as file:line:column: message (warnings marked), a line per product, then totals."""
    lines = []
    for problem in report.problems:
        marker = "warning: " if problem.severity == "warning" else ""
        lines.append(f"{problem.source}: {marker}{problem.message}")
    summaries = {a["product"]: a for a in report.analyses}
    for product in report.products:
        counts = product_counts(product)
        line = (
            f"{product.id}: {_count(counts['attributes'], 'attribute')}, "
            f"{_count(counts['options'], 'option')}, {_count(counts['rules'], 'rule')}"
        )
        summary = summaries.get(product.id)
        if summary is not None:
            line += "; " + _analysis_line(summary)
        lines.append(line)
    for preferences in report.preferences:
        where = f" ({preferences.file})" if len(report.preferences) > 1 else ""
        if preferences.loaded:
            lines.append(f"preferences{where}: {_count(len(preferences.questions), 'question')}")
        else:
            lines.append(f"preferences{where}: left out (see the errors above)")
    lines.append(
        f"{_count(len(report.products), 'product')} loaded, "
        f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}"
        + _strict_note(report)
    )
    return "\n".join(lines)


def _strict_note(report: CheckReport) -> str:
    """What the warnings mean for the exit status: they fail --strict, and only --strict."""
    if not report.warnings:
        return ""
    them = "it" if report.warnings == 1 else "them"
    if report.strict:
        return f" (--strict: the check fails on {them})"
    return f" ({report.warnings} would fail --strict)"


def format_json(report: CheckReport) -> str:
    """The report as one JSON object, for editors and CI."""
    return json.dumps(
        {
            "ok": report.ok,
            "strict": report.strict,
            "passes_strict": report.errors == 0 and report.warnings == 0,
            "errors": report.errors,
            "warnings": report.warnings,
            "products": [
                {
                    "id": p.id,
                    "name": p.name,
                    "file": p.source.file,
                    "version": p.version,
                    **product_counts(p),
                }
                for p in report.products
            ],
            "analyses": list(report.analyses),
            "preferences": [
                {
                    "file": p.file,
                    "loaded": p.loaded,
                    "questions": [
                        {
                            "key": q.key,
                            "kind": q.kind,
                            "answers": len(q.answers),
                            "preselects": len(q.preselects),
                            "wishes": len(q.wishes),
                        }
                        for q in p.questions
                    ],
                }
                for p in report.preferences
            ],
            "problems": [
                {
                    "file": p.source.file,
                    "line": p.source.line,
                    "column": p.source.column,
                    "message": p.message,
                    "severity": p.severity,
                }
                for p in report.problems
            ],
        },
        indent=2,
    )


def _analysis_line(summary: dict) -> str:
    if not summary["satisfiable"]:
        return "no valid design"
    designs = summary["designs"]
    if designs is None:
        counted = "designs not counted"
    elif summary["designs_exact"]:
        counted = f"{designs} valid designs"
    else:
        counted = f"at most {designs} valid designs ({summary['designs_note']})"
    redundant = (
        _count(len(summary["redundant_rules"]), "redundant rule")
        if summary["redundancy_checked"]
        else "redundant rules not checked (time budget)"
    )
    return (
        f"{counted}, {_count(summary['dead_options'], 'dead option')}, "
        f"{_count(len(summary['core_options']), 'option')} in every design, {redundant}"
    )


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


@click.group()
def cli() -> None:
    """Product configurator tools."""


@cli.group()
def catalog() -> None:
    """Work with catalog files (one YAML file per product)."""


@catalog.command("check", epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@click.option(
    "--analyse/--no-analyse",
    default=True,
    help="Run the constraint engine's analysis (the default): conflicts, dead options, "
    "redundant rules, design count.",
)
@click.option(
    "--artwork/--no-artwork",
    default=True,
    help="Open every image (format, mode, size against the 1600 x 1600 canvas, empty, "
    "corrupt, fully transparent), draw every option in every view it declares, and list "
    "unused image files (the default).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on warnings too (dead options, redundant rules, unused or suspicious artwork, "
    "any other warning): for CI.",
)
def check(paths: tuple[Path, ...], as_json: bool, analyse: bool, artwork: bool, strict: bool):
    """Check product files, preferences files or catalog folders (default: the configured
    catalog folder, CONFIGURATOR_CATALOG_DIR or the repository's catalog/, wherever the
    command is run)."""
    hook = _engine_analysis(quiet=as_json) if analyse else None
    report = check_report(
        paths or (configured_catalog_dir(),),
        analyse=hook,
        artwork=_artwork_checks() if artwork else None,
        strict=strict,
    )
    click.echo(format_json(report) if as_json else format_text(report))
    raise SystemExit(0 if report.ok else 1)


def configured_catalog_dir() -> Path:
    """The catalog folder the app serves: CONFIGURATOR_CATALOG_DIR (relative to the current
    folder), else the repository's catalog/, as in `configurator.config.Settings`. Read here
    without Settings, which would create the instance folder and its secret key."""
    from configurator.config import ENV_PREFIX, ROOT

    written = os.environ.get(ENV_PREFIX + "CATALOG_DIR")
    return Path(written).resolve() if written else ROOT / "catalog"


def _engine_analysis(quiet: bool) -> Analyse:
    from configurator.services import analysis

    def run(product: Product):
        result = analysis.analyse_product(product, quiet=quiet)
        return analysis.findings(product, result), analysis.summary(product, result)

    return run


def _artwork_checks() -> Artwork:
    from configurator.render import verify

    def run(products: Sequence[Product], folder: Path | None) -> list[CatalogProblem]:
        found = [problem for product in products for problem in verify.verify_product(product)]
        if folder is not None:
            found += verify.unused_artwork(folder, products)
        return found

    return run


@catalog.command(
    "load",
    epilog="Exit status: 0 when the catalog has no error (warnings are printed); 1 when it "
    "has an error (the products without errors are still recorded).",
)
def load() -> None:
    """Load catalog/ (or CONFIGURATOR_CATALOG_DIR) and record each product version in the database."""
    from configurator.bootstrap import bootstrap

    context = bootstrap()
    try:
        catalog = context.catalogs.catalog
        for problem in catalog.problems:
            marker = "warning: " if problem.severity == "warning" else ""
            click.echo(f"{problem.source}: {marker}{problem.message}", err=True)
        new = context.database.record_versions(catalog.products)
    finally:
        context.close()
    errors = sum(p.severity == "error" for p in catalog.problems)
    click.echo(
        f"{_count(len(catalog.products), 'product')} loaded from {context.settings.catalog_dir} "
        f"({_count(new, 'new version')})"
        + (f"; {_count(errors, 'error')}, see above" if errors else "")
    )
    raise SystemExit(1 if errors else 0)


@cli.group()
def db() -> None:
    """The database (CONFIGURATOR_DATABASE_URL, default instance/configurator.sqlite3)."""


@db.command("upgrade")
def upgrade() -> None:
    """Create the database if needed and apply every migration."""
    from configurator.bootstrap import bootstrap

    context = bootstrap(load_catalog=False)  # migrations never read the catalog
    try:
        context.database.upgrade()
    finally:
        context.close()
    click.echo(f"database is up to date: {_safe_url(context.settings.database_url)}")


def _safe_url(url: str) -> str:
    """The URL without a password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@cli.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds to wait when nothing was due.",
)
def worker(once: bool, interval: float) -> None:
    """Deliver queued e-mail (the outbox) over SMTP (CONFIGURATOR_SMTP_URL), or to instance/outbox/ when none is set."""
    import signal
    import threading

    from configurator.bootstrap import bootstrap
    from configurator.services.outbox import run_worker

    context = bootstrap(load_catalog=False)  # mail never reads the catalog
    stop = threading.Event()
    if not once:  # on `kill` / `docker stop`: finish the batch in hand, then exit
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        delivery = run_worker(context, once=once, interval=interval, stop=stop)
    finally:
        context.close()
    dropped = f", {delivery.dropped} given up" if delivery.dropped else ""
    click.echo(f"{delivery.sent} sent, {delivery.failed} failed{dropped}")


@cli.group()
def privacy() -> None:
    """Shoppers' data: retention."""


@privacy.command("purge")
@click.option(
    "--now",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"]),
    default=None,
    help="Purge as of this time (UTC when no offset is given); default: now. For tests.",
)
def purge(now) -> None:
    """Delete saved designs not opened, and preferences not given again, within the retention
    period (CONFIGURATOR_RETENTION_DAYS, default 365), then keyrings left empty. Run it daily
    from cron."""
    from datetime import UTC

    from configurator.bootstrap import bootstrap
    from configurator.services import saving

    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    from configurator.services import exports, orders

    context = bootstrap(load_catalog=False)  # retention never reads the catalog
    try:
        designs, keyrings = saving.purge(context, now=now)
        pseudonymised = orders.pseudonymise_old(context, now=now)
        expired = exports.expire_files(context, now=now)
    finally:
        context.close()
    click.echo(
        f"{_count(designs, 'saved design or preference', 'saved designs or preferences')} and "
        f"{_count(keyrings, 'empty keyring')} deleted "
        f"(not opened for {context.settings.retention_days} days); "
        f"{_count(pseudonymised, 'order')} past {context.settings.order_retention_days} days "
        "without personal details; "
        f"{_count(expired, 'export batch', 'export batches')} past "
        f"{context.settings.export_retention_days} days without their files"
    )


from configurator.cli_circuits import compile_  # noqa: E402  (the groups are defined beside)
from configurator.cli_orders import orders  # noqa: E402
from configurator.cli_plan import plan  # noqa: E402
from configurator.cli_publish import publish  # noqa: E402
from configurator.cli_staff import staff  # noqa: E402

cli.add_command(orders)
cli.add_command(staff)
catalog.add_command(compile_)
catalog.add_command(plan)
catalog.add_command(publish)


def main() -> None:
    """Console script entry point (`configurator`)."""
    cli(prog_name="configurator")
