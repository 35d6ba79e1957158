"""Table anmeldesitzung: hashed login tokens, so a reload keeps the login (issue #15)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anmeldesitzung",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("konto", sa.String(length=200), nullable=False),
        sa.Column("erstellt", sa.DateTime(), nullable=False),
        sa.Column("zuletzt", sa.DateTime(), nullable=False),
        sa.Column("passwort_marke", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )


def downgrade() -> None:
    op.drop_table("anmeldesitzung")
