"""Index audit_log (objekt, id): the newest entry per objekt without reading the whole log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

"""
from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_log_objekt_id", "audit_log", ["objekt", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_objekt_id", table_name="audit_log")
