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


# -- the human report -------------------------------------------------------------------


def format_text(found, names: dict) -> str:
    """Grouped sections with counts; empty sections are left out."""
    lines = [f"Plan: {names['old']} -> {names['new']}"]
    sections = [
        _products(found),
        _attributes(found),
        _options(found),
        _prices(found),
        _rules(found),
        _analysis(found),
        _artwork(found),
    ]
    shown = [s for s in sections if s] or [["No changes to the catalog."]]
    for section in [*shown, _impact(found)]:
        lines += ["", *section]
    breaking, warnings = found.breaking(), found.warnings()
    lines += ["", f"Breaking: {len(breaking)}", *(f"  ! {b}" for b in breaking)]
    lines += [f"Warnings: {len(warnings)}", *(f"  ? {w}" for w in warnings)]
    return "\n".join(lines)


def _products(found) -> list[str]:
    if not (found.products_added or found.products_removed):
        return []
    return [
        f"Products: {len(found.products_added)} added, {len(found.products_removed)} removed",
        *(f"  + {p}" for p in found.products_added),
        *(f"  - {p}" for p in found.products_removed),
    ]


def _attributes(found) -> list[str]:
    added, removed = found.attributes_added, found.attributes_removed
    if not (added or removed):
        return []
    return [
        f"Attributes: {len(added)} added, {len(removed)} removed",
        *(f"  + {a.product}: {a.label} ({a.attribute}, {a.kind})" for a in added),
        *(f"  - {a.product}: {a.label} ({a.attribute}, {a.kind})" for a in removed),
    ]


def _options(found) -> list[str]:
    added, removed, renamed = found.options_added, found.options_removed, found.options_renamed
    if not (added or removed or renamed):
        return []
    return [
        f"Options: {len(added)} added, {len(removed)} removed, {len(renamed)} renamed",
        *(f"  + {o.product}: {o.label} ({o.option}, {o.price})" for o in added),
        *(f"  - {o.product}: {o.label} ({o.option}) no `replaces`: removed" for o in removed),
        *(
            f"  ~ {r.product}: {r.old_label} ({r.attribute}: {r.old} -> {r.new}, through `replaces`)"
            for r in renamed
        ),
    ]


def _prices(found) -> list[str]:
    if not found.prices:
        return []
    return [
        f"Prices: {len(found.prices)} changed",
        *(
            f"  {p.product}: {p.label}: {p.currency} {p.old} -> {p.currency} {p.new} ({p.delta:+f})"
            for p in found.prices
        ),
    ]


def _rules(found) -> list[str]:
    added, removed, changed = found.rules_added, found.rules_removed, found.rules_changed
    if not (added or removed or changed):
        return []
    return [
        f"Rules: {len(added)} added, {len(removed)} removed, {len(changed)} changed",
        *(f"  + {r.product}: {r.rule} ({r.kind}) at {r.where}" for r in added),
        *(f"  - {r.product}: {r.rule} ({r.kind}) was at {r.where}" for r in removed),
        *(
            f"  ~ {c.product}: {c.rule}: {c.old_where} -> {c.new_where} ({', '.join(c.changed)}"
            f"{'; only renamed ids' if c.renames_only else ''})"
            for c in changed
        ),
    ]


def _analysis(found) -> list[str]:
    if not found.analysis:
        return []
    lines = ["Analysis:"]
    for a in found.analysis:
        if a.conflict:
            lines.append(f"  ! {a.product}: no design satisfies these rules together:")
            lines += [f"      {c}" for c in a.conflict]
        lines.append(f"  {a.product}: valid designs {_designs(a)}")
        for d in a.dead_added:
            because = ", ".join(d.because) or "the attribute's own structure"
            lines.append(f"  ! {a.product}: new dead option {d.label}, because of {because}")
        lines += [f"  {a.product}: {d.label} is selectable again" for d in a.dead_removed]
        lines += [
            f"  ? {a.product}: rule {r.rule} at {r.where} never restricts anything"
            for r in a.redundant_added
        ]
        lines += [
            f"  {a.product}: rule {r.rule} restricts something again" for r in a.redundant_removed
        ]
    return lines


def _designs(change) -> str:
    bound = "" if change.designs_exact else " (upper bounds)"
    if change.designs_old is None:
        return f"{change.designs_new}{bound}" if change.designs_new is not None else "not counted"
    if change.designs_new is None:
        return "not counted"
    delta = change.designs_new - change.designs_old
    return f"{change.designs_old} -> {change.designs_new} ({delta:+d}){bound}"


def _artwork(found) -> list[str]:
    if not found.artwork:
        return []
    sign = {"added": "+", "removed": "-", "changed": "~"}
    counts = {k: sum(f.change == k for f in found.artwork) for k in sign}
    head = ", ".join(f"{n} {k}" for k, n in counts.items())
    return [
        f"Artwork: {head}",
        *(
            f"  {sign[f.change]} {f.path} ({_short(f.old_sha256)} -> {_short(f.new_sha256)})"
            for f in found.artwork
        ),
    ]


def _short(sha256: str | None) -> str:
    return sha256[:12] if sha256 else "none"


def _impact(found) -> list[str]:
    if found.impact is None:
        return ["Impact: not read (--no-impact)"]
    lines = ["Impact on the database:"]
    for d in found.impact.designs:
        lines.append(
            f"  {d.product}: {d.saved} saved designs: {d.invalid} made invalid, "
            f"{d.repriced} repriced, {d.migrated} migrated through `replaces`, {d.unchanged} unchanged"
        )
    if not found.impact.designs:
        lines.append("  no saved designs of these products")
    orders = found.impact.orders
    removed = [o for o in orders if o.removed]
    lines.append(f"  orders not yet shipped naming a removed option: {len(removed)}")
    lines += [f"    {o.number} ({o.status}): {', '.join(o.removed)}" for o in removed]
    renamed = [o for o in orders if o.renamed]
    if renamed:
        lines.append(f"  orders not yet shipped naming a renamed option: {len(renamed)}")
        lines += [f"    {o.number} ({o.status}): {', '.join(o.renamed)}" for o in renamed]
    return lines
