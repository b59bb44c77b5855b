"""Your preferences: the catalog's questions, each answered (or not) with its own consent box,
and withdrawn in one click wherever it is used. Views translate to `services.preferences`."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from configurator.services import preferences, saving

from . import context, keyring
from .designs import bp
from .protect import limited
from .urls import query_for, selections_from

MAX_ANSWERS = 50


@bp.get("/preferences")
def preferences_page():
    """Every question the shop may ask, what this shopper told us, and the words they agree to."""
    return _page(errors={}, typed={}, code=200)


@bp.post("/preferences/<key>")
@limited("save")
def declare(key: str):
    """One answer, given explicitly with its own ticked box."""
    ctx = context()
    answers = request.form.getlist("answer")[:MAX_ANSWERS]
    try:
        new_secret = preferences.declare(
            ctx,
            keyring.secret(),
            key,
            answers,
            consent=request.form.get("consent") == "yes",
            notice_sha256=request.form.get("notice"),
        )
    except preferences.NotAsked:
        raise saving.NotFound("question") from None
    except (saving.ConsentNeeded, saving.Refused) as refused:
        return _page(errors={key: str(refused)}, typed={key: answers}, code=400)
    if new_secret:
        keyring.remember(new_secret)
    return redirect(url_for("designs.preferences_page", saved=key) + f"#q-{key}", code=303)


@bp.post("/preferences/<key>/withdraw")
def withdraw_preference(key: str):
    """ "Don't use this": the answer is deleted at once. From a product page (`back`), the
    same design comes back without the pre-selection (the page's form came with the click)."""
    try:
        preferences.withdraw(context(), keyring.secret(), key)
    except preferences.NotAsked:
        raise saving.NotFound("question") from None
    back = request.args.get("back", "")
    if back and back in {p.id for p in context().catalogs.products}:
        query = query_for(selections_from(request.form, reserved=("csrf_token",)))
        url = url_for("shop.configure", product_id=back)
        return redirect(url + (f"?{query}" if query else ""), code=303)
    return redirect(url_for("designs.preferences_page", withdrawn=key), code=303)


def _page(*, errors: dict, typed: dict, code: int):
    ctx = context()
    held = preferences.declared(ctx, keyring.secret())
    asked = [
        (q, preferences.notice_for(ctx, q), held.get(q.key)) for q in preferences.questions(ctx)
    ]
    return (
        render_template(
            "designs/preferences.html",
            asked=asked,
            errors=errors,
            typed=typed,
            saved=request.args.get("saved"),
            withdrawn=request.args.get("withdrawn"),
        ),
        code,
    )
