"""analytics: police.uk street-level crimes and LSOA reference data

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-25 11:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import safetyhub.db

revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('police_crimes',
    sa.Column('record_key', sa.String(length=64), nullable=False),
    sa.Column('crime_id', sa.String(length=64), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('reported_by', sa.String(length=100), nullable=False),
    sa.Column('falls_within', sa.String(length=100), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('lsoa_code', sa.String(length=9), nullable=True),
    sa.Column('lsoa_name', sa.String(length=100), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=True),
    sa.Column('crime_type', sa.String(length=60), nullable=False),
    sa.Column('last_outcome', sa.String(length=120), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('out_of_area', sa.Boolean(), nullable=False),
    sa.Column('source_file', sa.String(length=200), nullable=False),
    sa.Column('imported_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('record_key', name=op.f('pk_police_crimes'))
    )
    with op.batch_alter_table('police_crimes', schema=None) as batch_op:
        batch_op.create_index('ix_police_crimes_month_type', ['month', 'crime_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_police_crimes_lsoa_code'), ['lsoa_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_police_crimes_district'), ['district'], unique=False)

    op.create_table('lsoa_reference',
    sa.Column('lsoa_code', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('district_code', sa.String(length=9), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('imd_decile', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('lsoa_code', name=op.f('pk_lsoa_reference'))
    )
    with op.batch_alter_table('lsoa_reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lsoa_reference_district'), ['district'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lsoa_reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lsoa_reference_district'))
    op.drop_table('lsoa_reference')
    with op.batch_alter_table('police_crimes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_police_crimes_district'))
        batch_op.drop_index(batch_op.f('ix_police_crimes_lsoa_code'))
        batch_op.drop_index('ix_police_crimes_month_type')
    op.drop_table('police_crimes')
