"""The JSON API's saved-design verbs, for a headless storefront: save, read, update, delete,
share and revoke; the notice to show before a first save. Links are capabilities: the
private token in the path is the key (no cookie, so no CSRF token); unknown tokens are 404."""

from __future__ import annotations

from flask import current_app, jsonify, request, url_for

from configurator.services import orders, saving

from . import api_design_schemas as schemas
from . import context
from .api import Invalid, _body, _json, _money, _respond, bp
from .openapi import operation
from .protect import limited


@bp.get("/notices/keep-designs")
@operation("The notice to show before a first save, and its hash", response=schemas.Notice)
def keep_designs_notice():
    """Show `text`; send `sha256` back in the save's consent."""
    notice = saving.current_notice(context())
    body = {
        "purpose": notice.purpose,
        "version": notice.version,
        "sha256": notice.sha256,
        "text": notice.text,
    }
    return _respond(_json(schemas.Notice, body))


@bp.post("/products/<product_id>/designs")
@operation(
    "Save a design with the shopper's consent (into their keyring, or a new one)",
    body="save",
    response=schemas.Saved,
    status=201,
)
@limited("save")
def save_design(product_id: str):
    """Keep the design; answers its private token, a share token if asked, a new keyring's secret."""
    body = _body(schemas.SaveBody)
    consent = body["consent"]
    ctx = context()
    if body["keyring"] is not None and not saving.has_keyring(ctx, body["keyring"]):
        raise saving.NotFound("keyring")
    try:
        stored = saving.save(
            ctx,
            secret=body["keyring"],
            product_id=product_id,
            raw=body["selections"],
            name=body["name"],
            consent=consent["granted"],
            notice_sha256=consent["notice_sha256"],
            method="api: consent.granted",
            strict=True,
        )
    except saving.ConsentNeeded as refused:
        raise Invalid({"consent": [str(refused)]}) from None
    except saving.Refused as refused:
        raise Invalid({"name": [str(refused)]}) from None
    share = None
    if body["share_days"] is not None:
        share = saving.share(ctx, stored.design.token, days=body["share_days"]).token
    saved = {
        "design": _design(saving.open_design(ctx, stored.design.token)),
        "keyring": stored.new_secret,
        "share_token": share,
    }
    return _respond(_json(schemas.Saved, saved)), 201


@bp.get("/designs/<token>")
@operation("A saved design by its private token", response=schemas.SavedDesign)
@limited("lookup")
def read_design(token: str):
    return _respond(
        _json(schemas.SavedDesign, _design(saving.open_design(context(), _token(token))))
    )


@bp.put("/designs/<token>")
@operation(
    "Replace a saved design's choices (and name)",
    request=schemas.UpdateBody,
    response=schemas.SavedDesign,
)
@limited("save")
def update_design(token: str):
    saving.peek(context(), _token(token))  # an unknown token is a 404 whatever the body
    body = _body(schemas.UpdateBody)
    try:
        saved = saving.update(
            context(), _token(token), body["selections"], name=body.get("name"), strict=True
        )
    except saving.Refused as refused:
        raise Invalid({"name": [str(refused)]}) from None
    return _respond(_json(schemas.SavedDesign, _design(saving.open_design(context(), saved.token))))


@bp.delete("/designs/<token>")
@operation("Delete a saved design and its links", response=None, status=204)
def delete_design(token: str):
    saving.delete_design(context(), _token(token))
    return "", 204


@bp.post("/designs/<token>/shares")
@operation(
    "Make a read-only share link", request=schemas.ShareBody, response=schemas.ShareLink, status=201
)
def share_design(token: str):
    saving.peek(context(), _token(token))
    body = _body(schemas.ShareBody)
    made = saving.share(context(), _token(token), days=body["days"])
    return _respond(_json(schemas.ShareLink, _share(made))), 201


@bp.delete("/designs/<token>/shares/<share_token>")
@operation("Revoke a share link", response=None, status=204)
def revoke_share(token: str, share_token: str):
    saving.revoke(context(), _token(token), _token(share_token))
    return "", 204


