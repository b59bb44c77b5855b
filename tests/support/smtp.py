"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the outbox tests, keeping what it received."""

from __future__ import annotations

import asyncio
import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Inbox:
    """The server's handler: accepts every message, or refuses every recipient with `refuse`."""

    def __init__(self, refuse: str | None = None, delay: float = 0.0):
        self.refuse = refuse
        self.delay = delay
        self.envelopes: list = []
        self.logins: list[tuple[str, str]] = []
        self.url = ""

    @property
    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.content, policy=default) for e in self.envelopes]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)  # lets concurrent workers overlap
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(inbox: Inbox | None = None, *, auth: bool = False) -> Iterator[Inbox]:
    """Run `inbox` as a plain (no TLS) server; `inbox.url` is its CONFIGURATOR_SMTP_URL."""
    inbox = inbox or Inbox()
    options = {"authenticator": inbox.authenticate, "auth_require_tls": False} if auth else {}
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{controller.port}?tls=off"
    try:
        yield inbox
    finally:
        controller.stop()
