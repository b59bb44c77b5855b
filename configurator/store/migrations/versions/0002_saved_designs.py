"""saved designs: keyrings, designs, share links, the consent ledger, the outbox, version snapshots

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("catalog_version") as table:
        table.add_column(sa.Column("snapshot", sa.JSON(), nullable=True))
    op.create_table(
        "keyring",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "saved_design",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "keyring_id",
            sa.Integer(),
            sa.ForeignKey("keyring.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_salt", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("catalog_version", sa.String(64), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("saved_total", sa.String(32), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("last_opened_at", TZ, nullable=False),
    )
    op.create_index("ix_saved_design_keyring_id", "saved_design", ["keyring_id"])
    op.create_index("ix_saved_design_last_opened_at", "saved_design", ["last_opened_at"])
    op.create_table(
        "share_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "design_id",
            sa.Integer(),
            sa.ForeignKey("saved_design.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_salt", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=True),
        sa.Column("revoked_at", TZ, nullable=True),
    )
    op.create_index("ix_share_link_design_id", "share_link", ["design_id"])
    op.create_table(
        "consent_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "keyring_id",
            sa.Integer(),
            sa.ForeignKey("keyring.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("notice_version", sa.String(32), nullable=False),
        sa.Column("notice_sha256", sa.String(64), nullable=False),
        sa.Column("method", sa.String(64), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_consent_event_keyring_id", "consent_event", ["keyring_id"])
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "keyring_id",
            sa.Integer(),
            sa.ForeignKey("keyring.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", TZ, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_outbox_message_keyring_id", "outbox_message", ["keyring_id"])
    op.create_index("ix_outbox_message_next_attempt_at", "outbox_message", ["next_attempt_at"])
    _append_only("consent_event")


def _append_only(table: str) -> None:
    """The ledger refuses UPDATE in the database itself, whatever code runs against it."""
    message = f"{table} is append-only"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql"""
        )
        op.execute(
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"""
        )
    else:
        op.execute(
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{message}'); END"""
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER consent_event_no_update ON consent_event")
        op.execute("DROP FUNCTION consent_event_append_only()")
    else:
        op.execute("DROP TRIGGER consent_event_no_update")
    for table in ("outbox_message", "consent_event", "share_link", "saved_design", "keyring"):
        op.drop_table(table)
    with op.batch_alter_table("catalog_version") as table:
        table.drop_column("snapshot")
