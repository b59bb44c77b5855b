"""Saved designs: keep what a shopper declared (their choices, their text, a name), with their consent.

A *keyring* holds a shopper's designs without an account: its secret lives only in the
shopper's cookie (and their keyring link); the database keeps its SHA-256. Every link is
derived from a secret and a stored salt (HMAC-SHA256), so the database holds no link
either, only each link's SHA-256, and only whoever holds the secret can show a link
again: a design's private link from the keyring's secret, its share links from the
private link. Look-ups go by the hash of the presented token (the secret itself is never
compared byte by byte); anything unknown, revoked or expired is `NotFound`.

Prices, SKUs and previews are never stored: a saved design is shown by configuring its
choices again (`designs.review`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from marshmallow import ValidationError
from marshmallow.validate import Email
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from configurator.store import (
    ConsentEvent,
    Keyring,
    NoticeText,
    Preference,
    SavedDesign,
    ShareLink,
)

from . import designs, evolution, outbox
from .notices import Notice, notice
from .state import DesignState

PURPOSE = "keep-designs"
EMAIL_PURPOSE = "email-keyring-link"
EMAIL_CHARS = 254
NAME_CHARS = 120
SECRET_BYTES = 32  # the keyring's secret: 256 bits
LINK_CHARS = 32  # a link's token: 192 bits of an HMAC
MAX_DESIGNS = 200  # per keyring
SHARE_DAYS = (7, 30, 90, None)  # the expiries a shopper can pick (None: until revoked)


class NotFound(LookupError):
    """No such keyring, design or link (or it was revoked, or it expired)."""


class ConsentNeeded(ValueError):
    """Nothing is kept without the shopper's explicit consent to the current notice."""


class Refused(ValueError):
    """Input that cannot be saved as it is; the message says why."""


@dataclass(frozen=True)
class Share:
    token: str
    created_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True)
class Saved:
    """A saved design as its owner sees it."""

    token: str  # the private link's token
    name: str
    product_id: str
    catalog_version: str
    choices: tuple[tuple[str, str], ...]
    created_at: datetime
    updated_at: datetime
    last_opened_at: datetime
    shares: tuple[Share, ...] = ()
    saved_total: str | None = None  # the total shown when it was last saved

    @property
    def selections(self) -> dict[str, str]:
        return dict(self.choices)


@dataclass(frozen=True)
class Stored:
    """What a save did: the design, and the keyring's secret when the save created it."""

    design: Saved
    new_secret: str | None


# -- notice ---------------------------------------------------------------------------


def current_notice(ctx) -> Notice:
    """The notice a shopper sees before keeping designs (docs/PRIVACY.md quotes it)."""
    return notice(PURPOSE, retention_days=ctx.settings.retention_days)


def email_notice(ctx) -> Notice:
    """The notice beside the "send my keyring link" box."""
    return notice(EMAIL_PURPOSE, retention_days=ctx.settings.retention_days)


# -- keyrings -------------------------------------------------------------------------


def has_keyring(ctx, secret: str | None) -> bool:
    if not secret:
        return False
    with ctx.database.session() as session:
        return _keyring(session, secret) is not None


def delete_keyring(ctx, secret: str | None) -> None:
    """Erase a keyring: every design, share link, consent event and queued message with it."""
    with ctx.database.session() as session:
        keyring = _keyring(session, secret) if secret else None
        if keyring is None:
            raise NotFound("keyring")
        session.execute(delete(Keyring).where(Keyring.id == keyring.id))


def email_keyring_link(
    ctx,
    secret: str | None,
    *,
    address: str,
    link: str,
    consent: bool,
    notice_sha256: str | None,
    now: datetime | None = None,
) -> None:
    """Queue one message holding the keyring link to an address the shopper typed, with its
    own consent event, in one transaction; the address goes when the message is sent."""
    now = now or _now()
    address = address.strip()
    try:
        Email()(address)
    except ValidationError:
        address = ""
    if not address or len(address) > EMAIL_CHARS:
        raise Refused("Type an e-mail address such as name@example.com.")
    shown = email_notice(ctx)
    if not consent:
        raise ConsentNeeded("Tick the box to have the link sent to this address.")
    if notice_sha256 != shown.sha256:
        raise ConsentNeeded(
            "The notice changed since this page was shown: read it again and tick the box."
        )
    with ctx.database.session() as session:
        keyring = _keyring(session, secret) if secret else None
        if keyring is None:
            raise NotFound("keyring")
        record_consent(
            session, keyring.id, shown, "keyring page: ticked box", granted=True, now=now
        )
        outbox.enqueue(
            session,
            recipient=address,
            subject="Your saved designs: your keyring link",
            body=(
                "Hello,\n\nYou asked us to send you the private link to your saved designs:\n\n"
                f"    {link}\n\n"
                "Open it on any device to see, change or delete them. Keep it private: "
                "anyone who has it can open your designs.\n\n"
                "We have now deleted your e-mail address: we will not write again.\n"
            ),
            keyring_id=keyring.id,
            now=now,
        )


