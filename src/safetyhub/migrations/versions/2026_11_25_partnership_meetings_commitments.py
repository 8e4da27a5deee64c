"""partnership: assemblies and meetings, decisions, commitments under the agreement

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import safetyhub.db

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The priorities of the Community Safety Agreement the partnership starts with; the partnership
# office adds more (commitments.service.add_priority). Ids are fixed so every instance agrees.
DEFAULT_PRIORITIES = [
    ("anti_social_behaviour", "Anti-social behaviour"),
    ("mental_ill_health", "Mental ill-health"),
    ("criminal_exploitation", "Criminal exploitation"),
    ("vawg", "Violence against women and girls"),
    ("reducing_inequalities", "Reducing inequalities"),
    ("information_sharing", "Information sharing"),
    ("public_trust", "Public trust"),
]
PRIORITY_NAMESPACE = uuid.UUID("6f1d5a2e-3b7c-4e8a-9d0f-2c4b6a8e0f13")


def upgrade() -> None:
    op.create_table('partnership_priorities',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_priorities')),
    sa.UniqueConstraint('code', name=op.f('uq_partnership_priorities_code'))
    )
    op.create_table('partnership_meetings',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=False),
    sa.Column('themes', sa.Text(), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_partnership_meetings_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_meetings'))
    )
    with op.batch_alter_table('partnership_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_meetings_held_on'), ['held_on'], unique=False)

    op.create_table('partnership_meeting_attachments',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['partnership_meetings.id'], name=op.f('fk_partnership_meeting_attachments_meeting_id_partnership_meetings')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_partnership_meeting_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_meeting_attachments'))
    )
    with op.batch_alter_table('partnership_meeting_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_meeting_attachments_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('partnership_meeting_decisions',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['partnership_meetings.id'], name=op.f('fk_partnership_meeting_decisions_meeting_id_partnership_meetings')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_partnership_meeting_decisions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_meeting_decisions'))
    )
    with op.batch_alter_table('partnership_meeting_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_meeting_decisions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('partnership_meeting_invitations',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('attendance_recorded_at', safetyhub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['partnership_meetings.id'], name=op.f('fk_partnership_meeting_invitations_meeting_id_partnership_meetings')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_partnership_meeting_invitations_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_meeting_invitations')),
    sa.UniqueConstraint('meeting_id', 'organisation_id', name=op.f('uq_partnership_meeting_invitations_meeting_id'))
    )
    with op.batch_alter_table('partnership_meeting_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_meeting_invitations_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_meeting_invitations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('partnership_commitments',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('priority_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_user_id', sa.Uuid(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decision_id', sa.Uuid(), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('status_changed_at', safetyhub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_partnership_commitments_created_by_id_users')),
    sa.ForeignKeyConstraint(['decision_id'], ['partnership_meeting_decisions.id'], name=op.f('fk_partnership_commitments_decision_id_partnership_meeting_decisions')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_partnership_commitments_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_partnership_commitments_owner_user_id_users')),
    sa.ForeignKeyConstraint(['priority_id'], ['partnership_priorities.id'], name=op.f('fk_partnership_commitments_priority_id_partnership_priorities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_commitments'))
    )
    with op.batch_alter_table('partnership_commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_commitments_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_commitments_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_commitments_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_commitments_priority_id'), ['priority_id'], unique=False)

    op.create_table('partnership_meeting_actions',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('decision_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_organisation_id', sa.Uuid(), nullable=False),
    sa.Column('owner_user_id', sa.Uuid(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('completed_at', safetyhub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['partnership_meeting_decisions.id'], name=op.f('fk_partnership_meeting_actions_decision_id_partnership_meeting_decisions')),
    sa.ForeignKeyConstraint(['meeting_id'], ['partnership_meetings.id'], name=op.f('fk_partnership_meeting_actions_meeting_id_partnership_meetings')),
    sa.ForeignKeyConstraint(['owner_organisation_id'], ['organisations.id'], name=op.f('fk_partnership_meeting_actions_owner_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_partnership_meeting_actions_owner_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_meeting_actions'))
    )
    with op.batch_alter_table('partnership_meeting_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_meeting_actions_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_meeting_actions_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_meeting_actions_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_meeting_actions_owner_organisation_id'), ['owner_organisation_id'], unique=False)

    op.create_table('partnership_commitment_progress',
    sa.Column('commitment_id', sa.Uuid(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_partnership_commitment_progress_author_id_users')),
    sa.ForeignKeyConstraint(['commitment_id'], ['partnership_commitments.id'], name=op.f('fk_partnership_commitment_progress_commitment_id_partnership_commitments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_commitment_progress'))
    )
    with op.batch_alter_table('partnership_commitment_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_commitment_progress_commitment_id'), ['commitment_id'], unique=False)

    priorities = sa.table(
        "partnership_priorities", sa.column("id", sa.Uuid()), sa.column("code", sa.String()),
        sa.column("name", sa.String()), sa.column("position", sa.Integer()),
        sa.column("created_at", safetyhub.db.UTCDateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(priorities, [
        {"id": uuid.uuid5(PRIORITY_NAMESPACE, code), "code": code, "name": name,
         "position": (index + 1) * 10, "created_at": now}
        for index, (code, name) in enumerate(DEFAULT_PRIORITIES)
    ])


def downgrade() -> None:
    with op.batch_alter_table('partnership_commitment_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_commitment_progress_commitment_id'))

    op.drop_table('partnership_commitment_progress')
    with op.batch_alter_table('partnership_meeting_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_meeting_actions_owner_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_partnership_meeting_actions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_partnership_meeting_actions_due_on'))
        batch_op.drop_index(batch_op.f('ix_partnership_meeting_actions_decision_id'))

    op.drop_table('partnership_meeting_actions')
    with op.batch_alter_table('partnership_commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_commitments_priority_id'))
        batch_op.drop_index(batch_op.f('ix_partnership_commitments_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_partnership_commitments_due_on'))
        batch_op.drop_index(batch_op.f('ix_partnership_commitments_decision_id'))

    op.drop_table('partnership_commitments')
    with op.batch_alter_table('partnership_meeting_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_meeting_invitations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_partnership_meeting_invitations_meeting_id'))

    op.drop_table('partnership_meeting_invitations')
    with op.batch_alter_table('partnership_meeting_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_meeting_decisions_meeting_id'))

    op.drop_table('partnership_meeting_decisions')
    with op.batch_alter_table('partnership_meeting_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_meeting_attachments_meeting_id'))

    op.drop_table('partnership_meeting_attachments')
    with op.batch_alter_table('partnership_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_meetings_held_on'))

    op.drop_table('partnership_meetings')
    op.drop_table('partnership_priorities')
