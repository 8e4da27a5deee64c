"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from safetyhub.all_models import metadata
from safetyhub.migrate import alembic_config


def test_one_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_migrated_schema_matches_the_models(connection: Connection) -> None:
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    assert compare_metadata(context, metadata) == []
