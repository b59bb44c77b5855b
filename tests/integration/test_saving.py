"""Saved designs through the service, on SQLite and PostgreSQL: consent, links, the ledger, retention."""

from __future__ import annotations

import secrets
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update

from configurator.services import saving
from configurator.store import ConsentEvent, Keyring, SavedDesign, ShareLink
from configurator.store.models import AppendOnly

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
DESIGN = {"shell_type": "open_face", "shell_colour": "chrome", "monogram": "Zoë"}


def first_save(ctx, raw=DESIGN, name="Mine", now=NOW) -> saving.Stored:
    notice = saving.current_notice(ctx)
    return saving.save(
        ctx,
        secret=None,
        product_id="helmet",
        raw=raw,
        name=name,
        consent=True,
        notice_sha256=notice.sha256,
        now=now,
    )


def count(ctx, model) -> int:
    with ctx.database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_nothing_is_kept_without_the_ticked_box(ctx):
    notice = saving.current_notice(ctx)
    with pytest.raises(saving.ConsentNeeded, match="Tick the box"):
        saving.save(
            ctx,
            secret=None,
            product_id="helmet",
            raw=DESIGN,
            name="x",
            consent=False,
            notice_sha256=notice.sha256,
        )
    with pytest.raises(saving.ConsentNeeded, match="notice changed"):
        saving.save(
            ctx,
            secret=None,
            product_id="helmet",
            raw=DESIGN,
            name="x",
            consent=True,
            notice_sha256="0" * 64,
        )
    for model in (Keyring, SavedDesign, ConsentEvent):
        assert count(ctx, model) == 0


def test_a_first_save_records_the_consent_with_the_notice_shown(ctx):
    stored = first_save(ctx)
    notice = saving.current_notice(ctx)
    with ctx.database.session() as session:
        (event,) = session.scalars(select(ConsentEvent)).all()
        keyring = session.scalars(select(Keyring)).one()
    assert (event.purpose, event.notice_version, event.notice_sha256, event.granted) == (
        "keep-designs",
        notice.version,
        notice.sha256,
        True,
    )
    assert event.keyring_id == keyring.id
    assert event.at.replace(tzinfo=UTC) == NOW
    assert "12 months" in notice.text  # the retention the settings give, in words
    assert stored.new_secret and len(stored.new_secret) >= 43  # 256 bits
    # a second save into the same keyring asks nothing more and records nothing more
    again = saving.save(ctx, secret=stored.new_secret, product_id="helmet", raw={}, name="")
    assert again.new_secret is None
    assert count(ctx, ConsentEvent) == 1
    assert again.design.name == "My Custom motorcycle helmet"


def test_only_the_shoppers_own_choices_are_kept(ctx):
    stored = first_save(ctx, raw={"shell_colour": "chrome", "monogram": "AB", "size": ""})
    assert stored.design.choices == (("shell_colour", "chrome"), ("monogram", "AB"))
    shown = saving.shown(ctx, saving.open_design(ctx, stored.design.token))
    # the shop still suggests the rest when the design is shown; none of it was stored
    assert dict(shown.design)["shell_type"] == "full_face"
    with ctx.database.session() as session:
        row = session.scalars(select(SavedDesign)).one()
    assert row.choices == [["shell_colour", "chrome"], ["monogram", "AB"]]


def test_the_keyring_lists_renames_duplicates_and_deletes(ctx):
    stored = first_save(ctx)
    secret, token = stored.new_secret, stored.design.token
    saving.rename(ctx, token, "  Track day  ")
    copy = saving.duplicate(ctx, secret, token, now=NOW + timedelta(hours=1))
    listed = saving.list_designs(ctx, secret)
    assert [d.name for d in listed] == ["Copy of Track day", "Track day"]
    assert {d.token for d in listed} == {token, copy.token}
    with pytest.raises(saving.Refused):
        saving.rename(ctx, token, "   ")
    with pytest.raises(saving.Refused):
        saving.rename(ctx, token, "x" * 121)
    with pytest.raises(saving.NotFound):  # only the keyring's holder can duplicate
        saving.duplicate(ctx, secrets.token_urlsafe(32), token)
    assert saving.delete_design(ctx, token) is False
    with pytest.raises(saving.NotFound):
        saving.open_design(ctx, token)
    assert saving.delete_design(ctx, copy.token) is True  # the keyring is now empty
    saving.delete_keyring(ctx, secret)
    for model in (Keyring, SavedDesign, ShareLink, ConsentEvent):
        assert count(ctx, model) == 0


