"""Table rules' rows, inline or from CSV, checked cell by cell with dictionary look-ups.

A stored cell is "*" (any value, including none), one value id, or several value
ids joined by "|" in the attribute's option order ("none" last), without repeats.
Cells repeat a lot, so each column remembers what every distinct text became.
"""

from __future__ import annotations

import csv
import io

from .drafts import TableSpec
from .model import ANY, FILLED, NONE, Attribute, Source
from .problems import did_you_mean, plural
from .yamlnodes import YamlList, YamlMap, describe

MAX_PROBLEMS_PER_FILE = 50
PIPE = "several values in one cell are separated by |, like {example}"
INLINE_WIDTH_HINT = "; a cell with several values is a list, like [blue, [small, large]]"
CSV_HINTS = {
    "unexpected end of data": '; a quote (") opened in a cell is never closed: close it',
    "',' expected after '\"'": (
        '; a quoted cell ends at its closing quote: put the whole cell in quotes, like "a, b"'
    ),
}
SEMICOLONS = (
    "the columns are separated by ';': save the file as CSV with commas "
    "(a spreadsheet's 'CSV UTF-8, comma-delimited')"
)


class Column:
    """Turns the cells of one attribute's column into stored cells, remembering each distinct text."""

    def __init__(self, attribute: Attribute):
        self.attribute = attribute
        values = (FILLED, NONE) if attribute.kind == "text" else (*attribute.option_ids, NONE)
        self.rank = {value: index for index, value in enumerate(values)}
        self.done: dict[str, str] = {ANY: ANY}
        self.wrong: dict[str, str] = {}

    def cell(self, text: str) -> tuple[str | None, str]:
        """(stored cell, '') or (None, message)."""
        stored = self.done.get(text)
        if stored is not None:
            return stored, ""
        message = self.wrong.get(text)
        if message is not None:
            return None, message
        stored, message = self._parse(text)
        if stored is None:
            self.wrong[text] = message
        else:
            self.done[text] = stored
        return stored, message

    def _parse(self, text: str) -> tuple[str | None, str]:
        if "|" not in text:
            value = text.strip()
            if value in self.rank:
                return value, ""
        values = [part.strip() for part in text.split("|")]
        if not all(values):
            return None, "empty cell: write * for any value, none for no value"
        if ANY in values:
            if len(values) > 1:
                return None, f"'{text}': * already means any value; write it alone"
            return ANY, ""
        for value in values:
            if value not in self.rank:
                return None, self.unknown(value)
        unique = sorted(set(values), key=self.rank.__getitem__)
        return "|".join(unique), ""

    def unknown(self, value: str) -> str:
        attribute = self.attribute
        if "," in value:
            example = "|".join(part.strip() for part in value.split(",") if part.strip())
            return f"'{value}' is not an option of '{attribute.id}': " + PIPE.format(
                example=example
            )
        if attribute.kind == "text":
            return f"text attribute '{attribute.id}' takes filled or none, not '{value}'"
        if value == FILLED:
            return f"'filled' is only for text attributes; '{attribute.id}' is a choice attribute"
        hint = did_you_mean(value, self.rank)
        return f"'{value}' is not an option of '{attribute.id}'{hint}"


def table_columns(
    spec: TableSpec, raw: YamlMap, attributes: dict, known: set[str], problems
) -> list[Column] | None:
    """One Column per table attribute, or None (after reporting) if the attributes are wrong."""
    written = raw.get("attributes")
    columns, seen, ok = [], set(), True
    for index, name in enumerate(spec.attributes):
        source = written.item_source(index) if isinstance(written, YamlList) else spec.source
        if name in seen:
            problems.error(source, f"attribute '{name}' appears twice in the table")
            ok = False
        elif name not in attributes:
            if name not in known:
                problems.error(source, f"unknown attribute '{name}'{did_you_mean(name, known)}")
            ok = False
        else:
            columns.append(Column(attributes[name]))
        seen.add(name)
    return columns if ok else None


def inline_rows(rows: YamlList, columns: list[Column], problems) -> list[tuple[str, ...]]:
    """Check the rows written in YAML; return the good ones as stored cells."""
    width = len(columns)
    good = []
    known_cells = [column.done for column in columns]
    lookup = dict.__getitem__
    for index, row in enumerate(rows):
        try:  # fast path: a list of cells all seen before
            if type(row) is YamlList and len(row) == width:
                good.append(tuple(map(lookup, known_cells, row)))
                continue
        except (KeyError, TypeError):
            pass
        source = rows.item_source(index)
        if not isinstance(row, list):
            problems.error(
                source, f'a row must be a list of cells, like [a, "*"], not {describe(row)}'
            )
            continue
        if len(row) != width:
            problems.error(
                source,
                f"row has {plural(len(row), 'cell')} but the table has {plural(width, 'attribute')}"
                + (INLINE_WIDTH_HINT if len(row) > width else ""),
            )
            continue
        cells = []
        for position, (written, column) in enumerate(zip(row, columns, strict=True)):
            text, message = _cell_text(written)
            stored = None
            if not message:
                stored, message = column.cell(text)
            if stored is None:
                problems.error(row.item_source(position), message)
            cells.append(stored)
        if None not in cells:
            good.append(tuple(cells))
    return good


