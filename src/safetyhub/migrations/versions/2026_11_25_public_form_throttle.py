"""public form throttle: recent submissions of the ASB Case Review application and appeal

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import safetyhub.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_submissions",
        sa.Column("form", sa.String(length=40), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", safetyhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_submissions")),
    )
    with op.batch_alter_table("public_submissions", schema=None) as batch_op:
        batch_op.create_index("ix_public_submissions_form_created", ["form", "created_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_public_submissions_client_key"), ["client_key"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("public_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_submissions_client_key"))
        batch_op.drop_index("ix_public_submissions_form_created")
    op.drop_table("public_submissions")
