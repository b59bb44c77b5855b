"""`configurator catalog publish`: check the catalog, record it in the database, and every
running app switches to it between requests (services/publishing.py)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("publish")
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--compile/--no-compile",
    "compile_",
    default=True,
    show_default=True,
    help="Compile each product's circuit now and store it for the workers (see catalog compile).",
)
@click.option(
    "--budget",
    default=600.0,
    show_default=True,
    type=click.FloatRange(min=1),
    help="Seconds each product's compile may take.",
)
def publish(folder: Path | None, compile_: bool, budget: float) -> None:
    """Publish FOLDER (default: the configured catalog folder): refused, and nothing changes,
    when it has errors; exit 1 then. Then compile and store each product's circuit, so
    workers load it instead of compiling (progress on stderr)."""
    from configurator.bootstrap import bootstrap
    from configurator.services import publishing

    context = bootstrap(load_catalog=False)
    try:
        context.database.upgrade()
        try:
            made = publishing.publish(context, folder, actor="cli")
        except publishing.Refused as refused:
            for problem in refused.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{refused} The running version keeps serving.", err=True)
            raise SystemExit(1) from None
        versions = ", ".join(f"{p} {v}" for p, v in sorted(made.versions.items()))
        click.echo(
            f"Published #{made.id} ({made.files} files): {versions}. "
            "Every running app switches to it within a second."
        )
        if compile_:
            _compile(context, publishing.materialise(context, made.id), budget)
    finally:
        context.close()


def _compile(context, folder: Path, budget: float) -> None:
    """Each product's circuit, stored for the workers; a product that does not compile in
    time is answered by SAT search as before."""
    from configurator.catalog import load_catalog
    from configurator.services import circuits

    def progress(product, seconds: float, phase: str) -> None:
        if phase in ("kept", "stored", "gave up") or int(seconds) % 10 == 0:
            click.echo(f"  {product.id}: {phase} ({seconds:.0f} s)", err=True)

    products = load_catalog(folder).products
    done = circuits.compile_all(context, budget_s=budget, progress=progress, products=products)
    for product_id, stored in sorted(done.items()):
        if stored is None:
            click.echo(f"{product_id}: no circuit within {budget:.0f} s; workers search instead")
        else:
            size = stored.file_bytes / 1024 / 1024
            click.echo(f"{product_id}: circuit stored ({stored.edges} edges, {size:.1f} MB)")
