"""preferences: a shopper's declared answers to the catalog's questions; every notice text shown

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preference",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "keyring_id",
            sa.Integer(),
            sa.ForeignKey("keyring.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("keyring_id", "key"),
    )
    op.create_index("ix_preference_keyring_id", "preference", ["keyring_id"])
    op.create_index("ix_preference_updated_at", "preference", ["updated_at"])
    op.create_table(
        "notice_text",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_shown_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("notice_text")
    op.drop_table("preference")
