"""`configurator orders export`: a batch of new orders in one status, written as files for the
workshop or accounting (services/exports.py makes and keeps the batch)."""

from __future__ import annotations

from pathlib import Path

import click

FORMATS = {"csv": ("orders.csv", "bom.csv"), "json": ("orders.json",)}


@click.group()
def orders() -> None:
    """Orders: exports for the workshop and accounting."""


@orders.command("export")
@click.option(
    "--status",
    required=True,
    help="The order status to export: awaiting_payment, paid, in_production, shipped, cancelled.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(sorted(FORMATS)),
    default="csv",
    show_default=True,
    help="csv: <ref>-orders.csv and <ref>-bom.csv; json: <ref>-orders.json.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Folder to write the files into (made if needed); default: the current folder.",
)
def export(status: str, file_format: str, out: Path) -> None:
    """Export every order in STATUS not exported in that status before, as one batch; print the
    paths of the files written. Nothing new: say so and exit 0."""
    from configurator.bootstrap import bootstrap
    from configurator.services import exports
    from configurator.services.orders import STATUSES

    if status not in STATUSES:
        raise click.BadParameter(
            f"{status!r} is not an order status; use one of: {', '.join(STATUSES)}.",
            param_hint="'--status'",
        )
    context = bootstrap(load_catalog=False)  # snapshots hold everything an export needs
    try:
        batch = exports.create_batch(context, status=status, actor="cli")
        if batch is None:
            click.echo(f"No new orders in status {status}.")
            return
        out.mkdir(parents=True, exist_ok=True)
        for name in FORMATS[file_format]:
            path = out / f"{batch.ref}-{name}"
            path.write_bytes(exports.batch_file(context, batch.ref, name))
            click.echo(str(path))
    finally:
        context.close()
