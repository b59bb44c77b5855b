"""The one cookie: a shopper's keyring, set when they first keep a design and never before.

Flask's signed session holds the keyring's secret and Flask-WTF's CSRF token. The session
interface below writes the cookie only while the session holds a keyring, so a visitor who
browses and designs without saving receives no cookie, whatever touched the session.
Named `__Host-keyring` (Secure, Path=/, no Domain) over HTTPS, `keyring` over plain http
(`make run`, tests); HttpOnly, SameSite=Lax; kept for the retention period.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface

KEY = "keyring"


def _staff() -> bool:
    return request.path == "/staff" or request.path.startswith("/staff/")


class KeyringSessions(SecureCookieSessionInterface):
    """The keyring cookie on the shop's pages; on /staff pages the staff cookie instead
    (`__Host-staff`, SameSite=Strict, a browser-session cookie), so neither sees the other."""

    def open_session(self, app: Flask, request):
        """No cookie, nothing to read: an empty session without building the signer (most
        requests, the API's among them, carry no cookie)."""
        if self.get_cookie_name(app) not in request.cookies and app.secret_key:
            return self.session_class()
        return super().open_session(app, request)

    def get_cookie_name(self, app: Flask) -> str:
        if _staff():
            return "__Host-staff" if request.is_secure else "staff"
        return "__Host-keyring" if request.is_secure else "keyring"

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure

    def get_cookie_samesite(self, app: Flask) -> str:
        return "Strict" if _staff() else "Lax"

    def get_cookie_httponly(self, app: Flask) -> bool:
        return True

    def get_cookie_domain(self, app: Flask) -> None:
        return None  # __Host- forbids a Domain

    def get_cookie_path(self, app: Flask) -> str:
        return "/"

    def save_session(self, app: Flask, sess, response) -> None:
        if _staff():
            # never permanent: the staff cookie ends with the browser session
            if sess:
                super().save_session(app, sess, response)
            elif self.get_cookie_name(app) in request.cookies:
                response.delete_cookie(
                    self.get_cookie_name(app), path="/", secure=request.is_secure
                )
            return
        if KEY in sess:
            super().save_session(app, sess, response)
        elif self.get_cookie_name(app) in request.cookies:  # forgotten: take the cookie back
            response.delete_cookie(self.get_cookie_name(app), path="/", secure=request.is_secure)


def secret() -> str | None:
    """The keyring secret this browser holds, if any."""
    if "keyring" not in request.cookies and "__Host-keyring" not in request.cookies:
        return None  # do not even open the session: no Vary: Cookie on pages without it
    value = session.get(KEY)
    return value if isinstance(value, str) else None


def remember(value: str) -> None:
    session.clear()
    session[KEY] = value
    session.permanent = True


def forget() -> None:
    session.clear()


def register(app: Flask, retention_days: int) -> None:
    from datetime import timedelta

    app.session_interface = KeyringSessions()
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=retention_days)
