"""The privacy centre at /privacy: what we hold for this browser's keyring, its export (JSON,
CSV), withdrawal per purpose, deletion of everything, and consent receipts. Views translate
to `services.privacy`; without a keyring the page says what we store and that it is nothing."""

from __future__ import annotations

import contextlib
import json

from flask import Response, redirect, render_template, request, url_for

from configurator.services import preferences, privacy, saving

from . import context, keyring
from .designs import bp


@bp.get("/privacy")
def privacy_centre():
    ctx = context()
    secret = keyring.secret()
    try:
        held = privacy.holdings(ctx, secret)
    except saving.NotFound:
        held = None
    purposes = {}
    if held is not None:  # each purpose granted and not withdrawn since, newest event first
        for consent in held.consents:
            purposes.setdefault(consent.purpose, consent)
    questions = {q.key: q for q in preferences.questions(ctx)}
    return render_template(
        "designs/privacy.html",
        notice=saving.current_notice(ctx),
        held=held,
        active=[c for c in purposes.values() if c.granted],
        questions=questions,
        erased=request.args.get("erased") == "1",
        withdrawn=request.args.get("withdrawn"),
    )


@bp.get("/privacy/export.json")
def export_json():
    data = privacy.export(context(), keyring.secret())
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return _download(body.encode("utf-8"), "application/json", "my-data.json")


@bp.get("/privacy/export.zip")
def export_zip():
    return _download(
        privacy.export_csv(context(), keyring.secret()), "application/zip", "my-data.zip"
    )


@bp.get("/privacy/receipts/<int:consent_id>.json")
def receipt(consent_id: int):
    data = privacy.receipt(context(), keyring.secret(), consent_id)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    return _download(body, "application/json", f"consent-receipt-{consent_id}.json")


@bp.get("/privacy/notices/<sha256>")
def notice(sha256: str):
    """A notice exactly as it was shown beside a consent box, by the hash a consent names."""
    shown = saving.notice_text(context(), sha256)
    return render_template("designs/notice.html", notice=shown, sha256=sha256)


@bp.post("/privacy/withdraw/<purpose>")
def withdraw(purpose: str):
    """Withdraw one purpose: takes effect at once, its data deleted."""
    try:
        privacy.withdraw(context(), keyring.secret(), purpose)
    except preferences.NotAsked:
        raise saving.NotFound("purpose") from None
    return redirect(url_for("designs.privacy_centre", withdrawn=purpose), code=303)


@bp.post("/privacy/erase")
def erase():
    """Delete everything, and the cookie."""
    with contextlib.suppress(saving.NotFound):  # nothing held: the cookie goes anyway
        privacy.erase(context(), keyring.secret())
    keyring.forget()
    return redirect(url_for("designs.privacy_centre", erased=1), code=303)


def _download(body: bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
