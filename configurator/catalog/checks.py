"""Checks that need a whole file (unique ids, steps, views, artwork, patterns), then the Product."""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter

from .drafts import FileDraft, ProductHead
from .model import Attribute, Option, Product, Source, Step
from .problems import Problems, did_you_mean
from .yamlnodes import Document, YamlList, YamlMap

try:  # Python 3.11+
    from re import _parser as regex_parser
except ImportError:  # pragma: no cover
    import sre_parse as regex_parser

MAX_EXPANSIONS = 1000  # files one image path with placeholders may stand for


@dataclass
class FileContext:
    """What every check of one file shares: the parsed YAML, its folder, the problems, the files used."""

    document: Document
    folder: Path
    problems: Problems
    known: set[str] = field(default_factory=set)  # attribute ids written, valid or not
    used_files: set[str] = field(default_factory=set)
    exists: dict[str, bool] = field(default_factory=dict)

    def raw(self, thing) -> YamlMap:
        """The YAML mapping a dataclass was built from."""
        return self.document.map_at(thing.source)

    def file_label(self, relative: str) -> str:
        """How to name a file beside the YAML in messages: the YAML's folder as given, plus the path."""
        return os.path.join(os.path.dirname(self.document.file), relative)

    def check_file(self, relative: str, source: Source, what: str, detail: str = "") -> bool:
        """Report a missing file; remember an existing one for the product's version."""
        if relative not in self.exists:
            self.exists[relative] = os.path.isfile(os.path.join(self.folder, relative))
        if self.exists[relative]:
            self.used_files.add(relative)
            return True
        self.problems.error(source, f"{what} not found: '{relative}'{detail}")
        return False


def raw_attribute_ids(document: Document) -> set[str]:
    """Ids of every attribute written, valid or not: rules naming a broken one are not reported twice."""
    root = document.root
    written = root.get("attributes") if isinstance(root, dict) else None
    if not isinstance(written, list):
        return set()
    return {
        str(a["id"]).strip()
        for a in written
        if isinstance(a, dict) and isinstance(a.get("id"), str)
    }


def check_duplicate_ids(document: Document, problems: Problems) -> None:
    """Attribute, option, step and rule ids must be unique; checked as written, valid or not."""
    root = document.root
    attributes = root.get("attributes")
    report_duplicates(attributes, "attribute", "", problems)
    for attribute in attributes if isinstance(attributes, list) else ():
        if isinstance(attribute, dict) and isinstance(attribute.get("id"), str):
            report_duplicates(
                attribute.get("options"), "option", f" in attribute '{attribute['id']}'", problems
            )
    report_duplicates(root.get("steps"), "step", "", problems)
    report_duplicates(root.get("rules"), "rule", "", problems)


def report_duplicates(written, what: str, where: str, problems: Problems, key: str = "id") -> None:
    """Report each item of a YAML list whose `key` repeats an earlier item's, as written."""
    if not isinstance(written, YamlList):
        return
    first: dict[str, int] = {}
    for item in written:
        if not isinstance(item, YamlMap) or not isinstance(item.get(key), str):
            continue
        item_id = str(item[key]).strip()
        if item_id in first:
            problems.error(
                item.value_source(key),
                f"duplicate {what} {key} '{item_id}'{where} (first at line {first[item_id]})",
            )
        else:
            first[item_id] = item.value_source(key).line


def check_attributes(draft: FileDraft, context: FileContext) -> dict[str, Attribute]:
    """Defaults, options, patterns, layers; returns the attributes by id (the first of duplicates)."""
    by_id: dict[str, Attribute] = {}
    for attribute in draft.attributes:
        by_id.setdefault(attribute.id, attribute)
    for attribute in by_id.values():
        raw = context.raw(attribute)
        if attribute.kind == "choice":
            _check_choice(attribute, raw, draft, by_id, context)
        else:
            _check_text(attribute, raw, draft.head, context)
    return by_id


