"""YAML text to plain dicts, lists and strings that remember where each value was written.

We build the tree from libyaml's event stream ourselves instead of calling
`yaml.compose`: the stream is flat (no C recursion, so deep nesting cannot crash
the interpreter), duplicate keys and alias bombs are caught as they appear, and
no Python object is ever constructed from a tag (safe by construction).

Glossary
--------
YamlMap     a mapping; `.key_source(key)`, `.value_source(key)` say where they are written.
YamlList    a sequence; `.item_source(i)` says where item i is written.
YamlScalar  the source text of a scalar YAML resolved to int, float, bool or a
            date (subclasses say which); strings stay plain `str`, null is None.
mark        libyaml's 0-based (line, column) of a node, kept as is; made into a
            1-based Source only when a message needs one.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .hints import yaml_hint
from .model import CatalogProblem, Source

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64  # a catalog needs about 8 levels
MAX_EXPANDED = 2_000_000  # nodes after expanding aliases, on top of the nodes written

_TAG = "tag:yaml.org,2002:"
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers


class YamlScalar(str):
    """Source text of a scalar that YAML reads as something other than a string."""

    kind = "scalar"


class YamlInt(YamlScalar):
    kind = "a whole number"


class YamlFloat(YamlScalar):
    kind = "a number"


class YamlBool(YamlScalar):
    kind = "true/false"


class YamlDate(YamlScalar):
    kind = "a date"


class YamlMerge(YamlScalar):
    kind = "a merge key"


_SCALARS = {
    _TAG + "str": str,
    _TAG + "int": YamlInt,
    _TAG + "float": YamlFloat,
    _TAG + "bool": YamlBool,
    _TAG + "timestamp": YamlDate,
}


class YamlMap(dict):
    """A YAML mapping with the marks (0-based line/column) of its keys and values."""

    __slots__ = ("file", "pos", "key_marks", "value_marks")

    @property
    def source(self) -> Source:
        return Source(self.file, *self.pos)

    def key_source(self, key: str) -> Source:
        mark = self.key_marks.get(key)
        return Source(self.file, mark.line + 1, mark.column + 1) if mark else self.source

    def value_source(self, key: str) -> Source:
        mark = self.value_marks.get(key)
        return Source(self.file, mark.line + 1, mark.column + 1) if mark else self.source


class YamlList(list):
    """A YAML sequence with the mark (0-based line/column) of each item."""

    __slots__ = ("file", "pos", "item_marks")

    @property
    def source(self) -> Source:
        return Source(self.file, *self.pos)

    def item_source(self, index: int) -> Source:
        if not 0 <= index < len(self.item_marks):
            return self.source
        mark = self.item_marks[index]
        return Source(self.file, mark.line + 1, mark.column + 1)


def _empty_map() -> YamlMap:
    empty = YamlMap()
    empty.file, empty.pos, empty.key_marks, empty.value_marks = "<memory>", (0, 0), {}, {}
    return empty


@dataclass
class Document:
    """One parsed YAML file: its root value, its mappings by position, and what went wrong."""

    file: str
    root: object = None
    maps: dict[tuple[int, int], YamlMap] = field(default_factory=dict)
    problems: list[CatalogProblem] = field(default_factory=list)

    def map_at(self, source: Source) -> YamlMap:
        """The mapping that starts at `source` (every dataclass keeps its mapping's source)."""
        found = self.maps.get((source.line, source.column))
        return _empty_map() if found is None else found


def describe(value: object) -> str:
    """What a merchandiser would call this value, for 'must be X, not Y' messages."""
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, YamlScalar):
        return f"{value.kind} ({value})"
    return f"the text '{value}'"