def list_designs(ctx, secret: str | None) -> tuple[Saved, ...]:
    """The keyring's designs, most recently opened first (NotFound without a keyring)."""
    with ctx.database.session() as session:
        keyring = _keyring(session, secret) if secret else None
        if keyring is None:
            raise NotFound("keyring")
        rows = session.scalars(
            select(SavedDesign)
            .where(SavedDesign.keyring_id == keyring.id)
            .order_by(SavedDesign.last_opened_at.desc(), SavedDesign.id.desc())
        ).all()
        return tuple(_saved(row, _link(secret, row.token_salt)) for row in rows)


# -- designs --------------------------------------------------------------------------


def save(
    ctx,
    *,
    secret: str | None,
    product_id: str,
    raw: Mapping[str, object],
    name: str,
    consent: bool = False,
    notice_sha256: str | None = None,
    method: str = "form",
    strict: bool = False,
    now: datetime | None = None,
) -> Stored:
    """Keep a design in the shopper's keyring, creating the keyring (and recording the
    consent event, in the same transaction) when they have none yet. Only the shopper's
    own choices are kept, not what the shop suggested. `strict` (the API): selections that
    do not check out are refused (designs.InvalidSelections), not left out."""
    now = now or _now()
    state = designs.configure(ctx, product_id, raw, reasons=False, strict=strict)
    choices = _choices(state)
    name = _name(name, state)
    with ctx.database.session() as session:
        keyring = _keyring(session, secret) if secret else None
        new_secret = None
        if keyring is None:
            shown = current_notice(ctx)
            if not consent:
                raise ConsentNeeded("Tick the box to keep designs on this site.")
            if notice_sha256 != shown.sha256:
                raise ConsentNeeded(
                    "The notice changed since this page was shown: read it again and tick the box."
                )
            keyring, new_secret = new_keyring(session, now)
            record_consent(session, keyring.id, shown, method, granted=True, now=now)
            secret = new_secret
        count = session.scalar(select(func.count()).where(SavedDesign.keyring_id == keyring.id))
        if count >= MAX_DESIGNS:
            raise Refused(f"A keyring holds at most {MAX_DESIGNS} designs: delete some first.")
        salt = secrets.token_hex(16)
        token = _link(secret, salt)
        evolution.record_version(session, state.product)
        row = SavedDesign(
            keyring_id=keyring.id,
            token_salt=salt,
            token_hash=_hash(token),
            product_id=state.product.id,
            catalog_version=state.product.version,
            name=name,
            choices=[list(pair) for pair in choices],
            saved_total=format(state.total, "f"),
            created_at=now,
            updated_at=now,
            last_opened_at=now,
        )
        session.add(row)
        session.flush()
        return Stored(_saved(row, token), new_secret)


def update(
    ctx,
    token: str,
    raw: Mapping[str, object],
    *,
    name: str | None = None,
    strict: bool = False,
    now: datetime | None = None,
) -> Saved:
    """Replace a saved design's choices (and name) with these (its private link is the key)."""
    now = now or _now()
    with ctx.database.session() as session:
        row = _design(session, token)
        state = designs.configure(ctx, row.product_id, raw, reasons=False, strict=strict)
        if name is not None:
            row.name = _name(name, state)
        row.choices = [list(pair) for pair in _choices(state)]
        evolution.record_version(session, state.product)
        row.catalog_version = state.product.version
        row.saved_total = format(state.total, "f")
        row.updated_at = row.last_opened_at = now
        return _saved(row, token, _shares(session, row, token))


def peek(ctx, token: str) -> Saved:
    """A saved design by its private link, without counting as an opening (the save page
    offering "Save changes to ...", the privacy export)."""
    with ctx.database.session() as session:
        row = _design(session, token)
        return _saved(row, token, _shares(session, row, token))


def open_design(ctx, token: str, *, now: datetime | None = None) -> Saved:
    """A saved design by its private link; opening it restarts its retention period."""
    with ctx.database.session() as session:
        row = _design(session, token)
        row.last_opened_at = now or _now()
        return _saved(row, token, _shares(session, row, token, now))


def rename(ctx, token: str, name: str, *, now: datetime | None = None) -> Saved:
    with ctx.database.session() as session:
        row = _design(session, token)
        cleaned = name.strip()
        if not cleaned:
            raise Refused("Give the design a name.")
        if len(cleaned) > NAME_CHARS:
            raise Refused(f"A name has at most {NAME_CHARS} characters.")
        row.name = cleaned
        row.updated_at = now or _now()
        return _saved(row, token)


