"""Saved designs: save, the keyring's list, private and share links, the keyring link. Views
translate HTTP to `services.saving` and back.

Pages that show a saved design or a link are private: `Cache-Control: no-store`,
`Referrer-Policy: no-referrer`, `X-Robots-Tag: noindex`. Unknown, revoked or expired
tokens are a plain 404, like any page that does not exist.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, redirect, render_template, request, url_for

from configurator.services import designs, saving
from configurator.services.catalogs import UnknownProduct

from . import access, context, keyring
from .protect import limited
from .urls import MAX_QUERY_BYTES, query_for, selections_from

bp = access.public(Blueprint("designs", __name__))
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@bp.after_request
def private(response):
    """Nothing here may be cached, indexed, or leak its address to another site."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# -- save ---------------------------------------------------------------------------------


@bp.get("/p/<product_id>/save")
def save_form(product_id: str):
    """What will be kept, why and for how long, beside the Save button."""
    return _save_page(product_id, request.args, name="", errors={}, code=200)


@bp.post("/p/<product_id>/save")
@limited("save")
def save(product_id: str):
    """Keep the design: in the shopper's keyring, or a new one if they ticked the box."""
    form = request.form
    query = form.get("design", "")[:MAX_QUERY_BYTES]
    args = _args(query)
    raw = selections_from(args)
    secret = keyring.secret()
    editing = form.get("_saved", "")
    try:
        if form.get("as") == "update" and TOKEN.fullmatch(editing):
            saved = saving.update(context(), editing, raw)
            return redirect(url_for("designs.private_page", token=saved.token), code=303)
        stored = saving.save(
            context(),
            secret=secret,
            product_id=product_id,
            raw=raw,
            name=form.get("name", ""),
            consent=form.get("keep") == "yes",
            notice_sha256=form.get("notice"),
            method="save form: ticked box",
        )
    except saving.ConsentNeeded as refused:
        return _save_page(
            product_id, args, name=form.get("name", ""), errors={"keep": str(refused)}, code=400
        )
    except saving.Refused as refused:
        return _save_page(
            product_id, args, name=form.get("name", ""), errors={"name": str(refused)}, code=400
        )
    if stored.new_secret:
        keyring.remember(stored.new_secret)
    return redirect(url_for("designs.private_page", token=stored.design.token, saved=1), code=303)


def _save_page(product_id: str, args, *, name: str, errors: dict, code: int):
    ctx = context()
    raw = selections_from(args)
    design = designs.review(ctx, product_id, raw)
    editing = args.get("_saved", "")
    current = None
    if TOKEN.fullmatch(editing):
        try:
            current = saving.peek(ctx, editing)
        except saving.NotFound:
            current = None
    has_keyring = saving.has_keyring(ctx, keyring.secret())
    return (
        render_template(
            "designs/save.html",
            design=design,
            query=query_for(design.requested),
            notice=None if has_keyring else saving.current_notice(ctx),
            name=name,
            errors=errors,
            editing=current,
            max_name=saving.NAME_CHARS,
        ),
        code,
    )


def _args(query: str):
    from werkzeug.datastructures import MultiDict

    return MultiDict(parse_qsl(query, keep_blank_values=True))


# -- the keyring ----------------------------------------------------------------------------


@bp.get("/designs")
def keyring_page():
    """The designs this browser's keyring holds, or how to get one."""
    return _keyring_page(errors={}, email="", code=200)


@bp.post("/designs/keyring/email")
@limited("email")
def email_link():
    """Send the keyring link to an address the shopper typed (its own box and consent)."""
    secret = keyring.secret()
    address = request.form.get("email", "")[:400]
    if secret is None:
        raise saving.NotFound("keyring")
    try:
        saving.email_keyring_link(
            context(),
            secret,
            address=address,
            link=url_for("designs.keyring_link", secret=secret, _external=True),
            consent=request.form.get("send") == "yes",
            notice_sha256=request.form.get("notice"),
        )
    except saving.Refused as refused:
        return _keyring_page(errors={"email": str(refused)}, email=address, code=400)
    except saving.ConsentNeeded as refused:
        return _keyring_page(errors={"send": str(refused)}, email=address, code=400)
    return redirect(url_for("designs.keyring_page", sent=1), code=303)


