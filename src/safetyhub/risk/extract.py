"""The batch run's extract: the facts indicators read, moved in bulk into Arrow tables.

One SELECT per table, raw driver values (identifiers as text, times as the driver gives them):
no per-row conversion into Python objects. Times become naive UTC `timestamp[us]` columns.
These reads are the system's, not a user's (see risk.loading).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import ColumnElement, String, cast, literal_column, select, type_coerce
from sqlalchemy.orm import Session

from safetyhub.extract import TEXT, TIME, arrow_table
from safetyhub.incidents.models import Incident, IncidentParty
from safetyhub.people.models import IdentityLink, PersonRecord
from safetyhub.risk.config import RiskConfig
from safetyhub.risk.loading import (
    MARAC_SOURCES,
    marac_from_cases,
    marac_from_dash,
    narrative_column,
)

INCIDENT_SCHEMA = (("incident_id", TEXT), ("org", TEXT), ("category", TEXT),
                   ("occurred_at", TIME), ("place_id", TEXT), ("narrative", TEXT))


def text_id(column: Any) -> ColumnElement[str]:
    """An identifier column read as text on every backend (hex on SQLite, dashed elsewhere)."""
    return cast(column, String)


def raw(column: Any) -> ColumnElement[Any]:
    """A column read as the driver returns it (no per-row type conversion)."""
    return type_coerce(column, String)


def naive_utc(moment: datetime) -> datetime:
    """`moment` in UTC without its zone, as the extract's time columns hold it."""
    return moment.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Extract:
    """Every fact the batch run counts over, as Arrow tables."""

    links: pa.Table  # record_id, identity_id
    records: pa.Table  # record_id, org, created_at (created in the lookback)
    incidents: pa.Table  # INCIDENT_SCHEMA, occurring in the lookback
    parties: pa.Table  # incident_id, record_id, role (every party: joined in DuckDB)
    marac: pa.Table  # record_id, referred_at (referrals before the moment evaluated)


def id_text(session: Session, value: uuid.UUID) -> str:
    """`value` as `text_id` reads it on this session's backend."""
    return value.hex if session.get_bind().dialect.name == "sqlite" else str(value)


def _marac(session: Session, as_of: datetime) -> pa.Table:
    pairs = [(id_text(session, record), naive_utc(when))
             for source in [marac_from_cases, marac_from_dash, *MARAC_SOURCES]
             for record, dates in source(session, None).items() for when in dates
             if when < as_of]
    return pa.table({"record_id": pa.array([r for r, _ in pairs], TEXT),
                     "referred_at": pa.array([w for _, w in pairs], TIME)})


def scanned(session: Session, column: Any) -> ColumnElement[Any]:
    """`column` for a window filter that should scan the table, not walk its index.

    The lookback covers most rows, which a scan reads many times faster than index lookups;
    SQLite (no statistics) would take the index, so a unary + (a no-op) keeps it off it.
    """
    if session.get_bind().dialect.name == "sqlite":
        table = column.property.columns[0].table.name
        return literal_column(f"+{table}.{column.key}", type_=column.type)
    return column  # type: ignore[no-any-return]


def read_extract(session: Session, config: RiskConfig, as_of: datetime) -> Extract:
    """Read the facts of the lookback window ending at `as_of`, one SELECT per table."""
    since = as_of - timedelta(days=config.lookback_days)
    links = arrow_table(session, select(
        text_id(IdentityLink.person_record_id), text_id(IdentityLink.identity_id)),
        (("record_id", TEXT), ("identity_id", TEXT)))
    created = scanned(session, PersonRecord.created_at)
    records = arrow_table(session, select(
        text_id(PersonRecord.id), text_id(PersonRecord.organisation_id),
        raw(PersonRecord.created_at)).where(created >= since, created < as_of),
        (("record_id", TEXT), ("org", TEXT), ("created_at", TIME)))
    occurred = scanned(session, Incident.occurred_at)
    incidents = arrow_table(session, select(
        text_id(Incident.id), text_id(Incident.organisation_id), Incident.category,
        raw(Incident.occurred_at), text_id(Incident.place_id), narrative_column(config))
        .where(occurred >= since, occurred < as_of), INCIDENT_SCHEMA)
    parties = arrow_table(session, select(
        text_id(IncidentParty.incident_id), text_id(IncidentParty.person_record_id),
        IncidentParty.role), (("incident_id", TEXT), ("record_id", TEXT), ("role", TEXT)))
    return Extract(links, records, incidents, parties, _marac(session, as_of))


class Ids:
    """Text identifiers back to UUIDs, each converted once."""

    def __init__(self) -> None:
        self._seen: dict[str, uuid.UUID] = {}

    def __call__(self, text: str) -> uuid.UUID:
        """The UUID of `text` (hex or dashed)."""
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = uuid.UUID(text)
        return found

    def optional(self, text: str | None) -> uuid.UUID | None:
        """The UUID of `text`, or None."""
        return None if text is None else self(text)


def aware(moment: datetime) -> datetime:
    """A naive UTC time from the extract as the timezone-aware time the models give."""
    return moment.replace(tzinfo=UTC)
