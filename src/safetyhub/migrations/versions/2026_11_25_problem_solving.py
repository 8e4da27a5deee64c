"""partnership: SARA problem-solving on places

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import safetyhub.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('problems',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('lead_organisation_id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('area_lsoa_code', sa.String(length=9), nullable=True),
    sa.Column('area_district', sa.String(length=100), nullable=True),
    sa.Column('categories', sa.String(length=1000), nullable=False),
    sa.Column('victim_notes', sa.Text(), nullable=False),
    sa.Column('offender_notes', sa.Text(), nullable=False),
    sa.Column('location_notes', sa.Text(), nullable=False),
    sa.Column('analysis_notes', sa.Text(), nullable=False),
    sa.Column('assessment_notes', sa.Text(), nullable=False),
    sa.Column('response_started_on', sa.Date(), nullable=True),
    sa.Column('assessment_window_days', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_problems_created_by_id_users')),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_problems_lead_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_problems_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problems'))
    )
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problems_lead_organisation_id'), ['lead_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problems_stage'), ['stage'], unique=False)

    op.create_table('problem_partners',
    sa.Column('problem_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_problem_partners_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_problem_partners_problem_id_problems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_partners')),
    sa.UniqueConstraint('problem_id', 'organisation_id', name=op.f('uq_problem_partners_problem_id'))
    )
    with op.batch_alter_table('problem_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_partners_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_partners_problem_id'), ['problem_id'], unique=False)

    op.create_table('problem_places',
    sa.Column('problem_id', sa.Uuid(), nullable=False),
    sa.Column('place_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], name=op.f('fk_problem_places_place_id_places')),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_problem_places_problem_id_problems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_places')),
    sa.UniqueConstraint('problem_id', 'place_id', name=op.f('uq_problem_places_problem_id'))
    )
    with op.batch_alter_table('problem_places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_places_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_places_problem_id'), ['problem_id'], unique=False)

    op.create_table('problem_incidents',
    sa.Column('problem_id', sa.Uuid(), nullable=False),
    sa.Column('incident_id', sa.Uuid(), nullable=False),
    sa.Column('linked_by_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_problem_incidents_incident_id_incidents')),
    sa.ForeignKeyConstraint(['linked_by_organisation_id'], ['organisations.id'], name=op.f('fk_problem_incidents_linked_by_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_problem_incidents_problem_id_problems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_incidents')),
    sa.UniqueConstraint('problem_id', 'incident_id', name=op.f('uq_problem_incidents_problem_id'))
    )
    with op.batch_alter_table('problem_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_incidents_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_incidents_problem_id'), ['problem_id'], unique=False)

    op.create_table('problem_actions',
    sa.Column('problem_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('completed_at', safetyhub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_problem_actions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_problem_actions_owner_id_users')),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_problem_actions_problem_id_problems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_actions'))
    )
    with op.batch_alter_table('problem_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_actions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_actions_problem_id'), ['problem_id'], unique=False)


def downgrade() -> None:
    for table in ('problem_actions', 'problem_incidents', 'problem_places', 'problem_partners'):
        op.drop_table(table)
    op.drop_table('problems')
