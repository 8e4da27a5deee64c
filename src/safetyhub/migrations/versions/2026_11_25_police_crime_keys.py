"""police_crimes keys: a 16-byte record key, and the file and time once per import

The record key becomes the first 128 bits of what it was (a Crime ID or the SHA-256 of an ASB
row, both hex), which is exactly what imports now derive, so re-importing a file imported
before this migration still adds nothing. Each row's file name and import time move to
police_crime_imports, referenced by its id.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

import safetyhub.db

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _uuid(value: uuid.UUID) -> object:
    """A UUID as the dialect stores it (SQLite: 32 hex digits)."""
    return value if op.get_bind().dialect.name == "postgresql" else value.hex


def upgrade() -> None:
    op.create_table(
        "police_crime_imports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_file", sa.String(length=200), nullable=False),
        sa.Column("imported_at", safetyhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_crime_imports")),
    )
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    with op.batch_alter_table("police_crimes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_id", sa.Uuid(), nullable=True))
    # One import per (file, time) already stored; raw values, so they compare as stored.
    pairs = bind.execute(sa.text(
        "SELECT DISTINCT source_file, imported_at FROM police_crimes")).all()
    for source_file, imported_at in pairs:
        bind.execute(sa.text(
            "INSERT INTO police_crime_imports (id, source_file, imported_at) "
            "VALUES (:id, :source_file, :imported_at)"),
            {"id": _uuid(uuid.uuid4()), "source_file": source_file,
             "imported_at": imported_at})
    bind.execute(sa.text(
        "UPDATE police_crimes SET import_id = (SELECT i.id FROM police_crime_imports i "
        "WHERE i.source_file = police_crimes.source_file "
        "AND i.imported_at = police_crimes.imported_at)"))
    if postgres:
        op.execute("ALTER TABLE police_crimes ALTER COLUMN record_key TYPE uuid "
                    "USING left(record_key, 32)::uuid")
    else:  # SQLAlchemy's Uuid on SQLite: CHAR(32), lower-case hex digits
        op.execute("UPDATE police_crimes SET record_key = lower(substr(record_key, 1, 32))")
    with op.batch_alter_table("police_crimes", schema=None) as batch_op:
        if not postgres:
            batch_op.alter_column("record_key", existing_type=sa.String(length=64),
                                  type_=sa.Uuid(), existing_nullable=False)
        batch_op.alter_column("import_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_column("imported_at")
        batch_op.drop_column("source_file")


def downgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    with op.batch_alter_table("police_crimes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_file", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("imported_at", safetyhub.db.UTCDateTime(timezone=True),
                                      nullable=True))
    bind.execute(sa.text(
        "UPDATE police_crimes SET "
        "source_file = (SELECT i.source_file FROM police_crime_imports i "
        "WHERE i.id = police_crimes.import_id), "
        "imported_at = (SELECT i.imported_at FROM police_crime_imports i "
        "WHERE i.id = police_crimes.import_id)"))
    # The keys keep their 32 hex digits (the other half of each SHA-256 is gone).
    if postgres:
        op.execute("ALTER TABLE police_crimes ALTER COLUMN record_key TYPE varchar(64) "
                   "USING replace(record_key::text, '-', '')")
    with op.batch_alter_table("police_crimes", schema=None) as batch_op:
        if not postgres:
            batch_op.alter_column("record_key", existing_type=sa.Uuid(),
                                  type_=sa.String(length=64), existing_nullable=False)
        batch_op.alter_column("source_file", existing_type=sa.String(length=200),
                              nullable=False)
        batch_op.alter_column("imported_at",
                              existing_type=safetyhub.db.UTCDateTime(timezone=True),
                              nullable=False)
        batch_op.drop_column("import_id")
    op.drop_table("police_crime_imports")
