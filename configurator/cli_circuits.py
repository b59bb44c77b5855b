"""`configurator catalog compile`: compile each product's circuit now, with minutes of budget,
so workers load it instead of compiling (services/circuits.py does the work)."""

from __future__ import annotations

import click

from configurator.services import circuits


@click.command("compile")
@click.option(
    "--budget",
    type=float,
    default=circuits.BUDGET_S,
    show_default=True,
    help="Seconds d4 may spend on one product before it is given up.",
)
@click.option("--again", is_flag=True, help="Compile even the products that already have one.")
def compile_(budget: float, again: bool) -> None:
    """Compile and store the d-DNNF circuit of every product in the catalog folder
    (under <instance>/circuits). A product d4 cannot compile within the budget is
    reported and keeps being answered by SAT search (the exit status is 0)."""
    from configurator.bootstrap import bootstrap

    context = bootstrap()
    shown: dict[str, int] = {}

    def progress(product, seconds: float, phase: str) -> None:
        whole = int(seconds)
        if phase == "compiling" and shown.get(product.id, -1) >= whole - 9:
            return  # a line every ten seconds is enough
        shown[product.id] = whole
        click.echo(f"{product.id}: {phase} ({seconds:.0f} s)", err=True)

    try:
        done = circuits.compile_all(context, budget_s=budget, progress=progress, again=again)
    finally:
        context.close()
    for product_id, stored in done.items():
        if stored is not None:
            click.echo(
                f"{product_id}: {stored.edges} edges, {stored.file_bytes / 1e6:.1f} MB, "
                f"compiled in {stored.compile_s:.1f} s: {stored.path}"
            )
        else:
            click.echo(f"{product_id}: no circuit within {budget:g} s (SAT answers)")
