"""Staff accounts, their sign-in sessions and API tokens: the people (and systems) who fulfil
orders and keep the catalog.

Passwords are argon2id hashes (argon2-cffi). A sign-in creates a `StaffSession` row and
hands back a random token (the cookie carries it, the database its SHA-256 only); the
session dies on the server at sign-out, when the account is disabled, or when its role
changes (the row keeps the role it was opened with). API tokens are bearer secrets scoped
to a role, stored as their SHA-256, revocable. Unknown, ended or revoked are all `None`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update

from configurator.store import ApiToken, StaffSession, StaffUser

from . import audit
from .saving import stored_utc

ROLES = ("fulfillment", "merchandiser", "admin")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
SETUP_DAYS = 7
SEEN_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often
TOKEN_PREFIX = "cfg_"
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")

hasher = PasswordHasher()
# verified against when the e-mail is unknown, so both cases cost one argon2 verification
_DUMMY = hasher.hash(secrets.token_urlsafe(16))


class StaffError(ValueError):
    """A staff command that cannot be done as asked; the message says why."""


class SignInRefused(ValueError):
    """Wrong e-mail or password, or a disabled account: one message for all three."""


@dataclass(frozen=True)
class Member:
    """Who is signed in (or which token calls): enough to check access and to audit."""

    id: int
    email: str
    role: str
    actor: str  # "staff:<id>" or "token:<id>", for the audit log and order events


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _email(value: str) -> str:
    email = (value or "").strip().lower()
    if not EMAIL.match(email) or len(email) > 320:
        raise StaffError(f"Not an e-mail address: {value!r}.")
    return email


def _role(role: str) -> str:
    if role not in ROLES:
        raise StaffError(f"Role must be one of {', '.join(ROLES)}, not {role!r}.")
    return role


def check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise StaffError(f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise StaffError(f"A password has at most {MAX_PASSWORD} characters.")


def add(
    ctx, email: str, role: str, password: str | None = None, *, now: datetime | None = None
) -> str | None:
    """Create an account. Without a password, returns a one-time set-password token (valid
    SETUP_DAYS days) for the link `/staff/setup/<token>`."""
    now = now or datetime.now(UTC)
    email, role = _email(email), _role(role)
    if password is not None:
        check_password(password)
    setup = None if password is not None else secrets.token_urlsafe(32)
    with ctx.database.session() as session:
        if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
            raise StaffError(f"{email} already has an account.")
        user = StaffUser(
            email=email,
            role=role,
            password_hash=hasher.hash(password) if password is not None else None,
            setup_token_hash=_sha(setup) if setup else None,
            setup_expires_at=now + timedelta(days=SETUP_DAYS) if setup else None,
            created_at=now,
        )
        session.add(user)
        session.flush()
        audit.record(session, actor="cli", action="staff.added", detail={"role": role}, now=now)
    return setup


def setup_email(ctx, token: str, *, now: datetime | None = None) -> str | None:
    """The e-mail a set-password token is for, or None (unknown, used or expired)."""
    now = now or datetime.now(UTC)
    if not token or len(token) > 100:
        return None
    with ctx.database.session() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.setup_token_hash == _sha(token)))
        if user is None or user.disabled_at is not None or stored_utc(user.setup_expires_at) < now:
            return None
        return user.email


def set_password(ctx, token: str, password: str, *, now: datetime | None = None) -> str:
    """Use a set-password token once; returns the account's e-mail."""
    now = now or datetime.now(UTC)
    check_password(password)
    if setup_email(ctx, token, now=now) is None:
        raise StaffError("This link is unknown, used or expired: ask an admin for a new one.")
    with ctx.database.session() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.setup_token_hash == _sha(token)))
        user.password_hash = hasher.hash(password)
        user.setup_token_hash = None
        user.setup_expires_at = None
        _end_sessions(session, user.id, now)
        return user.email


def members(ctx) -> list[dict]:
    """Every account: e-mail, role, state, created."""
    with ctx.database.session() as session:
        rows = session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
        return [
            {
                "email": u.email,
                "role": u.role,
                "state": "disabled"
                if u.disabled_at
                else ("active" if u.password_hash else "invited"),
                "created_at": stored_utc(u.created_at),
            }
            for u in rows
        ]


def disable(ctx, email: str, *, actor: str = "cli", now: datetime | None = None) -> None:
    """End sign-in for this account at once: its open sessions die with it."""
    now = now or datetime.now(UTC)
    with ctx.database.session() as session:
        user = _user(session, email)
        user.disabled_at = user.disabled_at or now
        _end_sessions(session, user.id, now)
        audit.record(session, actor=actor, action="staff.disabled", detail={"role": user.role})