def _check_choice(
    attribute: Attribute, raw: YamlMap, draft: FileDraft, attributes, context
) -> None:
    problems = context.problems
    seen: set[str] = set()
    for option in attribute.options:
        if option.id in seen or (attribute.id, option.id) in draft.unchecked_options:
            continue
        seen.add(option.id)
        _check_option(option, context.raw(option), draft.head, attributes, context)
    _check_replaces(attribute, context)
    if len(attribute.options) == 1:
        problems.warning(
            raw.value_source("id"),
            f"attribute '{attribute.id}' has a single option: the shopper has nothing to choose",
        )
    if attribute.default is not None and attribute.default not in attribute.option_ids:
        hint = did_you_mean(attribute.default, attribute.option_ids)
        problems.error(
            raw.value_source("default"),
            f"default '{attribute.default}' is not an option of '{attribute.id}'{hint}",
        )


def _check_replaces(attribute: Attribute, context: FileContext) -> None:
    """An old id moves to one current option, and is no longer an option itself."""
    claimed: dict[str, str] = {}
    for option in attribute.options:
        written = context.raw(option)
        raw = written.get("replaces")
        for index, old in enumerate(option.replaces):
            source = (
                raw.item_source(index)
                if isinstance(raw, YamlList)
                else written.value_source("replaces")
            )
            if old in attribute.option_ids:
                context.problems.error(
                    source,
                    f"option '{option.id}' replaces '{old}', which is still an option of "
                    f"'{attribute.id}': remove one of them",
                )
            elif old in claimed and claimed[old] != option.id:
                context.problems.error(
                    source,
                    f"'{old}' is replaced by both '{claimed[old]}' and '{option.id}': "
                    "a saved design can move to one option only",
                )
            claimed.setdefault(old, option.id)


def _check_option(option: Option, raw: YamlMap, head, attributes, context: FileContext) -> None:
    if head is not None and head.sku and not option.sku:
        context.problems.warning(
            raw.value_source("id"),
            f"option '{option.id}' has no sku although the product has sku '{head.sku}'",
        )
    written = raw.get("layers")
    for index, layer in enumerate(option.layers):
        layer_raw = written[index] if isinstance(written, YamlList) else None
        if not isinstance(layer_raw, YamlMap):
            continue
        _check_view(layer.view, layer_raw, head, context)
        if layer.image is not None:
            _check_image(layer.image, layer_raw.value_source("image"), attributes, context)
        if layer.tint and option.swatch is None:
            context.problems.warning(
                layer_raw.key_source("tint"),
                f"layer is tinted but option '{option.id}' has no swatch colour",
            )


def _check_image(image: str, source: Source, attributes: dict[str, Attribute], context) -> None:
    """The image must exist; with "{attribute}" placeholders, once for every option of those attributes."""
    expansions, message = image_expansions(image, attributes, context.known)
    if message:
        context.problems.error(source, message)
    for path, filled in expansions:
        context.check_file(path, source, "image file", f" ({filled})" if filled else "")


def image_expansions(image: str, attributes: dict[str, Attribute], known: set[str]):
    """([(path, 'shell_type = modular'), ...], problem) for an image path with "{attribute}" placeholders."""
    try:
        parts = list(Formatter().parse(image))
    except ValueError as error:
        return [], f"image path '{image}' has a bad placeholder: {error}"
    names = [field for _, field, _, _ in parts if field is not None]
    if not names:
        return [(image, "")], ""
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        attribute = attributes.get(name)
        if spec or conversion:
            return [], f"placeholder '{{{name}}}' in '{image}' must be a plain attribute id"
        if attribute is None:
            if name in known:
                return [], ""  # that attribute is broken and already reported
            hint = did_you_mean(name, attributes)
            return [], f"placeholder '{{{name}}}' in '{image}' names no attribute{hint}"
        if attribute.kind != "choice":
            return (
                [],
                f"placeholder '{{{name}}}' in '{image}' names a text attribute; use a choice attribute",
            )
    names = list(dict.fromkeys(names))
    combinations = list(
        itertools.islice(
            itertools.product(*(attributes[n].option_ids for n in names)), MAX_EXPANSIONS + 1
        )
    )
    if len(combinations) > MAX_EXPANSIONS:
        return [], f"image path '{image}' expands to more than {MAX_EXPANSIONS} files"
    expansions = []
    for values in combinations:
        chosen = dict(zip(names, values, strict=True))
        filled = ", ".join(f"{n} = {v}" for n, v in chosen.items())
        expansions.append((image.format_map(chosen), filled))
    return expansions, ""


