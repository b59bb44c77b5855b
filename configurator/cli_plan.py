"""`configurator catalog plan`: what a catalog change will do, before it goes live (services/plan.py).

    configurator catalog plan OLD_DIR NEW_DIR      two folders
    configurator catalog plan NEW_DIR              the live catalog -> NEW_DIR: the newest
                                                   publication (`catalog publish`), or with none
                                                   (or no database) the configured catalog folder
    configurator catalog plan --from REV [DIR]     DIR (default: the configured catalog folder)
                                                   as committed at REV -> DIR as it is now

Exit codes: 0 nothing to fail on; 1 `--fail-on` found its kind (`breaking`: anything
breaking; `warnings`: anything breaking or any warning; see services/plan.py); 2 a usage
error, a catalog with errors on either side, an unknown revision, an unready database.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

import click

from configurator.services.plan_text import format_text

FAIL_ON = ("breaking", "warnings")


@click.command("plan")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--from",
    "rev",
    metavar="REV",
    help="Compare DIR as committed at this git revision with DIR as it is now.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Exit 1 when the plan has anything breaking (breaking) or anything breaking or a warning (warnings).",
)
@click.option(
    "--no-impact", is_flag=True, help="Skip the database (saved designs and unshipped orders)."
)
@click.option(
    "--no-count", is_flag=True, help="Skip counting valid designs (slow on very large catalogs)."
)
def plan(
    folders: tuple[Path, ...],
    rev: str | None,
    as_json: bool,
    fail_on: str | None,
    no_impact: bool,
    no_count: bool,
) -> None:
    """Compare two catalogs and say what the change will do: products, attributes, options
    (renamed through `replaces`), prices, rules (file:line on both sides), analysis, artwork,
    and the impact on saved designs and orders not yet shipped (CONFIGURATOR_DATABASE_URL)."""
    from sqlalchemy.exc import SQLAlchemyError

    from configurator.bootstrap import bootstrap
    from configurator.catalog import load_catalog
    from configurator.services import plan as planning

    context = bootstrap(load_catalog=False)  # both sides are loaded here
    try:
        with ExitStack() as stack:
            old_dir, new_dir, names = _sides(folders, rev, context, stack)
            found = planning.plan(
                load_catalog(old_dir),
                load_catalog(new_dir),
                ctx=None if no_impact else context,
                count=not no_count,
            )
    except planning.CatalogBroken as broken:
        _fail(
            f"the {broken.side} catalog ({names[broken.side]}) has errors; fix them first:", broken
        )
    except planning.RevisionError as error:
        _fail(str(error))
    except SQLAlchemyError as error:
        first = str(error).splitlines()[0]
        _fail(
            f"the database is not ready ({first}); run `configurator db upgrade`, "
            "or plan with --no-impact"
        )
    finally:
        context.close()
    if as_json:
        click.echo(
            json.dumps({"old": names["old"], "new": names["new"], **found.to_json()}, indent=2)
        )
    else:
        click.echo(format_text(found, names))
    failing = found.breaking() if fail_on == "breaking" else found.breaking() + found.warnings()
    raise SystemExit(1 if fail_on and failing else 0)


def _sides(folders, rev, context, stack: ExitStack) -> tuple[Path, Path, dict]:
    """The old and new folders (a revision extracted for as long as `stack` lasts), and their names."""
    from configurator.services import plan as planning

    if rev is not None:
        if len(folders) > 1:
            raise click.UsageError("with --from REV give at most one folder: DIR")
        folder = folders[0] if folders else context.settings.catalog_dir
        old = stack.enter_context(planning.revision_folder(folder, rev))
        return old, folder, {"old": f"{folder} at {rev}", "new": str(folder)}
    if not folders or len(folders) > 2:
        raise click.UsageError("give OLD_DIR NEW_DIR, NEW_DIR, or --from REV [DIR]")
    if len(folders) == 2:
        old, new = folders
        return old, new, {"old": str(old), "new": str(new)}
    old, name = _live(context)
    return old, folders[0], {"old": name, "new": str(folders[0])}


def _live(context) -> tuple[Path, str]:
    """The catalog shoppers see: the newest publication, else (none, or no database yet) the
    configured folder, as an app would serve it."""
    from sqlalchemy.exc import SQLAlchemyError

    from configurator.services import publishing

    try:
        latest = publishing.newest(context)
    except SQLAlchemyError:
        latest = None
    if latest is None:
        return context.settings.catalog_dir, str(context.settings.catalog_dir)
    return publishing.materialise(context, latest.id), f"published #{latest.id}"


def _fail(message: str, broken=None) -> None:
    click.echo(f"catalog plan: {message}", err=True)
    for problem in broken.problems if broken else ():
        click.echo(f"  {problem}", err=True)
    raise SystemExit(2)
