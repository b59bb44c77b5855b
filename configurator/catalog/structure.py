"""One file's structure through the schemas, keeping what can still be checked when parts are wrong.

A typo in one option's price makes its attribute invalid; without salvage every
rule naming that attribute would go unchecked, and the merchandiser would fix one
problem per run. So an invalid attribute is rebuilt as best it can be (its valid
fields, its valid options, stand-ins for the invalid ones) for the checks only:
a file with any error never becomes a Product.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from marshmallow import ValidationError

from .drafts import FileDraft, ProductHead, RuleDraft, StepDraft
from .model import Attribute, Option, TextStyle
from .problems import from_messages
from .schema import FILE_SCHEMA, known_keys
from .yamlnodes import YamlList, YamlMap

_ATTRIBUTE_FIELDS = {f.name for f in dataclass_fields(Attribute)}
_HEAD_FIELDS = {f.name for f in dataclass_fields(ProductHead)}


def load_structure(root: YamlMap) -> tuple[FileDraft, list]:
    """Validate one file's structure; return what could be built and every problem found."""
    try:
        valid = FILE_SCHEMA.load(root)
    except ValidationError as error:
        valid = error.valid_data if isinstance(error.valid_data, dict) else {}
        problems = from_messages(
            error.messages, root, known_keys=lambda path: known_keys(FILE_SCHEMA, path)
        )
        return _salvaged(valid, root), problems
    return FileDraft(
        valid["product"], _steps(valid), tuple(valid["attributes"]), _rules(valid), True
    ), []


def _steps(valid: dict) -> tuple[StepDraft, ...] | None:
    steps = valid.get("steps")
    return None if steps is None else tuple(s for s in steps if isinstance(s, StepDraft))


def _rules(valid: dict) -> tuple[RuleDraft, ...]:
    return tuple(r for r in valid.get("rules") or () if isinstance(r, RuleDraft))


def _salvaged(valid: dict, root: YamlMap) -> FileDraft:
    attributes, unchecked = [], set()
    written = root.get("attributes")
    loaded = valid.get("attributes") or []
    if isinstance(written, YamlList) and len(loaded) == len(written):
        for item, raw in zip(loaded, written, strict=True):
            if isinstance(item, Attribute):
                attributes.append(item)
            elif isinstance(item, dict) and isinstance(raw, YamlMap):
                rebuilt = _attribute(item, raw, unchecked)
                if rebuilt is not None:
                    attributes.append(rebuilt)
    else:
        attributes = [a for a in loaded if isinstance(a, Attribute)]
    return FileDraft(
        head=_head(valid.get("product"), root),
        steps=_steps(valid),
        attributes=tuple(attributes),
        rules=_rules(valid),
        complete=False,
        unchecked_options=frozenset(unchecked),
    )


def _head(head, root: YamlMap) -> ProductHead | None:
    """The product block, or a stand-in when only its views are known to be right."""
    if isinstance(head, ProductHead) or not isinstance(head, dict) or "views" not in head:
        return head if isinstance(head, ProductHead) else None
    kept = {k: v for k, v in head.items() if k in _HEAD_FIELDS}
    raw = root.get("product")
    defaults = {"id": "", "name": "", "currency": "", "base_price": 0}
    return ProductHead(**{**defaults, **kept, "views": tuple(head["views"]), "source": raw.source})


def _attribute(partial: dict, raw: YamlMap, unchecked: set) -> Attribute | None:
    """An invalid attribute rebuilt for the checks, or None if even its id or kind is wrong."""
    attribute_id = partial.get("id")
    kind = partial.get("kind", "choice") if "kind" in partial or "kind" not in raw else None
    if not isinstance(attribute_id, str) or kind is None:
        return None
    kept = {k: v for k, v in partial.items() if k in _ATTRIBUTE_FIELDS and v is not None}
    kept.update(
        id=attribute_id, kind=kind, label=partial.get("label") or attribute_id, source=raw.source
    )
    kept["options"] = _options(attribute_id, partial.get("options"), raw.get("options"), unchecked)
    kept["text_styles"] = tuple(
        s for s in partial.get("text_styles") or () if isinstance(s, TextStyle)
    )
    return Attribute(**kept)


def _options(attribute_id: str, loaded, written, unchecked: set) -> tuple[Option, ...]:
    """The valid options, and a stand-in (id only) for each invalid one whose id is readable."""
    if not isinstance(loaded, list):
        return ()
    if not isinstance(written, YamlList) or len(written) != len(loaded):
        return tuple(o for o in loaded if isinstance(o, Option))
    options = []
    for item, raw in zip(loaded, written, strict=True):
        if isinstance(item, Option):
            options.append(item)
        elif isinstance(raw, YamlMap) and isinstance(raw.get("id"), str):
            option_id = str(raw["id"]).strip()
            unchecked.add((attribute_id, option_id))
            options.append(Option(id=option_id, label=option_id, source=raw.source))
    return tuple(options)
