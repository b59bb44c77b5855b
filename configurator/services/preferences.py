"""Declared preferences: a shopper's explicit answers to the catalog's questions, each with its
own consent, used visibly and withdrawn in one click.

Nothing is ever inferred: the only writer of a preference is `declare`, called from the
shopper's own submit (a test drives the shop and checks the table stays unchanged). Each
question's notice is its own text (the question, its purpose, retention, withdrawal),
versioned by its content, so a consent event names the exact words agreed to.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select

from configurator.catalog.model import Question
from configurator.store import Preference

from . import saving
from .notices import Notice

NOTICE = """{question}

What we keep: your answer, and the date you gave it.

Why: {purpose}

How long: until you withdraw it, or {months} months after you last gave it.

Never shared: we never use it for anything else and never share it. Withdraw it with "Don't use this" wherever it is used, or on your preferences page: it is deleted at once.
"""


class NotAsked(LookupError):
    """The catalog asks no such question."""


@dataclass(frozen=True)
class Declared:
    """A stored answer, as the shopper gave it."""

    question: Question
    answers: tuple[str, ...]
    at: datetime  # when last given

    @property
    def labels(self) -> tuple[str, ...]:
        if self.question.kind == "text":
            return self.answers
        return tuple(
            (self.question.answer(a).label if self.question.answer(a) else a) for a in self.answers
        )


@dataclass(frozen=True)
class Preselect:
    """What a declared answer pre-selects on one product's page."""

    attribute: str
    option: str
    key: str  # the question
    question: str
    answer: str  # its label
    at: datetime


def questions(ctx) -> tuple[Question, ...]:
    return ctx.catalogs.catalog.questions


def question(ctx, key: str) -> Question:
    found = ctx.catalogs.catalog.question(key)
    if found is None:
        raise NotAsked(key)
    return found


def notice_for(ctx, asked: Question) -> Notice:
    """The words beside a question's consent box; the version is the text's own hash."""
    months = max(1, round(ctx.settings.retention_days / 30.4375))
    text = NOTICE.format(question=asked.question, purpose=asked.purpose, months=months)
    version = "q-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Notice(f"preference:{asked.key}", version, text)


def declared(ctx, secret: str | None) -> dict[str, Declared]:
    """Every answer this keyring holds, by question key (questions no longer asked left out)."""
    if not secret:
        return {}
    with ctx.database.session() as session:
        keyring = saving.keyring_row(session, secret)
        if keyring is None:
            return {}
        rows = session.scalars(
            select(Preference).where(Preference.keyring_id == keyring.id).order_by(Preference.key)
        ).all()
        out = {}
        for row in rows:
            asked = ctx.catalogs.catalog.question(row.key)
            if asked is not None:
                out[row.key] = Declared(
                    asked, tuple(row.answers), saving.stored_utc(row.updated_at)
                )
        return out


def declare(
    ctx,
    secret: str | None,
    key: str,
    answers: list[str],
    *,
    consent: bool,
    notice_sha256: str | None,
    method: str = "preferences page: ticked box",
    now: datetime | None = None,
) -> str | None:
    """Store one answer with its consent event (one transaction). Answering makes a keyring
    if the shopper has none: returns its new secret (for their cookie), else None."""
    now = now or datetime.now(UTC)
    asked = question(ctx, key)
    cleaned = _checked(asked, answers)
    shown = notice_for(ctx, asked)
    if not consent:
        raise saving.ConsentNeeded(f"Tick the box to let us use your answer: {asked.purpose}")
    if notice_sha256 != shown.sha256:
        raise saving.ConsentNeeded(
            "The wording changed since this page was shown: read it again and tick the box."
        )
    with ctx.database.session() as session:
        keyring = saving.keyring_row(session, secret)
        new_secret = None
        if keyring is None:
            keyring, new_secret = saving.new_keyring(session, now)
        row = session.scalar(
            select(Preference).where(Preference.keyring_id == keyring.id, Preference.key == key)
        )
        if row is None:
            session.add(
                Preference(
                    keyring_id=keyring.id, key=key, answers=cleaned, created_at=now, updated_at=now
                )
            )
        else:
            row.answers, row.updated_at = cleaned, now
        saving.record_consent(session, keyring.id, shown, method, granted=True, now=now)
        return new_secret


def withdraw(
    ctx, secret: str | None, key: str, *, method: str = "one click", now: datetime | None = None
) -> bool:
    """Withdraw a question's consent: the answer is deleted at once and the withdrawal is
    recorded. False when there was nothing to withdraw."""
    now = now or datetime.now(UTC)
    asked = question(ctx, key)
    with ctx.database.session() as session:
        keyring = saving.keyring_row(session, secret)
        if keyring is None:
            return False
        gone = session.execute(
            delete(Preference).where(Preference.keyring_id == keyring.id, Preference.key == key)
        ).rowcount
        if gone:
            shown = notice_for(ctx, asked)
            saving.record_consent(session, keyring.id, shown, method, granted=False, now=now)
        return bool(gone)


@dataclass(frozen=True)
class Wish:
    """A declared taste, as a soft wish for one option of one product."""

    attribute: str
    option: str
    key: str
    question: str
    answer: str  # its label
    at: datetime


def wishes(ctx, secret: str | None, product_id: str) -> tuple[Wish, ...]:
    """The shopper's declared tastes for one product, in question and answer order."""
    out = []
    for key, found in declared(ctx, secret).items():
        asked = found.question
        if asked.kind != "choices":
            continue
        for mapping in asked.wishes:
            if mapping.product != product_id:
                continue
            for answer, label in zip(found.answers, found.labels, strict=True):
                option = mapping.option_for(answer)
                if option is not None:
                    out.append(
                        Wish(mapping.attribute, option, key, asked.question, label, found.at)
                    )
    return tuple(out)


def preselections(ctx, secret: str | None, product_id: str) -> tuple[Preselect, ...]:
    """What this shopper's answers pre-select on one product's page, in question order."""
    out = []
    for key, found in declared(ctx, secret).items():
        asked = found.question
        if asked.kind not in ("choice", "text") or not found.answers:
            continue
        for mapping in asked.preselects:
            if mapping.product != product_id:
                continue
            # a text answer is offered as typed (`"*": "*"`)
            typed = asked.kind == "text"
            option = found.answers[0] if typed else mapping.option_for(found.answers[0])
            if option is not None:
                out.append(
                    Preselect(
                        mapping.attribute, option, key, asked.question, found.labels[0], found.at
                    )
                )
    return tuple(out)


def _checked(asked: Question, answers: list[str]) -> list[str]:
    answers = [a.strip() for a in answers if isinstance(a, str) and a.strip()]
    if not answers:
        raise saving.Refused("Choose an answer." if asked.kind != "text" else "Type an answer.")
    if asked.kind == "text":
        text = answers[0]
        if len(text) > asked.max_length or (
            asked.pattern and not re.fullmatch(asked.pattern, text)
        ):
            raise saving.Refused(
                f"That answer does not fit: at most {asked.max_length} characters."
            )
        return [text]
    known = [a.id for a in asked.answers]
    unknown = [a for a in answers if a not in known]
    if unknown:
        raise saving.Refused("Choose one of the answers offered.")
    if asked.kind == "choice" and len(set(answers)) != 1:
        raise saving.Refused("Choose one answer.")
    return [a for a in known if a in answers]  # the catalog's order, each once
