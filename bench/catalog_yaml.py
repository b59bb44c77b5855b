"""Write a generated Product as a catalog file, so the real app can load and serve it.

tests/support/generate.py builds Products in memory only; the shop reads a folder of
YAML files (docs/CATALOG.md). This writes what the generated catalogs use: choice and
text attributes with ids, labels, prices and defaults, steps, and the four rule kinds.
Tables go to a CSV file beside the YAML (`rows_file`), as merchandisers keep them.
Artwork, SKUs and bills of materials are not written (the generators make none).
"""

from __future__ import annotations

import json
from pathlib import Path

from configurator.catalog.model import Product, Rule


def write_product(product: Product, folder: Path) -> Path:
    """Write `product` as folder/<id>.yaml (and <id>-<rule>.csv per table); return the YAML path."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "product:",
        f"  id: {product.id}",
        f"  name: {_text(product.name)}",
        f"  description: {_text(product.description)}",
        f"  currency: {product.currency}",
        f'  base_price: "{product.base_price}"',
        f"  views: [{', '.join(product.views)}]",
        "steps:",
    ]
    for step in product.steps:
        lines += [
            f"  - id: {step.id}",
            f"    label: {_text(step.label)}",
            f"    attributes: [{', '.join(step.attributes)}]",
        ]
    lines.append("attributes:")
    for attr in product.attributes:
        lines += [
            f"  - id: {attr.id}",
            f"    label: {_text(attr.label)}",
            f"    kind: {attr.kind}",
            f"    required: {str(attr.required).lower()}",
        ]
        if attr.kind == "text":
            lines.append(f"    max_length: {attr.max_length}")
            if attr.pattern:
                lines.append(f"    pattern: {_text(attr.pattern)}")
            lines.append(f'    price: "{attr.price}"')
            continue
        if attr.default:
            lines.append(f"    default: {attr.default}")
        lines.append("    options:")
        for option in attr.options:
            lines.append(
                f"      - {{id: {option.id}, label: {_text(option.label)}, price: "
                f'"{option.price}"}}'
            )
    if product.rules:
        lines.append("rules:")
    for rule in product.rules:
        lines += [f"  - id: {rule.id}", f"    message: {_text(rule.message)}"]
        lines += _rule_body(rule, product, folder)
    path = folder / f"{product.id}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _rule_body(rule: Rule, product: Product, folder: Path) -> list[str]:
    if rule.kind == "requires":
        return [
            "    requires:",
            f"      when: {_condition(rule.when)}",
            f"      then: {_condition(rule.then)}",
        ]
    if rule.kind == "excludes":
        return [f"    excludes: {_condition(rule.when)}"]
    if rule.kind == "applies":
        return [
            "    applies:",
            f"      attribute: {rule.attribute}",
            f"      when: {_condition(rule.when)}",
        ]
    csv_name = f"{product.id}-{rule.id}.csv"
    rows = "".join(",".join(row) + "\n" for row in rule.rows)
    (folder / csv_name).write_text(",".join(rule.attributes) + "\n" + rows)
    return [
        "    table:",
        f"      attributes: [{', '.join(rule.attributes)}]",
        f"      mode: {'allowed' if rule.allowed else 'forbidden'}",
        f"      rows_file: {csv_name}",
    ]


def _condition(condition) -> str:
    return "{" + ", ".join(f"{a}: [{', '.join(values)}]" for a, values in condition) + "}"


def _text(value: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is YAML's)."""
    return json.dumps(value)
