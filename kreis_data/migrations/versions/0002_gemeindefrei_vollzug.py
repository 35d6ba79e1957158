"""gemeindefreie Gebiete; Grundlage und Quelle des Vollzugs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "gemeindefreies_gebiet",
        sa.Column("ags", sa.String(length=8), nullable=False),
        sa.Column("kreis_ags", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("bewohnt", sa.Boolean(), nullable=False),
        sa.Column("einwohner", sa.Integer(), nullable=False),
        sa.Column("flaeche_km2", sa.Float(), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["kreis_ags"], ["kreis.ags"]),
        sa.PrimaryKeyConstraint("ags"),
    )
    with op.batch_alter_table("leistung_vollzug", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grundlage", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("quelle", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("leistung_vollzug", schema=None) as batch_op:
        batch_op.drop_column("quelle")
        batch_op.drop_column("grundlage")
    op.drop_table("gemeindefreies_gebiet")
