"""`configurator staff ...`: accounts, roles and API tokens for the people and systems who
fulfil orders and keep the catalog (services/staff.py does the work)."""

from __future__ import annotations

import click

from configurator.services import staff as accounts


def _context():
    from configurator.bootstrap import bootstrap

    return bootstrap(load_catalog=False)


def _run(action):
    context = _context()
    try:
        return action(context)
    except accounts.StaffError as refused:
        raise click.ClickException(str(refused)) from refused
    finally:
        context.close()


@click.group()
def staff() -> None:
    """Staff accounts (fulfillment, merchandiser, admin) and API tokens."""


@staff.command("add")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(accounts.ROLES))
@click.option(
    "--link",
    is_flag=True,
    help="Print a one-time set-password link (valid 7 days) instead of asking for a password.",
)
@click.option(
    "--base-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="Where the shop is served, for the link.",
)
def add(email: str, role: str, link: bool, base_url: str) -> None:
    """Create an account; asks for its password (twice), or prints a set-password link."""
    password = None
    if not link:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    token = _run(lambda ctx: accounts.add(ctx, email, role, password))
    click.echo(f"{email.strip().lower()} added as {role}.")
    if token:
        click.echo(f"Set-password link (once, 7 days): {base_url.rstrip('/')}/staff/setup/{token}")


@staff.command("list")
def list_() -> None:
    """Every account: e-mail, role, state."""
    for row in _run(accounts.members):
        click.echo(f"{row['email']}\t{row['role']}\t{row['state']}\t{row['created_at']:%Y-%m-%d}")


@staff.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """End sign-in for an account at once (its open sessions die)."""
    _run(lambda ctx: accounts.disable(ctx, email))
    click.echo(f"{email} disabled; its sessions are ended.")


@staff.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(accounts.ROLES))
def role(email: str, role: str) -> None:
    """Change an account's role (its open sessions end: sign in again)."""
    _run(lambda ctx: accounts.set_role(ctx, email, role))
    click.echo(f"{email} is now {role}; its sessions are ended.")


@staff.command("token")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(accounts.ROLES))
def token(name: str, role: str) -> None:
    """Create a bearer token for a workshop or accounting system (shown once)."""
    secret = _run(lambda ctx: accounts.create_token(ctx, name, role))
    click.echo(secret)
    click.echo(
        "Shown once: store it in the other system. Revoke with `staff revoke-token`.", err=True
    )


@staff.command("tokens")
def tokens() -> None:
    """Every API token: id, name, role, last used, revoked."""
    for row in _run(accounts.tokens):
        used = f"{row['last_used_at']:%Y-%m-%d %H:%M}" if row["last_used_at"] else "never used"
        state = "revoked" if row["revoked"] else "active"
        click.echo(f"{row['id']}\t{row['name']}\t{row['role']}\t{used}\t{state}")


@staff.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """Revoke a token: it stops working at once."""
    _run(lambda ctx: accounts.revoke_token(ctx, token_id))
    click.echo(f"Token {token_id} revoked.")