def duplicate(ctx, secret: str | None, token: str, *, now: datetime | None = None) -> Saved:
    """A copy of a design in the same keyring (only its holder can make one: the copy's
    link comes from the keyring's secret)."""
    now = now or _now()
    with ctx.database.session() as session:
        keyring = _keyring(session, secret) if secret else None
        row = _design(session, token)
        if keyring is None or row.keyring_id != keyring.id:
            raise NotFound("design")
        salt = secrets.token_hex(16)
        copy_token = _link(secret, salt)
        copy = SavedDesign(
            keyring_id=keyring.id,
            token_salt=salt,
            token_hash=_hash(copy_token),
            product_id=row.product_id,
            catalog_version=row.catalog_version,
            name=_copy_name(row.name),
            choices=[list(pair) for pair in row.choices],
            saved_total=row.saved_total,
            created_at=now,
            updated_at=now,
            last_opened_at=now,
        )
        session.add(copy)
        session.flush()
        return _saved(copy, copy_token)


def delete_design(ctx, token: str) -> bool:
    """Delete a design and its share links; True when its keyring is now empty."""
    with ctx.database.session() as session:
        row = _design(session, token)
        keyring_id = row.keyring_id
        session.execute(delete(SavedDesign).where(SavedDesign.id == row.id))
        left = session.scalar(select(func.count()).where(SavedDesign.keyring_id == keyring_id))
        return left == 0


# -- share links ----------------------------------------------------------------------


def share(ctx, token: str, *, days: int | None = 30, now: datetime | None = None) -> Share:
    """A read-only link to the design, expiring after `days` (None: until revoked)."""
    if days not in SHARE_DAYS:
        raise Refused("Pick how long the link should work.")
    now = now or _now()
    with ctx.database.session() as session:
        row = _design(session, token)
        salt = secrets.token_hex(16)
        share_token = _link(token, salt)
        expires = now + timedelta(days=days) if days else None
        session.add(
            ShareLink(
                design_id=row.id,
                token_salt=salt,
                token_hash=_hash(share_token),
                created_at=now,
                expires_at=expires,
            )
        )
        return Share(share_token, now, expires)


def revoke(ctx, token: str, share_token: str, *, now: datetime | None = None) -> None:
    with ctx.database.session() as session:
        row = _design(session, token)
        link = session.scalar(
            select(ShareLink).where(
                ShareLink.token_hash == _hash(share_token),
                ShareLink.design_id == row.id,
                ShareLink.revoked_at.is_(None),
            )
        )
        if link is None:
            raise NotFound("share link")
        link.revoked_at = now or _now()


def open_shared(ctx, share_token: str, *, now: datetime | None = None) -> Saved:
    """The design behind a share link, for a viewer: its choices only (the name stays the
    owner's, and so do the private link and the keyring)."""
    now = now or _now()
    with ctx.database.session() as session:
        link = session.scalar(select(ShareLink).where(ShareLink.token_hash == _hash(share_token)))
        if link is None or link.revoked_at is not None or _expired(link, now):
            raise NotFound("share link")
        row = session.get(SavedDesign, link.design_id)
        return Saved(
            token="",
            name="",
            product_id=row.product_id,
            catalog_version=row.catalog_version,
            choices=tuple((a, v) for a, v in row.choices),
            created_at=row.created_at,
            updated_at=row.updated_at,
            last_opened_at=row.last_opened_at,
            saved_total=row.saved_total,
        )


def today(ctx, saved: Saved) -> evolution.Evolution:
    """The saved design under today's catalog, and what changed since it was saved."""
    return evolution.evolve(
        ctx, saved.product_id, saved.catalog_version, saved.choices, saved.saved_total
    )


def shown(ctx, saved: Saved) -> DesignState:
    """The saved design as it is today: configured again under the loaded catalog."""
    return today(ctx, saved).state


def bring_up_to_date(ctx, token: str, *, now: datetime | None = None) -> Saved:
    """One click: keep the design as today's catalog has it (renamed ids, removed choices
    left out, a clash repaired), at today's price."""
    current = peek(ctx, token)
    found = today(ctx, current)
    return update(ctx, token, dict(found.repaired or found.choices), now=now)


# -- retention ------------------------------------------------------------------------


def purge(ctx, *, now: datetime | None = None) -> tuple[int, int]:
    """Delete designs not opened, and preferences not given again, within the retention
    period, then keyrings left holding nothing (with their consent events). Returns
    (designs and preferences, keyrings) deleted."""
    now = now or _now()
    cutoff = now - timedelta(days=ctx.settings.retention_days)
    with ctx.database.session() as session:
        gone = session.execute(
            delete(SavedDesign).where(SavedDesign.last_opened_at < cutoff)
        ).rowcount
        gone += session.execute(delete(Preference).where(Preference.updated_at < cutoff)).rowcount
        holding = select(SavedDesign.keyring_id).union(select(Preference.keyring_id))
        keyrings_gone = session.execute(
            delete(Keyring).where(Keyring.id.not_in(holding), Keyring.created_at < cutoff)
        ).rowcount
    return gone, keyrings_gone