def _keyring_page(*, errors: dict, email: str, code: int):
    ctx = context()
    secret = keyring.secret()
    try:
        kept = saving.list_designs(ctx, secret)
    except saving.NotFound:
        kept = None
    shown = {}
    for d in kept or ():
        with contextlib.suppress(UnknownProduct):  # a product no longer offered: no price
            shown[d.token] = saving.today(ctx, d)
    queries = {
        d.token: query_for(f.choices) for d, f in ((d, shown.get(d.token)) for d in kept or ()) if f
    }
    link = (
        url_for("designs.keyring_link", secret=secret, _external=True) if kept is not None else None
    )
    return (
        render_template(
            "designs/list.html",
            kept=kept,
            shown=shown,
            queries=queries,
            keyring_link=link,
            deleted=request.args.get("deleted"),
            sent=request.args.get("sent") == "1",
            email_notice=saving.email_notice(ctx),
            email=email,
            errors=errors,
        ),
        code,
    )


@bp.get("/k/<secret>")
@limited("lookup")
def keyring_link(secret: str):
    """A keyring link, opened on another device: confirm before it sets the cookie."""
    if not TOKEN.fullmatch(secret) or not saving.has_keyring(context(), secret):
        raise saving.NotFound("keyring")
    return render_template("designs/keyring_link.html", secret=secret)


@bp.post("/k/<secret>")
@limited("lookup")
def use_keyring(secret: str):
    if not TOKEN.fullmatch(secret) or not saving.has_keyring(context(), secret):
        raise saving.NotFound("keyring")
    keyring.remember(secret)
    return redirect(url_for("designs.keyring_page"), code=303)


@bp.post("/designs/keyring/delete")
def delete_keyring():
    """Erase the keyring, everything in it, and the cookie."""
    with contextlib.suppress(saving.NotFound):  # already gone: the cookie goes too
        saving.delete_keyring(context(), keyring.secret())
    keyring.forget()
    return redirect(url_for("designs.keyring_page", deleted="keyring"), code=303)


# -- one design -------------------------------------------------------------------------------


@bp.get("/designs/<token>")
@limited("lookup")
def private_page(token: str):
    """A saved design by its private link: see it, keep editing, rename, share, delete."""
    ctx = context()
    saved = saving.open_design(ctx, _token(token))
    try:
        found = saving.today(ctx, saved)
    except UnknownProduct:
        return render_template("designs/gone.html", saved=saved)
    secret = keyring.secret()
    owner = secret is not None and any(d.token == saved.token for d in _mine(secret))
    return render_template(
        "designs/design.html",
        saved=saved,
        design=found.state,
        notes=found.notes,
        query=query_for(found.choices),
        owner=owner,
        just_saved=request.args.get("saved") == "1",
        share_days=saving.SHARE_DAYS,
        max_name=saving.NAME_CHARS,
        error=request.args.get("error"),
    )


@bp.post("/designs/<token>/update")
def bring_up_to_date(token: str):
    """One click after a catalog change: keep the design as today's catalog has it."""
    saving.bring_up_to_date(context(), _token(token))
    return _back(token)


@bp.post("/designs/<token>/rename")
def rename(token: str):
    try:
        saving.rename(context(), _token(token), request.form.get("name", ""))
    except saving.Refused as refused:
        return _back(token, error=str(refused))
    return _back(token)


@bp.post("/designs/<token>/duplicate")
def duplicate(token: str):
    copy = saving.duplicate(context(), keyring.secret(), _token(token))
    return redirect(url_for("designs.private_page", token=copy.token), code=303)


@bp.post("/designs/<token>/delete")
def delete(token: str):
    emptied = saving.delete_design(context(), _token(token))
    return redirect(
        url_for("designs.keyring_page", deleted="last" if emptied else "design"), code=303
    )


@bp.post("/designs/<token>/share")
def share(token: str):
    days = request.form.get("days", "30")
    try:
        saving.share(context(), _token(token), days=None if days == "never" else int(days))
    except (ValueError, saving.Refused):
        return _back(token, error="Pick how long the link should work.")
    return _back(token)


@bp.post("/designs/<token>/share/<share_token>/revoke")
def revoke(token: str, share_token: str):
    saving.revoke(context(), _token(token), _token(share_token))
    return _back(token)


# -- shared ---------------------------------------------------------------------------------


@bp.get("/shared/<token>")
@limited("lookup")
def shared_page(token: str):
    """A read-only design: preview, summary, price, and "Start from this design"."""
    ctx = context()
    saved = saving.open_shared(ctx, _token(token))
    design = saving.shown(ctx, saved)
    return render_template("designs/shared.html", design=design, query=query_for(saved.choices))


# -- helpers ----------------------------------------------------------------------------------


def _token(token: str) -> str:
    if not TOKEN.fullmatch(token):
        raise saving.NotFound("token")
    return token


def _mine(secret: str):
    try:
        return saving.list_designs(context(), secret)
    except saving.NotFound:
        return ()


def _back(token: str, error: str | None = None):
    url = url_for("designs.private_page", token=token)
    if error:
        url += "?" + urlencode({"error": error})
    return redirect(url, code=303)