@contextmanager
def gc_paused():
    """Parsing allocates millions of small acyclic objects; the cycle collector only slows it down."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(text: str, file: str) -> Document:
    """Parse one YAML document into YamlMap/YamlList/str; problems are collected, never raised."""
    document = Document(file)
    try:
        with gc_paused():
            _Builder(document).run(text)
    except yaml.MarkedYAMLError as error:
        mark = _where(error)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "unreadable YAML"
        if error.context and error.problem:
            problem = f"{problem} ({error.context})"
        hint = yaml_hint(problem, text, line - 1, column - 1)
        document.problems.append(
            CatalogProblem(
                Source(file, line, column),
                f"YAML syntax error: {problem}" + (f"; {hint}" if hint else ""),
            )
        )
        document.root = None
    except yaml.reader.ReaderError as error:
        at = error.position
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        what = f"character #x{error.character:04x}" if isinstance(error.character, int) else "text"
        document.problems.append(
            CatalogProblem(Source(file, line, column), f"YAML syntax error: {what}: {error.reason}")
        )
        document.root = None
    except yaml.YAMLError as error:
        document.problems.append(
            CatalogProblem(Source(file, 1, 1), f"YAML syntax error: {' '.join(str(error).split())}")
        )
        document.root = None
    except UnicodeError as error:
        document.problems.append(
            CatalogProblem(Source(file, 1, 1), f"not valid UTF-8 text: {error.reason}")
        )
        document.root = None
    except _Abort:
        document.root = None
    return document


def _where(error: yaml.MarkedYAMLError):
    """Where to look: an unclosed bracket, quote or key is found where it was opened, not at the end."""
    context = error.context or ""
    if "tab" in (error.problem or "") and error.problem_mark:
        return error.problem_mark  # the tab itself, not the value it interrupts
    if error.context_mark and context.startswith(("while parsing a flow", "while scanning")):
        return error.context_mark
    return error.problem_mark or error.context_mark


class _Abort(Exception):
    """The document cannot be used at all (already reported)."""


class _Frame:
    """One open mapping or sequence while the events stream past."""

    __slots__ = (
        "value",
        "mark",
        "marks",
        "is_list",
        "anchor",
        "size",
        "key",
        "key_mark",
        "discard",
    )

    def __init__(self, value, mark, marks, is_list, anchor, discard):
        self.value = value
        self.mark = mark
        self.marks = marks  # item_marks of a list, value_marks of a map
        self.is_list = is_list
        self.anchor = anchor
        self.size = 1  # values after expanding aliases, to stop alias bombs
        self.key = None  # a mapping's pending key; None when the next value is a key
        self.key_mark = None
        self.discard = discard


_NO_KEY = object()  # the pending key was bad: drop its value
_UNSEEN = object()


class _Builder:
    """Turns the event stream into the tree; one instance per document."""

    def __init__(self, document: Document):
        self.document = document
        self.file = document.file
        self.stack: list[_Frame] = []
        self.top: _Frame | None = None
        self.anchors: dict[str, tuple[object, int]] = {}
        self.open_anchors: set[str] = set()
        self.documents = 0
        self.expanded = 0
        self.plain: dict[str, object] = {}  # unquoted text -> typed value; catalogs repeat a lot

    def problem(self, mark, message: str) -> None:
        source = Source(self.file, mark.line + 1, mark.column + 1)
        self.document.problems.append(CatalogProblem(source, message))

    def run(self, text: str) -> None:
        loader = Loader(text)
        try:
            next_event = loader.get_event
            while True:
                event = next_event()
                kind = type(event)
                if kind is ScalarEvent:
                    self.scalar(event)
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    self.start(event, kind is SequenceStartEvent)
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    self.end()
                elif kind is AliasEvent:
                    self.alias(event)
                elif kind is DocumentStartEvent:
                    self.documents += 1
                    if self.documents > 1:
                        self.problem(
                            event.start_mark,
                            "a catalog file holds one YAML document; remove this '---' and what follows",
                        )
                        raise _Abort
                elif kind is StreamEndEvent or event is None:
                    return
        finally:
            loader.dispose()

    def scalar(self, event) -> None:
        text = event.value
        tag = event.tag
        if tag is None:
            if not event.implicit[0]:
                value = text  # quoted or block: always a string
            elif len(text) > 5 and text[0].isalpha():
                value = text  # YAML's bool and null words are all shorter
            else:
                value = self.plain.get(text, _UNSEEN)
                if value is _UNSEEN:
                    value = self.plain[text] = _resolve_plain(text)
        elif tag == "!":
            value = text
        else:
            factory = _SCALARS.get(tag)
            if factory is None and tag != _TAG + "null":
                self.problem(event.start_mark, f"unsupported YAML tag '{tag}'; write plain values")
                value = None
            else:
                value = factory(text) if factory else None
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        frame = self.top
        if frame is not None and frame.is_list and not frame.discard:
            frame.value.append(value)  # the common case, kept short
            frame.marks.append(event.start_mark)
            frame.size += 1
            return
        self.add(value, event.start_mark, 1, True)

    def start(self, event, is_list: bool) -> None:
        mark = event.start_mark
        if len(self.stack) >= MAX_DEPTH:
            self.problem(mark, f"nesting deeper than {MAX_DEPTH} levels")
            raise _Abort
        tag = event.tag
        if tag is not None and tag != "!" and tag != _TAG + ("seq" if is_list else "map"):
            self.problem(mark, f"unsupported YAML tag '{tag}'; write plain values")
        pos = (mark.line + 1, mark.column + 1)
        if is_list:
            value = YamlList()
            value.item_marks = marks = []
        else:
            value = YamlMap()
            value.key_marks = {}
            value.value_marks = marks = {}
            self.document.maps[pos] = value
        value.file = self.file
        value.pos = pos
        parent = self.top
        discard = parent is not None and parent.discard
        if parent is not None and not parent.is_list and parent.key is None and not discard:
            self.problem(mark, "a mapping key must be a plain word, not a mapping or a list")
            discard = True
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.top = _Frame(value, mark, marks, is_list, event.anchor, discard)
        self.stack.append(self.top)

    def end(self) -> None:
        frame = self.stack.pop()
        self.top = self.stack[-1] if self.stack else None
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.value, frame.size)
        if frame.discard:
            if self.top is not None and not self.top.discard:
                self.top.key = _NO_KEY  # a collection used as a key: drop its value too
            return
        self.add(frame.value, frame.mark, frame.size, False)

    def alias(self, event) -> None:
        mark = event.start_mark
        name = event.anchor
        if name in self.open_anchors:
            self.problem(mark, f"alias *{name} refers to a collection that contains it")
            raise _Abort
        if name not in self.anchors:
            self.problem(mark, f"unknown alias *{name} (no &{name} above)")
            value, size = None, 1
        else:
            value, size = self.anchors[name]
        self.expanded += size
        if self.expanded > MAX_EXPANDED:
            self.problem(mark, "aliases expand to too many values; write the values out")
            raise _Abort
        self.add(value, mark, size, not isinstance(value, dict | list))

    def add(self, value, mark, size: int, is_scalar: bool) -> None:
        """Place a finished value into the collection being built (or make it the root)."""
        frame = self.top
        if frame is None:
            self.document.root = value
            return
        if frame.discard:
            return
        frame.size += size
        if frame.is_list:
            frame.value.append(value)
            frame.marks.append(mark)
            return
        key = frame.key
        if key is None:  # this value is a key
            self.take_key(frame, value, mark, is_scalar)
            return
        frame.key = None
        if key is _NO_KEY:
            return
        frame.value[key] = value
        frame.value.key_marks[key] = frame.key_mark
        frame.marks[key] = mark

    def take_key(self, frame: _Frame, value, mark, is_scalar: bool) -> None:
        if not is_scalar:
            self.problem(mark, "a mapping key must be a plain word, not a mapping or a list")
            frame.key = _NO_KEY
        elif type(value) is YamlMerge:
            self.problem(mark, "YAML merge keys (<<) are not supported; write the keys out")
            frame.key = _NO_KEY
        else:
            key = "null" if value is None else str(value)
            if key in frame.value:
                first = frame.value.key_marks[key].line + 1
                self.problem(mark, f"duplicate key '{key}' (first at line {first})")
                frame.key = _NO_KEY
            else:
                frame.key = key
                frame.key_mark = mark


def _resolve_plain(text: str):
    """Type an unquoted scalar exactly as PyYAML's SafeLoader would, keeping its text."""
    for tag, regexp in _RESOLVERS.get(text[:1], ()):
        if regexp.match(text):
            if tag == _TAG + "null":
                return None
            factory = _SCALARS.get(tag)
            if factory is not None:
                return factory(text)
            if tag == _TAG + "merge":
                return YamlMerge(text)
            return text
    return text