def _cell_text(written) -> tuple[str, str]:
    """An inline cell as CSV-style text: a list [a, b] becomes 'a|b'."""
    if isinstance(written, list):
        if not written:
            return "", "empty cell: write * for any value, none for no value"
        if not all(isinstance(value, str) for value in written):
            return "", "a cell lists values, not lists or mappings"
        return "|".join(written), ""
    if written is None:
        return "", "empty cell: write * for any value, none for no value"
    if not isinstance(written, str):
        return "", f"a cell holds a value or a list of values, not {describe(written)}"
    return written, ""


def csv_rows(
    content: bytes,
    label: str,
    attributes: tuple[str, ...],
    columns: list[Column],
    known: set[str],
    problems,
) -> list[tuple[str, ...]]:
    """Check a rows_file (header = attribute ids); positions are file.csv:ROW:COLUMN, counting from 1."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        problems.error(
            Source(label, line, 1), f"not UTF-8 text ({error.reason} at byte {error.start})"
        )
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    good: list[tuple[str, ...]] = []
    try:
        header = _header(reader)
        if header is None:
            problems.error(
                Source(label, 1, 1),
                f"the file is empty; its first line must be: {','.join(attributes)}",
            )
            return []
        if not _header_ok(header, reader.line_num, label, attributes, known, problems):
            return []
        good = _rows(reader, label, columns, _Budget(label, problems))
    except csv.Error as error:
        hint = CSV_HINTS.get(str(error), "")
        problems.error(Source(label, reader.line_num or 1, 1), f"CSV error: {error}{hint}")
    return good


def _rows(reader, label: str, columns: list[Column], budget: _Budget) -> list[tuple[str, ...]]:
    """The rows after the header; most are all-known cells, looked up without a Python call per cell."""
    width = len(columns)
    good = []
    known_cells = [column.done for column in columns]  # text -> stored cell, filled as we go
    lookup = dict.__getitem__
    for fields in reader:
        try:
            if len(fields) == width:
                good.append(tuple(map(lookup, known_cells, fields)))
                continue
        except KeyError:
            pass
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue  # a blank line
        line = reader.line_num
        if len(fields) != width:
            message = f"row has {plural(len(fields), 'column')} but the header has {width}"
            if len(fields) > width:
                message += f"; {_pipe_example(fields[width - 1 :])}, not commas"
            if budget.spend(Source(label, line, min(len(fields), width) + 1), message):
                break
            continue
        cells = []
        for position, column in enumerate(columns):
            stored, message = column.cell(fields[position])
            if stored is None and budget.spend(Source(label, line, position + 1), message):
                return good
            cells.append(stored)
        if None not in cells:
            good.append(tuple(cells))
    return good


def _pipe_example(cells: list[str]) -> str:
    """The pipe hint, with the row's own last cells as the example."""
    values = [cell.strip(" []") for cell in cells]
    return PIPE.format(example="|".join(v for v in values if v) or "small|large")


def _header(reader) -> list[str] | None:
    for fields in reader:
        if fields and any(cell.strip() for cell in fields):
            return [cell.strip() for cell in fields]
    return None


def _header_ok(header, line, label, attributes, known, problems) -> bool:
    if len(header) < len(attributes) and any(";" in name for name in header):
        problems.error(Source(label, line, 1), SEMICOLONS)
        return False
    ok = True
    for position, name in enumerate(header):
        if name not in known:
            hint = did_you_mean(name, known)
            problems.error(
                Source(label, line, position + 1), f"unknown attribute '{name}' in the header{hint}"
            )
            ok = False
    if ok and tuple(header) != tuple(attributes):
        problems.error(
            Source(label, line, 1),
            f"header '{','.join(header)}' differs from the table's attributes '{','.join(attributes)}'",
        )
        ok = False
    return ok


class _Budget:
    """Stops reporting after MAX_PROBLEMS_PER_FILE problems in one CSV file (it is probably the wrong file)."""

    def __init__(self, label: str, problems):
        self.label = label
        self.problems = problems
        self.left = MAX_PROBLEMS_PER_FILE

    def spend(self, source: Source, message: str) -> bool:
        """Report; True when the budget is exhausted and reading should stop."""
        self.problems.error(source, message)
        self.left -= 1
        if self.left == 0:
            self.problems.error(
                Source(self.label, source.line, 1),
                f"stopped checking this file after {MAX_PROBLEMS_PER_FILE} problems",
            )
            return True
        return False
