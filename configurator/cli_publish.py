"""`configurator catalog publish`: check the catalog, record it in the database, and every
running app switches to it between requests (services/publishing.py)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("publish")
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
def publish(folder: Path | None) -> None:
    """Publish FOLDER (default: the configured catalog folder): refused, and nothing changes,
    when it has errors; exit 1 then."""
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
    finally:
        context.close()
    versions = ", ".join(f"{p} {v}" for p, v in sorted(made.versions.items()))
    click.echo(
        f"Published #{made.id} ({made.files} files): {versions}. "
        "Every running app switches to it within a second."
    )
