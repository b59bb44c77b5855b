"""The preferences file (catalog/preferences.yaml): the questions the shop may ask shoppers.

Each question has a key, the question, its purpose in one sentence and a kind:
`choice` (one answer, which pre-selects options: `preselects`), `choices` (several
answers, tastes, which are soft wishes: `wishes`) or `text` (a short typed answer,
optionally matching `pattern`, which fills a text attribute). A mapping names a
product of the same folder, one of its attributes and `map: {answer id: option id}`
(`{"*": "*"}` for a text question: the answer as typed).

Loaded like a product file (same size limit, UTF-8, YAML tree, schemas and messages),
then checked against the products that loaded. Any error leaves the whole file out.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from marshmallow import ValidationError, validates_schema

from .checks import pattern_problem, report_duplicates
from .fields import CatalogField, Choice, Id, ListOf, Nest, Text, Whole
from .model import NOWHERE, Answer, Attribute, CatalogProblem, Mapping, Product, Question, Source
from .problems import REQUIRED, Problems, did_you_mean, from_messages
from .reading import read_yaml
from .schema import NOT_EMPTY, Strict, known_keys
from .yamlnodes import Document, YamlList, YamlMap, describe, gc_paused

FILE_NAMES = ("preferences.yaml", "preferences.yml")
KINDS = ("choice", "choices", "text")
ANY = "*"
TOP_LEVEL = "the top level must be a mapping with the key questions"
TEXT_MAP = 'a text answer goes in as typed: write map: {"*": "*"}'


def is_preferences_file(path) -> bool:
    """Whether `path` names a preferences file (which is never a product file)."""
    return Path(path).name in FILE_NAMES


def _source(original) -> Source:
    return original.source if isinstance(original, YamlMap) else NOWHERE


class AnswerMap(CatalogField):
    """`map: {answer id: option id}` -> ((answer, option), ...) in the order written."""

    def _deserialize(self, value, attr, data, **kwargs) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict):
            raise ValidationError(
                f"must be a mapping of answer: option, like {{m: m}}, not {describe(value)}"
            )
        if not value:
            raise ValidationError("maps no answer")
        pairs, errors = [], {}
        for answer, option in value.items():
            if option is None or (isinstance(option, str) and not option.strip()):
                errors[answer] = ["is empty: write the option id this answer stands for"]
            elif not isinstance(option, str):
                errors[answer] = [f"must be an option id, not {describe(option)}"]
            else:
                pairs.append((answer, str(option).strip()))
        if errors:
            raise ValidationError(errors)
        return tuple(pairs)


class AnswerSchema(Strict):
    id = Id(required=True)
    label = Text(required=True)

    def make(self, data, original):
        return Answer(data["id"], data["label"], source=_source(original))


class MappingSchema(Strict):
    product = Text(required=True)
    attribute = Text(required=True)
    options = AnswerMap(required=True, data_key="map")

    def make(self, data, original):
        return Mapping(
            data["product"], data["attribute"], data["options"], source=_source(original)
        )


class QuestionSchema(Strict):
    key = Id(required=True)
    question = Text(required=True)
    purpose = Text(required=True)
    kind = Choice(KINDS, required=True)
    answers = ListOf(Nest(AnswerSchema), validate=NOT_EMPTY)
    pattern = Text()
    max_length = Whole(minimum=1, maximum=200)
    preselects = ListOf(Nest(MappingSchema), allow_none=True)
    wishes = ListOf(Nest(MappingSchema), allow_none=True)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _keys_fit_kind(self, data, original, **kwargs):
        if not isinstance(original, dict) or not isinstance(original.get("kind"), str):
            return
        kind = original["kind"].strip()
        errors = {}
        if kind == "text":
            if "answers" in original:
                errors["answers"] = ["text questions have none; remove it"]
        elif kind in ("choice", "choices"):
            if "answers" not in original:
                errors["answers"] = [REQUIRED]
            for key in ("pattern", "max_length"):
                if key in original:
                    errors[key] = ["is only for text questions (a choice question lists answers)"]
        if kind == "choices" and "preselects" in original:
            errors["preselects"] = [
                "a choices question takes several answers, which cannot pre-select one "
                "option each; use wishes"
            ]
        if kind in ("choice", "text") and "wishes" in original:
            errors["wishes"] = [
                f"are only for choices questions (tastes); a {kind} question has preselects"
            ]
        if errors:
            raise ValidationError(errors)

    def make(self, data, original):
        data = {key: value for key, value in data.items() if value is not None}
        for key in ("answers", "preselects", "wishes"):
            data[key] = tuple(data.get(key, ()))
        return Question(**data, source=_source(original))


class PreferencesSchema(Strict):
    questions = ListOf(Nest(QuestionSchema), required=True, validate=NOT_EMPTY)


PREFERENCES_SCHEMA = PreferencesSchema()
QUESTION_SCHEMA = QuestionSchema()


def read_questions(
    path, products: dict[str, Product]
) -> tuple[tuple[Question, ...], tuple[CatalogProblem, ...]]:
    """Load a preferences file against the products of its folder (by id): the questions (none
    on any error: the file is left out) and every problem, errors and warnings, in file order."""
    path = Path(path)
    problems = Problems()
    with gc_paused():
        questions = _read(path, products, problems)
    ordered = sorted(problems.items, key=lambda p: (p.source.file, p.source.line, p.source.column))
    return (() if problems.has_errors else questions), tuple(ordered)


def _read(path: Path, products: dict[str, Product], problems: Problems) -> tuple[Question, ...]:
    document, _ = read_yaml(path, problems, TOP_LEVEL)
    if document is None:
        return ()
    root = document.root
    written = root.get("questions")
    try:
        loaded = PREFERENCES_SCHEMA.load(root)
    except ValidationError as error:
        problems.extend(
            from_messages(
                error.messages, root, known_keys=lambda p: known_keys(PREFERENCES_SCHEMA, p)
            )
        )
        drafts = [_salvaged(raw) for raw in written] if isinstance(written, YamlList) else []
    else:
        drafts = [(question, True) for question in loaded["questions"]]
    report_duplicates(written, "question", "", problems, key="key")
    for raw in written if isinstance(written, YamlList) else ():
        if isinstance(raw, YamlMap) and isinstance(raw.get("key"), str):
            where = f" in question '{str(raw['key']).strip()}'"
            report_duplicates(raw.get("answers"), "answer", where, problems)
    return tuple(
        _check_question(question, complete, document, products, problems)
        for question, complete in drafts
        if question is not None
    )


def _salvaged(raw) -> tuple[Question | None, bool]:
    """One question loaded alone: the Question, or a stand-in (for the other checks) when it is
    invalid but its key and kind are readable, or None."""
    if not isinstance(raw, YamlMap):
        return None, False
    try:
        return QUESTION_SCHEMA.load(raw), True
    except ValidationError as error:
        partial = error.valid_data
    if not isinstance(partial, dict):
        return None, False
    key, kind = partial.get("key", raw.get("key")), partial.get("kind")
    if not isinstance(key, str) or kind not in KINDS:
        return None, False
    pattern = partial.get("pattern")
    stand_in = Question(
        key=key.strip(),
        question=partial.get("question") or key,
        purpose=partial.get("purpose") or "",
        kind=kind,
        answers=tuple(a for a in partial.get("answers") or () if isinstance(a, Answer)),
        pattern=pattern if isinstance(pattern, str) else None,
        max_length=partial.get("max_length") or 40,
        preselects=tuple(m for m in partial.get("preselects") or () if isinstance(m, Mapping)),
        wishes=tuple(m for m in partial.get("wishes") or () if isinstance(m, Mapping)),
        source=raw.source,
    )
    return stand_in, False


def _check_question(
    question: Question,
    complete: bool,
    document: Document,
    products: dict[str, Product],
    problems: Problems,
) -> Question:
    """The pattern, and every mapping against the products; warnings for a valid question only.
    Returns the question with each option id an option `replaces` written as the current id."""
    raw = document.map_at(question.source)
    if question.kind == "text" and question.pattern is not None:
        message = pattern_problem(question.pattern, question.max_length)
        if message:
            problems.error(raw.value_source("pattern"), message)
    answers = _written_answers(raw)
    mapped: set[str] = set()
    checked: dict[str, list[Mapping]] = {"preselects": [], "wishes": []}
    for name, verb in (("preselects", "pre-selects"), ("wishes", "wishes for")):
        first: dict[tuple[str, str], int] = {}
        for mapping in getattr(question, name):
            checked[name].append(mapping)
            mapped.update(answer for answer, _ in mapping.options)
            written = document.map_at(mapping.source)
            attribute = _target(question, mapping, written, products, problems)
            if attribute is None:
                continue
            where = (mapping.product, mapping.attribute)
            if where in first:
                problems.error(
                    written.value_source("attribute"),
                    f"question '{question.key}' already {verb} '{mapping.attribute}' of "
                    f"'{mapping.product}' (first at line {first[where]})",
                )
                continue
            first[where] = mapping.source.line
            checked[name][-1] = _check_map(question, mapping, attribute, written, answers, problems)
    question = replace(
        question, preselects=tuple(checked["preselects"]), wishes=tuple(checked["wishes"])
    )
    if not complete:
        return question
    if not question.preselects and not question.wishes:
        problems.warning(
            raw.value_source("key"),
            f"question '{question.key}' maps to no product attribute: its answers change nothing",
        )
    elif question.kind != "text":
        for answer, source in (answers or {}).items():
            if answer not in mapped:
                problems.warning(
                    source,
                    f"answer '{answer}' of question '{question.key}' is in no map: "
                    "answering it changes nothing",
                )
    return question


def _written_answers(raw: YamlMap) -> dict | None:
    """Answer id -> where it is written, for every answer with a readable id, valid or not
    (a map naming a broken answer is not reported twice); None without answers (reported)."""
    written = raw.get("answers")
    if not isinstance(written, YamlList) or not written:
        return None
    found = {}
    for item in written:
        if isinstance(item, YamlMap) and isinstance(item.get("id"), str):
            found.setdefault(str(item["id"]).strip(), item.value_source("id"))
    return found


def _target(
    question: Question,
    mapping: Mapping,
    written: YamlMap,
    products: dict[str, Product],
    problems: Problems,
) -> Attribute | None:
    """The attribute a mapping names, or None after reporting why it cannot be used."""
    product = products.get(mapping.product)
    if product is None:
        hint = did_you_mean(mapping.product, products) or (
            f" (products: {', '.join(products)})" if products else " (no product loaded)"
        )
        problems.error(
            written.value_source("product"), f"unknown product '{mapping.product}'{hint}"
        )
        return None
    attribute = product.attribute(mapping.attribute)
    if attribute is None:
        hint = did_you_mean(mapping.attribute, [a.id for a in product.attributes])
        problems.error(
            written.value_source("attribute"),
            f"unknown attribute '{mapping.attribute}' in product '{product.id}'{hint}",
        )
        return None
    named = f"'{attribute.id}' of '{product.id}'"
    if question.kind == "text" and attribute.kind != "text":
        problems.error(
            written.value_source("attribute"),
            f"{named} is a choice attribute: a text question can only fill a text attribute",
        )
        return None
    if question.kind != "text" and attribute.kind == "text":
        problems.error(
            written.value_source("attribute"),
            f"{named} is a text attribute: a {question.kind} question maps its answers "
            "to the options of a choice attribute",
        )
        return None
    return attribute


def _check_map(
    question: Question,
    mapping: Mapping,
    attribute: Attribute,
    written: YamlMap,
    answers: dict | None,
    problems: Problems,
) -> Mapping:
    """Each `answer: option` pair: a real answer of the question (unless it lists none, which is
    reported already), a real option of the attribute. An id an option `replaces` (an option
    renamed) stands for that option: the mapping returned holds the current ids."""
    pairs = written.get("map")
    if not isinstance(pairs, YamlMap):
        return mapping
    renamed = {old: o.id for o in attribute.options for old in o.replaces}
    current = []
    for answer, option in mapping.options:
        option = renamed.get(option, option)
        current.append((answer, option))
        if question.kind == "text":
            if answer != ANY:
                problems.error(pairs.key_source(answer), TEXT_MAP)
            elif option != ANY:
                problems.error(pairs.value_source(answer), TEXT_MAP)
            continue
        if answers is not None and answer not in answers:
            problems.error(
                pairs.key_source(answer),
                f"'{answer}' is not an answer of question '{question.key}'"
                f"{did_you_mean(answer, answers)}",
            )
        if attribute.option(option) is None:
            problems.error(
                pairs.value_source(answer),
                f"'{option}' is not an option of '{attribute.id}'"
                f"{did_you_mean(option, attribute.option_ids)}",
            )
    return replace(mapping, options=tuple(current))