def set_role(ctx, email: str, role: str, *, actor: str = "cli", now: datetime | None = None):
    """Change a role; sessions opened under the old role die (they must sign in again)."""
    now = now or datetime.now(UTC)
    role = _role(role)
    with ctx.database.session() as session:
        user = _user(session, email)
        old, user.role = user.role, role
        _end_sessions(session, user.id, now)
        audit.record(session, actor=actor, action="staff.role", detail={"from": old, "to": role})


def sign_in(ctx, email: str, password: str, *, now: datetime | None = None) -> tuple[str, Member]:
    """A new session's token, and who it is, for a right e-mail and password
    (SignInRefused otherwise)."""
    now = now or datetime.now(UTC)
    email = (email or "").strip().lower()[:320]
    password = (password or "")[:MAX_PASSWORD]
    with ctx.database.session() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        stored = user.password_hash if user is not None and user.password_hash else _DUMMY
        try:
            hasher.verify(stored, password)
            known = user is not None and user.password_hash is not None
        except (VerificationError, InvalidHashError):
            known = False
        if not known or user.disabled_at is not None:
            raise SignInRefused("Wrong e-mail or password.")
        if hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hasher.hash(password)
        token = secrets.token_urlsafe(32)
        session.add(
            StaffSession(
                token_hash=_sha(token),
                user_id=user.id,
                role=user.role,
                created_at=now,
                last_seen_at=now,
            )
        )
        return token, _member(user)


def session_member(ctx, token: str | None, *, now: datetime | None = None) -> Member | None:
    """Who a session token belongs to, while the session, the account and its role hold."""
    if not token or not isinstance(token, str) or len(token) > 100:
        return None
    now = now or datetime.now(UTC)
    with ctx.database.session() as session:
        row = session.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, StaffUser.id == StaffSession.user_id)
            .where(StaffSession.token_hash == _sha(token))
        ).first()
        if row is None:
            return None
        staff_session, user = row
        if (
            staff_session.ended_at is not None
            or user.disabled_at is not None
            or user.role != staff_session.role
        ):
            return None
        if now - stored_utc(staff_session.last_seen_at) > SEEN_EVERY:
            staff_session.last_seen_at = now
        return _member(user)


def sign_out(ctx, token: str | None, *, now: datetime | None = None) -> None:
    """End this session on the server: the cookie that carried it no longer works."""
    if not token or not isinstance(token, str):
        return
    with ctx.database.session() as session:
        session.execute(
            update(StaffSession)
            .where(StaffSession.token_hash == _sha(token), StaffSession.ended_at.is_(None))
            .values(ended_at=now or datetime.now(UTC))
        )


def create_token(ctx, name: str, role: str, *, now: datetime | None = None) -> str:
    """A new API token (shown once): `cfg_` + 256 random bits."""
    now = now or datetime.now(UTC)
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise StaffError("A token needs a name of 1 to 100 characters (what uses it).")
    role = _role(role)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with ctx.database.session() as session:
        row = ApiToken(token_hash=_sha(token), name=name, role=role, created_at=now)
        session.add(row)
        session.flush()
        audit.record(
            session, actor="cli", action="token.created", detail={"token": row.id, "role": role}
        )
    return token


def tokens(ctx) -> list[dict]:
    with ctx.database.session() as session:
        rows = session.scalars(select(ApiToken).order_by(ApiToken.id)).all()
        return [
            {
                "id": t.id,
                "name": t.name,
                "role": t.role,
                "created_at": stored_utc(t.created_at),
                "last_used_at": stored_utc(t.last_used_at),
                "revoked": t.revoked_at is not None,
            }
            for t in rows
        ]


def revoke_token(ctx, token_id: int, *, now: datetime | None = None) -> None:
    with ctx.database.session() as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise StaffError(f"No token {token_id}.")
        row.revoked_at = row.revoked_at or now or datetime.now(UTC)
        audit.record(session, actor="cli", action="token.revoked", detail={"token": token_id})


def token_member(ctx, token: str | None, *, now: datetime | None = None) -> Member | None:
    """Who an API bearer token speaks for, unless unknown or revoked."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    now = now or datetime.now(UTC)
    with ctx.database.session() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _sha(token)))
        if row is None or row.revoked_at is not None:
            return None
        if row.last_used_at is None or now - stored_utc(row.last_used_at) > SEEN_EVERY:
            row.last_used_at = now
        return Member(row.id, row.name, row.role, f"token:{row.id}")


def _member(user: StaffUser) -> Member:
    return Member(user.id, user.email, user.role, f"staff:{user.id}")


def _user(session, email: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.email == _email(email)))
    if user is None:
        raise StaffError(f"No account for {email}.")
    return user


def _end_sessions(session, user_id: int, now: datetime) -> None:
    session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
        .values(ended_at=now)
    )
