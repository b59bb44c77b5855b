"""The privacy centre's verbs: everything held for a keyring in one place, exported, withdrawn by
purpose, erased, and a receipt for each consent.

The export is the whole of what we hold, nothing derived: saved designs (as saved),
preferences (as given), the consent ledger, and e-mail addresses waiting in the outbox.
Its shape is published as a JSON Schema (`docs/privacy-export.schema.json`) and tested.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select

from configurator.store import ConsentEvent, Order, OutboxMessage, SavedDesign

from . import preferences, saving

CONTROLLER = "The shop's operator (see the site's imprint)"
FORMAT = "configurator-privacy-export/1"


@dataclass(frozen=True)
class Consent:
    id: int
    purpose: str
    notice_version: str
    notice_sha256: str
    method: str
    granted: bool
    at: datetime


@dataclass(frozen=True)
class Holdings:
    """Everything held for one keyring."""

    designs: tuple[saving.Saved, ...]
    preferences: tuple[preferences.Declared, ...]
    consents: tuple[Consent, ...]  # newest first
    emails: tuple[str, ...]  # addresses waiting in the outbox (deleted once sent)
    orders: tuple[dict, ...] = ()  # placed with this keyring: number, status, details


def holdings(ctx, secret: str | None) -> Holdings:
    """What we hold for this keyring (NotFound without one)."""
    designs = saving.list_designs(ctx, secret)  # raises NotFound
    declared = tuple(preferences.declared(ctx, secret).values())
    with ctx.database.session() as session:
        keyring = saving.keyring_row(session, secret)
        events = session.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.keyring_id == keyring.id)
            .order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc())
        ).all()
        placed = session.scalars(
            select(Order).where(Order.keyring_id == keyring.id).order_by(Order.id)
        ).all()
        order_rows = tuple(
            {
                "number": o.number,
                "status": o.status,
                "product": o.product_id,
                "quantity": o.quantity,
                "total": o.total,
                "currency": o.currency,
                "placed_at": _iso(o.created_at),
                "name": o.name,
                "email": o.email,
                "address": o.address,
                "phone": o.phone,
                "note": o.note,
            }
            for o in placed
        )
        emails = session.scalars(
            select(OutboxMessage.recipient)
            .where(OutboxMessage.keyring_id == keyring.id)
            .order_by(OutboxMessage.id)
        ).all()
        consents = tuple(
            Consent(
                e.id,
                e.purpose,
                e.notice_version,
                e.notice_sha256,
                e.method,
                e.granted,
                saving.stored_utc(e.at),
            )
            for e in events
        )
    return Holdings(designs, declared, consents, tuple(emails), order_rows)


def export(ctx, secret: str | None, *, now: datetime | None = None) -> dict:
    """The whole of what we hold, as JSON-ready data (docs/privacy-export.schema.json)."""
    held = holdings(ctx, secret)
    return {
        "format": FORMAT,
        "exported_at": _iso(now or datetime.now(UTC)),
        "controller": CONTROLLER,
        "designs": [
            {
                "name": d.name,
                "product": d.product_id,
                "catalog_version": d.catalog_version,
                "choices": [{"attribute": a, "value": v} for a, v in d.choices],
                "created_at": _iso(d.created_at),
                "updated_at": _iso(d.updated_at),
                "last_opened_at": _iso(d.last_opened_at),
                "share_links": [
                    {
                        "created_at": _iso(s.created_at),
                        "expires_at": _iso(s.expires_at) if s.expires_at else None,
                    }
                    for s in saving.peek(ctx, d.token).shares
                ],
            }
            for d in held.designs
        ],
        "preferences": [
            {
                "question": p.question.key,
                "question_text": p.question.question,
                "answers": list(p.answers),
                "given_at": _iso(p.at),
            }
            for p in held.preferences
        ],
        "consents": [_consent(c) for c in held.consents],
        "emails_waiting": list(held.emails),
        "orders": [dict(o) for o in held.orders],
    }


def export_csv(ctx, secret: str | None, *, now: datetime | None = None) -> bytes:
    """The same as `export`, as a zip holding one CSV per kind."""
    data = export(ctx, secret, now=now)
    tables = {
        "designs.csv": (
            ["name", "product", "catalog_version", "choices", "created_at", "updated_at"],
            [
                [
                    d["name"],
                    d["product"],
                    d["catalog_version"],
                    "; ".join(f"{c['attribute']}={c['value']}" for c in d["choices"]),
                    d["created_at"],
                    d["updated_at"],
                ]
                for d in data["designs"]
            ],
        ),
        "preferences.csv": (
            ["question", "question_text", "answers", "given_at"],
            [
                [p["question"], p["question_text"], "; ".join(p["answers"]), p["given_at"]]
                for p in data["preferences"]
            ],
        ),
        "consents.csv": (
            ["id", "purpose", "granted", "at", "method", "notice_version", "notice_sha256"],
            [
                [
                    c["id"],
                    c["purpose"],
                    c["granted"],
                    c["at"],
                    c["method"],
                    c["notice_version"],
                    c["notice_sha256"],
                ]
                for c in data["consents"]
            ],
        ),
        "emails.csv": (["address"], [[e] for e in data["emails_waiting"]]),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (header, rows) in tables.items():
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(header)
            writer.writerows(rows)
            archive.writestr(name, text.getvalue())
    return out.getvalue()


def withdraw(ctx, secret: str | None, purpose: str, *, now: datetime | None = None) -> None:
    """Withdraw one purpose's consent: recorded in the ledger, and the data kept only for it
    deleted at once (keep-designs: every design and its links; a preference: its answer;
    the e-mailed link: addresses still waiting)."""
    now = now or datetime.now(UTC)
    if purpose.startswith("preference:"):
        preferences.withdraw(
            ctx, secret, purpose.removeprefix("preference:"), method="privacy centre"
        )
        return
    notices = {
        saving.PURPOSE: saving.current_notice(ctx),
        saving.EMAIL_PURPOSE: saving.email_notice(ctx),
    }
    if purpose not in notices:
        raise saving.NotFound("purpose")
    with ctx.database.session() as session:
        keyring = saving.keyring_row(session, secret)
        if keyring is None:
            raise saving.NotFound("keyring")
        if purpose == saving.PURPOSE:
            session.execute(delete(SavedDesign).where(SavedDesign.keyring_id == keyring.id))
        else:
            session.execute(delete(OutboxMessage).where(OutboxMessage.keyring_id == keyring.id))
        saving.record_consent(
            session, keyring.id, notices[purpose], "privacy centre", granted=False, now=now
        )


def erase(ctx, secret: str | None) -> None:
    """Delete everything: designs, share links, preferences, consent events, queued e-mail,
    the keyring. Nothing about this shopper is left (docs/PRIVACY.md)."""
    saving.delete_keyring(ctx, secret)


def receipt(ctx, secret: str | None, consent_id: int) -> dict:
    """A consent receipt for one ledger entry of this keyring (after the Kantara Initiative's
    Consent Receipt: who, what purpose, under which notice, when, how, how to withdraw)."""
    held = holdings(ctx, secret)
    found = next((c for c in held.consents if c.id == consent_id), None)
    if found is None:
        raise saving.NotFound("consent")
    return {
        "version": "KI-CR-v1.1.0 (adapted)",
        "receipt_id": f"consent-{found.id}",
        "controller": CONTROLLER,
        "purpose": found.purpose,
        "granted": found.granted,
        "consent_timestamp": _iso(found.at),
        "collection_method": found.method,
        "notice": {"version": found.notice_version, "sha256": found.notice_sha256},
        "data_categories": _categories(found.purpose),
        "sharing": "none: never shared with anyone",
        "withdraw": "On the privacy centre (/privacy): 'Withdraw', or 'Delete everything'.",
    }


def _categories(purpose: str) -> list[str]:
    if purpose == saving.PURPOSE:
        return ["design choices", "typed design text", "design names"]
    if purpose == saving.EMAIL_PURPOSE:
        return ["e-mail address (until the message is sent)"]
    return ["the answer to one question"]


def _consent(c: Consent) -> dict:
    return {
        "id": c.id,
        "purpose": c.purpose,
        "granted": c.granted,
        "at": _iso(c.at),
        "method": c.method,
        "notice_version": c.notice_version,
        "notice_sha256": c.notice_sha256,
    }


def _iso(moment: datetime) -> str:
    return saving.stored_utc(moment).isoformat()
