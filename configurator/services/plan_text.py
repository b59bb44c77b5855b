"""A plan (services/plan.py) in words, grouped by kind with counts: what `catalog plan`
prints and what the staff catalog page shows beside a candidate."""

from __future__ import annotations


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
