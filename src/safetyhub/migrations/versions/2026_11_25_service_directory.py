"""service directory (Open Referral HSDS) and referrals to listed services

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import safetyhub.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('directory_organizations',
    sa.Column('hsds_id', sa.String(length=250), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('partner_organisation_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_organisation_id'], ['organisations.id'], name=op.f('fk_directory_organizations_partner_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_organizations')),
    sa.UniqueConstraint('hsds_id', name=op.f('uq_directory_organizations_hsds_id'))
    )
    with op.batch_alter_table('directory_organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_organizations_partner_organisation_id'), ['partner_organisation_id'], unique=False)

    op.create_table('directory_locations',
    sa.Column('hsds_id', sa.String(length=250), nullable=False),
    sa.Column('location_type', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=True),
    sa.Column('address_1', sa.String(length=250), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=10), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_locations')),
    sa.UniqueConstraint('hsds_id', name=op.f('uq_directory_locations_hsds_id'))
    )
    with op.batch_alter_table('directory_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_locations_postal_code'), ['postal_code'], unique=False)

    op.create_table('directory_taxonomy_terms',
    sa.Column('hsds_id', sa.String(length=250), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('taxonomy', sa.String(length=250), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_taxonomy_terms')),
    sa.UniqueConstraint('code', name=op.f('uq_directory_taxonomy_terms_code')),
    sa.UniqueConstraint('hsds_id', name=op.f('uq_directory_taxonomy_terms_hsds_id'))
    )
    op.create_table('directory_services',
    sa.Column('hsds_id', sa.String(length=250), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('alternate_name', sa.String(length=250), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('eligibility_description', sa.Text(), nullable=True),
    sa.Column('application_process', sa.Text(), nullable=True),
    sa.Column('needs', sa.String(length=1000), nullable=False),
    sa.Column('service_areas', sa.String(length=1000), nullable=False),
    sa.Column('phones', sa.String(length=500), nullable=True),
    sa.Column('updated_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', safetyhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['directory_organizations.id'], name=op.f('fk_directory_services_organization_id_directory_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_services')),
    sa.UniqueConstraint('hsds_id', name=op.f('uq_directory_services_hsds_id'))
    )
    with op.batch_alter_table('directory_services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_services_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_services_organization_id'), ['organization_id'], unique=False)

    op.create_table('directory_service_at_locations',
    sa.Column('hsds_id', sa.String(length=250), nullable=False),
    sa.Column('service_id', sa.Uuid(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['directory_locations.id'], name=op.f('fk_directory_service_at_locations_location_id_directory_locations')),
    sa.ForeignKeyConstraint(['service_id'], ['directory_services.id'], name=op.f('fk_directory_service_at_locations_service_id_directory_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_service_at_locations')),
    sa.UniqueConstraint('hsds_id', name=op.f('uq_directory_service_at_locations_hsds_id'))
    )
    with op.batch_alter_table('directory_service_at_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_service_at_locations_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_service_at_locations_service_id'), ['service_id'], unique=False)

    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_referrals_service_id'), ['service_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_referrals_service_id_directory_services'), 'directory_services', ['service_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_referrals_service_id_directory_services'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_referrals_service_id'))
        batch_op.drop_column('service_id')

    with op.batch_alter_table('directory_service_at_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_service_at_locations_service_id'))
        batch_op.drop_index(batch_op.f('ix_directory_service_at_locations_location_id'))

    op.drop_table('directory_service_at_locations')
    with op.batch_alter_table('directory_services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_services_organization_id'))
        batch_op.drop_index(batch_op.f('ix_directory_services_name'))

    op.drop_table('directory_services')
    op.drop_table('directory_taxonomy_terms')
    with op.batch_alter_table('directory_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_locations_postal_code'))

    op.drop_table('directory_locations')
    with op.batch_alter_table('directory_organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_organizations_partner_organisation_id'))

    op.drop_table('directory_organizations')
