"""police_crimes storage: drop the secondary indexes (the picture reads the DuckDB extract)

Every import paid for three indexes no query needed: the charts, the months on offer and the
report read the extract, and a reference import re-judges districts in one joined update.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("police_crimes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_police_crimes_district"))
        batch_op.drop_index(batch_op.f("ix_police_crimes_lsoa_code"))
        batch_op.drop_index("ix_police_crimes_month_type")


def downgrade() -> None:
    with op.batch_alter_table("police_crimes", schema=None) as batch_op:
        batch_op.create_index("ix_police_crimes_month_type", ["month", "crime_type"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_police_crimes_lsoa_code"), ["lsoa_code"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_police_crimes_district"), ["district"],
                              unique=False)