# -- helpers --------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _link(secret: str, salt: str) -> str:
    """A link's token: an HMAC of its salt under the secret it hangs from."""
    mac = hmac.new(secret.encode("utf-8"), salt.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii")[:LINK_CHARS]


def new_keyring(session, now: datetime) -> tuple[Keyring, str]:
    """A keyring in the caller's transaction, and its secret (for the shopper's cookie only)."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    keyring = Keyring(secret_hash=_hash(secret), created_at=now)
    session.add(keyring)
    session.flush()
    return keyring, secret


def keyring_row(session, secret: str | None) -> Keyring | None:
    """The keyring a secret opens, looked up by its hash (None: no such keyring)."""
    return _keyring(session, secret) if secret else None


def _keyring(session, secret: str) -> Keyring | None:
    return session.scalar(select(Keyring).where(Keyring.secret_hash == _hash(secret)))


def _design(session, token: str) -> SavedDesign:
    if not token or len(token) > 200:
        raise NotFound("design")
    row = session.scalar(select(SavedDesign).where(SavedDesign.token_hash == _hash(token)))
    if row is None:
        raise NotFound("design")
    return row


def _shares(session, row: SavedDesign, token: str, now: datetime | None = None) -> tuple:
    now = now or _now()
    links = session.scalars(
        select(ShareLink)
        .where(ShareLink.design_id == row.id, ShareLink.revoked_at.is_(None))
        .order_by(ShareLink.created_at, ShareLink.id)
    ).all()
    return tuple(
        Share(
            _link(token, link.token_salt), stored_utc(link.created_at), stored_utc(link.expires_at)
        )
        for link in links
        if not _expired(link, now)
    )


def _expired(link: ShareLink, now: datetime) -> bool:
    return link.expires_at is not None and stored_utc(link.expires_at) <= now


def stored_utc(moment: datetime | None) -> datetime | None:
    """A time read back from the database, aware: SQLite hands back naive datetimes, and
    every time was stored as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _saved(row: SavedDesign, token: str, shares: tuple[Share, ...] = ()) -> Saved:
    return Saved(
        token=token,
        name=row.name,
        product_id=row.product_id,
        catalog_version=row.catalog_version,
        choices=tuple((a, v) for a, v in row.choices),
        created_at=stored_utc(row.created_at),
        updated_at=stored_utc(row.updated_at),
        last_opened_at=stored_utc(row.last_opened_at),
        shares=shares,
        saved_total=row.saved_total,
    )


def _choices(state: DesignState) -> tuple[tuple[str, str], ...]:
    """The shopper's own choices, in their order: never the suggestions."""
    return tuple((a, v) for a, v in state.requested if v != "")


def _name(name: str, state: DesignState) -> str:
    cleaned = " ".join(name.split())
    if len(cleaned) > NAME_CHARS:
        raise Refused(f"A name has at most {NAME_CHARS} characters.")
    return cleaned or f"My {state.product.name}"


def _copy_name(name: str) -> str:
    return (f"Copy of {name}")[:NAME_CHARS]


def record_consent(
    session, keyring_id: int, shown: Notice, method: str, *, granted: bool, now: datetime
) -> None:
    """A ledger entry (this keyring granted or withdrew this notice's purpose, so, now), and
    the notice's exact text kept by its hash if it is new, in the caller's transaction."""
    row = {
        "sha256": shown.sha256,
        "purpose": shown.purpose,
        "version": shown.version,
        "text": shown.text,
        "first_shown_at": now,
    }
    # two first consents at once under a new text both land: insert unless already there
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(NoticeText).values(**row).on_conflict_do_nothing())
    session.add(consent_event(keyring_id, shown, method, granted=granted, now=now))


def notice_text(ctx, sha256: str) -> Notice:
    """A notice as it was shown, by its hash (NotFound: never shown with a consent box)."""
    with ctx.database.session() as session:
        row = session.get(NoticeText, sha256) if len(sha256) == 64 else None
        if row is None:
            raise NotFound("notice")
        return Notice(row.purpose, row.version, row.text)


def consent_event(keyring_id: int, shown: Notice, method: str, *, granted: bool, now: datetime):
    """A ledger entry: this keyring granted (or withdrew) this notice's purpose, so, now."""
    return ConsentEvent(
        keyring_id=keyring_id,
        purpose=shown.purpose,
        notice_version=shown.version,
        notice_sha256=shown.sha256,
        method=method,
        granted=granted,
        at=now,
    )
