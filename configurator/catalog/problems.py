"""Collecting problems with their file:line:column, and turning marshmallow's messages into them."""

from __future__ import annotations

import difflib

from .model import CatalogProblem, Source
from .yamlnodes import YamlList, YamlMap

REQUIRED = "missing required key"
UNKNOWN_KEY = "unknown key"


def did_you_mean(word: str, choices) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word`, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def plural(number: int, noun: str) -> str:
    """'1 cell', '3 cells'."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class Problems:
    """Every problem found while loading one product, in the order found."""

    def __init__(self):
        self.items: list[CatalogProblem] = []

    def error(self, source: Source, message: str) -> None:
        self.items.append(CatalogProblem(source, message))

    def warning(self, source: Source, message: str) -> None:
        self.items.append(CatalogProblem(source, message, "warning"))

    def extend(self, problems) -> None:
        self.items.extend(problems)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)


def from_messages(messages, root: YamlMap, known_keys=lambda path: []) -> list[CatalogProblem]:
    """Place each marshmallow message at the YAML node its path names.

    `known_keys(path)` lists the keys expected at `path`, for unknown-key hints.
    """
    found: list[CatalogProblem] = []

    def walk(node, path: tuple) -> None:
        if isinstance(node, dict):
            for key, inner in node.items():
                # "_schema" holds schema-level messages, unless the catalog itself has a
                # key of that name (then it is reported as unknown like any other)
                schema_level = key == "_schema" and inner != [UNKNOWN_KEY]
                walk(inner, path if schema_level else (*path, key))
        elif isinstance(node, list | tuple):
            for message in node:
                if isinstance(message, dict | list | tuple):
                    walk(message, path)
                else:
                    found.append(_placed(root, path, str(message), known_keys))
        else:
            found.append(_placed(root, path, str(node), known_keys))

    walk(messages, ())
    return found


def _placed(root: YamlMap, path: tuple, message: str, known_keys) -> CatalogProblem:
    if message == REQUIRED:
        source, _ = locate(root, path[:-1])
        return CatalogProblem(source, f"{REQUIRED} '{path[-1]}'")
    if message == UNKNOWN_KEY:
        key, known = path[-1], known_keys(path[:-1])
        hint = did_you_mean(key, known) or (
            f" (expected one of: {', '.join(known)})" if known else ""
        )
        parent = locate_node(root, path[:-1])
        source = parent.key_source(key) if isinstance(parent, YamlMap) else locate(root, path)[0]
        return CatalogProblem(source, f"{UNKNOWN_KEY} '{key}'{hint}")
    source, _ = locate(root, path)
    label = path_label(path)
    return CatalogProblem(source, f"{label}: {message}" if label else message)


def path_label(path: tuple) -> str:
    """The last key of a path with any list indices after it: ('rules', 2) -> 'rules[2]'."""
    label = ""
    for step in reversed(path):
        if isinstance(step, int):
            label = f"[{step}]{label}"
        else:
            return f"{step}{label}"
    return label.lstrip("[").rstrip("]") if label else ""


def locate(root, path: tuple) -> tuple[Source, bool]:
    """Source of the node at `path` (the nearest existing ancestor if absent) and whether it exists.

    A scalar is cited where its value starts; a mapping or list where its key is
    written, because a block collection only starts on the line below its key.
    """
    node, source, found = root, root.source, True
    for step in path:
        if isinstance(node, YamlMap) and step in node:
            value = node[step]
            scalar = value is not None and not isinstance(value, dict | list)
            source = node.value_source(step) if scalar else node.key_source(step)
            node = value
        elif isinstance(node, YamlList) and isinstance(step, int) and 0 <= step < len(node):
            source = node.item_source(step)
            node = node[step]
        else:
            found = False
            break
    return source, found


def locate_node(root, path: tuple):
    """The node at `path`, or None."""
    node = root
    for step in path:
        in_map = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if not (in_map or in_list):
            return None
        node = node[step]
    return node
