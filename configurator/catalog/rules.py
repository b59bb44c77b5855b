"""Rule checks: every attribute and value named exists, tables read and checked."""

from __future__ import annotations

from dataclasses import replace

from . import tables
from .model import ANY, FILLED, NONE, Attribute, Rule, Source
from .problems import did_you_mean
from .yamlnodes import YamlList, YamlMap


def check_rules(
    drafts, attributes: dict[str, Attribute], known: set[str], context, read_file
) -> tuple[Rule, ...]:
    """Check every rule; tables get their rows. `read_file(relative, source)` returns bytes or None."""
    problems = context.problems
    rules = []
    for draft in drafts:
        rule = draft.rule
        raw = context.raw(rule)
        body = raw.get(rule.kind)
        body = body if isinstance(body, YamlMap) else YamlMap()
        check = _Conditions(attributes, known, problems)
        if rule.kind == "requires":
            check.condition(rule.when, _sub(body, "when"))
            check.condition(rule.then, _sub(body, "then"))
        elif rule.kind == "excludes":
            check.condition(rule.when, body)
        elif rule.kind == "applies":
            _check_applies(rule, body, check)
        else:
            rows = _table_rows(draft.table, attributes, known, context, read_file)
            rule = replace(rule, rows=rows)
        rules.append(rule)
    return tuple(rules)


def _sub(body: YamlMap, key: str) -> YamlMap:
    value = body.get(key)
    return value if isinstance(value, YamlMap) else YamlMap()


def _check_applies(rule: Rule, body: YamlMap, check: _Conditions) -> None:
    when = _sub(body, "when")
    name = rule.attribute
    check.attribute(name, body.value_source("attribute"))
    if any(attribute == name for attribute, _ in rule.when):
        check.problems.error(
            when.key_source(name),
            f"'{name}' cannot appear in its own applies condition (it is what the rule switches on and off)",
        )
    check.condition(rule.when, when)


class _Conditions:
    """Checks the attribute: values of one condition against the attributes."""

    def __init__(self, attributes: dict[str, Attribute], known: set[str], problems):
        self.attributes = attributes
        self.known = known
        self.problems = problems

    def attribute(self, name: str, source: Source) -> Attribute | None:
        attribute = self.attributes.get(name)
        if attribute is None and name not in self.known:
            self.problems.error(
                source, f"unknown attribute '{name}'{did_you_mean(name, self.known)}"
            )
        return attribute

    def condition(self, condition, raw: YamlMap) -> None:
        for name, values in condition:
            attribute = self.attribute(name, raw.key_source(name))
            if attribute is None:
                continue
            written = raw.get(name)
            for index, value in enumerate(values):
                if isinstance(written, YamlList):
                    source = written.item_source(min(index, len(written) - 1))
                else:
                    source = raw.value_source(name)
                message = value_problem(attribute, value)
                if message:
                    self.problems.error(source, message)


def value_problem(attribute: Attribute, value: str) -> str:
    """Why `value` cannot be named for `attribute` in a condition, or ''."""
    if value == NONE:
        return ""
    if value == ANY:
        return "'*' is only for table cells; list the values instead"
    if attribute.kind == "text":
        if value == FILLED:
            return ""
        return f"text attribute '{attribute.id}' takes filled or none, not '{value}'"
    if value == FILLED:
        return f"'filled' is only for text attributes; '{attribute.id}' is a choice attribute"
    if attribute.option(value) is None:
        hint = did_you_mean(value, attribute.option_ids)
        return f"'{value}' is not an option of '{attribute.id}'{hint}"
    return ""


def _table_rows(spec, attributes, known, context, read_file) -> tuple[tuple[str, ...], ...]:
    problems = context.problems
    raw = context.raw(spec)
    columns = tables.table_columns(spec, raw, attributes, known, problems)
    if columns is None:
        return ()
    rows: list[tuple[str, ...]] = []
    reported = len(problems.items)
    if spec.rows is not None:
        rows += tables.inline_rows(spec.rows, columns, problems)
    if spec.rows_file is not None:
        content = read_file(spec.rows_file, raw.value_source("rows_file"))
        if content is not None:
            label = context.file_label(spec.rows_file)
            rows += tables.csv_rows(content, label, spec.attributes, columns, known, problems)
    if not rows and len(problems.items) == reported:
        problems.warning(raw.source, "the table has no rows")
    return tuple(dict.fromkeys(rows))
