"""Table anmeldeversuch: failed logins per account and the lock they cause (issue #18)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anmeldeversuch",
        sa.Column("konto", sa.String(length=80), nullable=False),
        sa.Column("fehlversuche", sa.Integer(), nullable=False),
        sa.Column("letzter_fehlversuch", sa.DateTime(), nullable=False),
        sa.Column("gesperrt_bis", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("konto"),
    )


def downgrade() -> None:
    op.drop_table("anmeldeversuch")