@bp.get("/shared/<token>")
@operation("A shared design, read-only", response=schemas.Shared)
@limited("lookup")
def read_shared(token: str):
    ctx = context()
    found = saving.today(ctx, saving.open_shared(ctx, _token(token)))
    body = {
        "product": found.state.product.id,
        "selections": dict(found.choices),
        "total": _money(found.state.total),
        "currency": found.state.currency,
    }
    return _respond(_json(schemas.Shared, body))


def _token(token: str) -> str:
    if not 20 <= len(token) <= 64 or request.method == "OPTIONS":
        raise saving.NotFound("token")
    return token


def _design(saved: saving.Saved) -> dict:
    found = saving.today(context(), saved)
    return {
        "token": saved.token,
        "name": saved.name,
        "product": saved.product_id,
        "catalog_version": saved.catalog_version,
        "selections": dict(found.choices),
        "changes": list(found.notes),
        "complete": found.state.complete,
        "total": _money(found.state.total),
        "currency": found.state.currency,
        "created_at": saved.created_at.isoformat(),
        "updated_at": saved.updated_at.isoformat(),
        "last_opened_at": saved.last_opened_at.isoformat(),
        "shares": [_share(s) for s in saved.shares],
    }


def _share(share: saving.Share) -> dict:
    return {
        "token": share.token,
        "expires_at": share.expires_at.isoformat() if share.expires_at else None,
    }


@bp.post("/products/<product_id>/orders")
@operation(
    "Place an order (Idempotency-Key header required: a retry with it gives the same order)",
    body="order",
    response=schemas.Ordered,
    status=201,
)
@limited("save")
def place_order(product_id: str):
    key = request.headers.get("Idempotency-Key", "")
    if not 1 <= len(key) <= 64:
        raise Invalid(
            {"Idempotency-Key": ["Send an Idempotency-Key header of 1 to 64 characters."]}
        )
    body = _body(schemas.OrderBody)
    try:
        placed = orders.place(
            context(),
            product_id=product_id,
            raw=body["selections"],
            quantity=body["quantity"],
            customer=body["customer"],
            terms_accepted=body["terms_accepted"],
            shown_total=body["expected_total"],
            idempotency_key=key,
            order_url=lambda token: url_for("designs.order_page", token=token, _external=True),
            link_secret=current_app.secret_key,
        )
    except orders.Refused as refused:
        raise Invalid(refused.fields) from None
    except orders.PriceChanged as changed:
        return _conflict(str(changed))
    except orders.KeyReused as reused:
        return _conflict(str(reused))
    return _respond(
        _json(schemas.Ordered, _order(orders.open_order(context(), placed.token), placed.token))
    ), 201


@bp.get("/orders/<token>")
@operation("An order by its private token", response=schemas.Ordered)
@limited("lookup")
def read_order(token: str):
    from configurator.services import orders

    return _respond(
        _json(schemas.Ordered, _order(orders.open_order(context(), _token(token)), token))
    )


def _conflict(message: str):
    return jsonify({"error": "Conflict", "message": message}), 409


def order_lines(snap: dict) -> list[tuple[dict, dict]]:
    """Each ordered value as the API shows it (and the snapshot's line it comes from)."""
    return [
        (
            {
                "attribute": line["attribute"],
                "label": line["label"],
                "option": line.get("option"),
                "option_label": line.get("option_label"),
                "text": line.get("text"),
                "sku": line.get("sku") or None,
            },
            line,
        )
        for line in snap["selections"]
    ]


def _order(found, token: str) -> dict:
    snap = found.snapshot
    return {
        "number": found.number,
        "token": token,
        "status": found.status,
        "history": [{"status": s, "at": at.isoformat(), **d} for s, at, d in found.history],
        "product": snap["product"],
        "catalog_version": snap["catalog_version"],
        "lines": [{**line, "chosen": raw.get("chosen")} for line, raw in order_lines(snap)],
        "quantity": found.quantity,
        "total": found.total,
        "currency": found.currency,
        "sku": snap["sku"],
        "placed_at": found.placed_at.isoformat(),
    }