def test_share_links_read_only_revocable_and_expiring(ctx):
    stored = first_save(ctx)
    token = stored.design.token
    month = saving.share(ctx, token, days=30, now=NOW)
    forever = saving.share(ctx, token, days=None, now=NOW)
    seen = saving.open_shared(ctx, month.token, now=NOW + timedelta(days=29))
    assert seen.choices == stored.design.choices
    assert seen.name == "" and seen.token == ""  # nothing of the owner's
    with pytest.raises(saving.NotFound):
        saving.open_shared(ctx, month.token, now=NOW + timedelta(days=30))
    assert [s.token for s in saving.open_design(ctx, token, now=NOW).shares] == [
        month.token,
        forever.token,
    ]
    saving.revoke(ctx, token, forever.token)
    with pytest.raises(saving.NotFound):
        saving.open_shared(ctx, forever.token)
    with pytest.raises(saving.NotFound):
        saving.revoke(ctx, token, forever.token)
    with pytest.raises(saving.Refused):
        saving.share(ctx, token, days=12)
    saving.delete_design(ctx, token)
    with pytest.raises(saving.NotFound):
        saving.open_shared(ctx, month.token, now=NOW)


def test_the_database_holds_no_token_and_look_ups_go_by_hash(ctx):
    stored = first_save(ctx)
    shared = saving.share(ctx, stored.design.token)
    secrets_ = [stored.new_secret, stored.design.token, shared.token]
    with ctx.database.engine.connect() as connection:
        rows = [
            str(value)
            for table in ("keyring", "saved_design", "share_link", "consent_event")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
            for value in row
        ]
    for secret in secrets_:
        assert len(secret) >= 22  # >= 128 bits
        assert not any(secret in value for value in rows), "a token is stored in the clear"
    # 10,000 random tokens find nothing (each tried on one of the three look-ups in turn)
    found = 0
    for i in range(10_000):
        guess = secrets.token_urlsafe(24)
        if i % 3 == 2:
            found += saving.has_keyring(ctx, guess)
            continue
        try:
            (saving.open_design if i % 3 == 0 else saving.open_shared)(ctx, guess)
            found += 1
        except saving.NotFound:
            pass
    assert found == 0


def test_the_ledger_is_append_only(ctx):
    first_save(ctx)
    with ctx.database.session() as session:
        event = session.scalars(select(ConsentEvent)).one()
        event.granted = False
        with pytest.raises(AppendOnly):
            session.flush()
        session.rollback()
    with ctx.database.session() as session, pytest.raises(AppendOnly):
        session.delete(session.scalars(select(ConsentEvent)).one())
        session.flush()
    # below the ORM too: the database itself refuses an UPDATE
    with pytest.raises(Exception, match="append-only"), ctx.database.engine.begin() as c:
        c.execute(update(ConsentEvent.__table__).values(granted=False))
    with ctx.database.session() as session:
        assert session.scalars(select(ConsentEvent)).one().granted is True
    # erasure is the one way out
    with ctx.database.session() as session:
        session.execute(delete(Keyring))
    assert count(ctx, ConsentEvent) == 0


def test_purge_deletes_what_was_not_opened_within_the_retention(ctx):
    old = first_save(ctx, name="old", now=NOW - timedelta(days=400))
    kept = saving.save(
        ctx,
        secret=old.new_secret,
        product_id="helmet",
        raw={},
        name="kept",
        now=NOW - timedelta(days=400),
    )
    saving.open_design(ctx, kept.design.token, now=NOW - timedelta(days=10))  # opened lately
    lonely = first_save(ctx, name="lonely", now=NOW - timedelta(days=366))
    assert saving.purge(ctx, now=NOW) == (2, 1)  # two designs, lonely's empty keyring
    assert [d.name for d in saving.list_designs(ctx, old.new_secret)] == ["kept"]
    assert not saving.has_keyring(ctx, lonely.new_secret)
    assert saving.purge(ctx, now=NOW) == (0, 0)


def test_two_concurrent_saves_to_one_keyring_both_land(ctx):
    stored = first_save(ctx)
    errors = []

    def save(name):
        try:
            saving.save(ctx, secret=stored.new_secret, product_id="helmet", raw=DESIGN, name=name)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    names = sorted(d.name for d in saving.list_designs(ctx, stored.new_secret))
    assert names == ["Mine", "t0", "t1", "t2", "t3"]


def test_purge_removes_answers_not_given_again_within_the_retention(ctx):
    from configurator.services import preferences

    asked = preferences.question(ctx, "head_size")
    sha = preferences.notice_for(ctx, asked).sha256
    secret = preferences.declare(
        ctx,
        None,
        "head_size",
        ["m"],
        consent=True,
        notice_sha256=sha,
        now=NOW - timedelta(days=400),
    )
    fresh = preferences.declare(
        ctx, None, "head_size", ["l"], consent=True, notice_sha256=sha, now=NOW - timedelta(days=5)
    )
    assert saving.purge(ctx, now=NOW) == (1, 1)  # the old answer, then its empty keyring
    assert preferences.declared(ctx, secret) == {}
    assert preferences.declared(ctx, fresh)["head_size"].answers == ("l",)
