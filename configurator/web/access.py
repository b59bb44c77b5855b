"""Who may use each route. Every view says it: a blueprint for everyone declares itself
`public`, and every other view names the staff roles it serves with `@roles(...)`. The app
refuses to start with a view that says neither, and one check before each request enforces it:
staff pages by the signed-in session (Flask-Login), the API's staff operations by a bearer
token. Not signed in: the sign-in page (or 401 with `WWW-Authenticate` for the API); the
wrong role: 403.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, g, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from configurator.services import staff

ROLES = staff.ROLES
ALWAYS_PUBLIC = frozenset({"static", "favicon"})


def context():
    """The current app's Context (web/__init__ imports this module, so not from there)."""
    return g.get("ctx") or current_app.extensions["configurator"]


def public(blueprint: Blueprint) -> Blueprint:
    """Every view of this blueprint is for anyone (shoppers and visitors)."""
    blueprint.audience = "public"
    return blueprint


def anyone(view):
    """A view on a staff blueprint that anyone may open (the sign-in page)."""
    view.audience = "public"
    return view


def roles(*allowed: str):
    """A view for these staff roles only (its API twin takes a bearer token of one of them)."""
    assert allowed and set(allowed) <= set(ROLES), allowed

    def mark(view):
        view.roles = frozenset(allowed)
        return view

    return mark


class SignedIn(UserMixin):
    """Flask-Login's user: the session's token is its id, so ending the session ends it."""

    def __init__(self, member: staff.Member, token: str):
        self.member = member
        self.token = token

    def get_id(self) -> str:
        return self.token


def register(app: Flask) -> None:
    """After the blueprints: check that every view says who may use it; enforce it."""
    for endpoint, view in app.view_functions.items():
        blueprint = app.blueprints.get(endpoint.partition(".")[0]) if "." in endpoint else None
        if endpoint in ALWAYS_PUBLIC or hasattr(view, "roles"):
            continue
        if getattr(view, "audience", None) == "public":
            continue
        if blueprint is None or getattr(blueprint, "audience", None) != "public":
            raise RuntimeError(f"the view {endpoint} does not say who may use it (access.roles)")

    logins = LoginManager()
    logins.init_app(app, add_context_processor=False)
    # no remember-me cookie: take out Flask-Login's hook, which would open every request's session
    app.after_request_funcs[None].remove(logins._update_remember_cookie)
    logins.session_protection = "strong"  # another address or browser: the session is dropped

    @logins.user_loader
    def load(token: str):
        member = staff.session_member(context(), token)
        return SignedIn(member, token) if member else None

    @app.before_request
    def enforce():
        view = app.view_functions.get(request.endpoint or "")
        allowed = getattr(view, "roles", None)
        if allowed is None:
            return None
        member = member_now()
        if member is None:
            if request.blueprint == "api":
                raise Unauthorized(
                    "Send an API token: Authorization: Bearer cfg_...",
                    www_authenticate=WWWAuthenticate("bearer", {"realm": "configurator"}),
                )
            if request.method == "GET":
                return redirect(url_for("staff.sign_in", next=request.full_path.rstrip("?")))
            abort(401)
        if member.role not in allowed:
            abort(403, f"This needs one of the roles: {', '.join(sorted(allowed))}.")
        return None


def member_now() -> staff.Member | None:
    """The staff member (or API token) this request speaks for, if any."""
    if "member" in g:
        return g.member
    member = None
    if request.blueprint == "api":
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer":
            member = staff.token_member(context(), token.strip())
    elif current_user.is_authenticated:
        member = current_user.member
    g.member = member
    return member


def sign_in(token: str, member: staff.Member) -> None:
    """A fresh session (nothing carried over from before), holding the new session's token."""
    from flask import session

    session.clear()
    login_user(SignedIn(member, token))


def sign_out() -> None:
    from flask import session

    token = current_user.token if current_user.is_authenticated else None
    staff.sign_out(context(), token)
    logout_user()
    session.clear()