def _check_view(view: str, raw: YamlMap, head: ProductHead | None, context: FileContext) -> None:
    if head is not None and view not in head.views:
        hint = did_you_mean(view, head.views) or f" (views: {', '.join(head.views)})"
        context.problems.error(
            raw.value_source("view"), f"view '{view}' is not one of the product's views{hint}"
        )


def _check_text(attribute: Attribute, raw: YamlMap, head, context: FileContext) -> None:
    if attribute.pattern is not None:
        message = pattern_problem(attribute.pattern, attribute.max_length)
        if message:
            context.problems.error(raw.value_source("pattern"), message)
    written = raw.get("text")
    for index, style in enumerate(attribute.text_styles):
        style_raw = written[index] if isinstance(written, YamlList) else None
        if isinstance(style_raw, YamlMap):
            _check_view(style.view, style_raw, head, context)


def pattern_problem(pattern: str, max_length: int) -> str:
    """Why a text attribute's pattern can never be used, or ''."""
    try:
        re.compile(pattern)
        low, high = regex_parser.parse(pattern).getwidth()
    except (re.error, RecursionError, OverflowError) as error:
        return f"pattern '{pattern}' is not a valid regular expression: {error}"
    if high == 0:
        return f"pattern '{pattern}' only matches empty text"
    if max_length and low > max_length:
        return f"pattern '{pattern}' needs at least {low} characters but max_length is {max_length}"
    return ""


def check_steps(
    draft: FileDraft, attributes: dict[str, Attribute], known: set[str], context
) -> tuple[Step, ...]:
    """Every attribute in exactly one step; no steps written means one step holding them all."""
    if draft.steps is None:
        return (Step("configure", "Configure", tuple(attributes)),)
    problems = context.problems
    placed: dict[str, str] = {}
    for step_draft in draft.steps:
        step = step_draft.step
        raw = context.raw(step_draft)
        names = raw.get("attributes")
        for index, name in enumerate(step.attributes):
            source = names.item_source(index) if isinstance(names, YamlList) else step_draft.source
            if name not in known:
                problems.error(source, f"unknown attribute '{name}'{did_you_mean(name, known)}")
            elif name in placed:
                problems.error(source, f"attribute '{name}' is already in step '{placed[name]}'")
            else:
                placed[name] = step.id
    written = context.document.root.get("steps")
    if isinstance(written, list) and len(written) == len(draft.steps):
        for attribute in attributes.values():
            if attribute.id not in placed:
                problems.error(
                    context.raw(attribute).value_source("id"),
                    f"attribute '{attribute.id}' is in no step; add it to one",
                )
    return tuple(d.step for d in draft.steps)


def build_product(
    draft: FileDraft, attributes, steps, rules, context: FileContext
) -> Product | None:
    """The Product, or None when the file had any error."""
    head = draft.head
    if head is None or not draft.complete or context.problems.has_errors:
        return None
    return Product(
        id=head.id,
        name=head.name,
        description=head.description,
        currency=head.currency,
        base_price=head.base_price,
        views=head.views,
        attributes=tuple(attributes.values()),
        steps=steps,
        rules=rules,
        sku=head.sku,
        checks=head.checks,
        folder=str(context.folder),
        source=head.source,
    )
