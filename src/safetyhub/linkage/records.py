"""Reading person records out of the database as prepared linkage rows (the extract layer)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from safetyhub.linkage.normalise import prepared
from safetyhub.people.models import PersonRecord

_COLUMNS = (
    PersonRecord.id, PersonRecord.given_name, PersonRecord.family_name,
    PersonRecord.date_of_birth, PersonRecord.postcode, PersonRecord.address, PersonRecord.phone,
    PersonRecord.agency_identifier,
)
ALL_FIELDS = {"given_name", "family_name", "date_of_birth", "postcode", "address", "phone",
              "identifier"}


def _statement() -> Select[Any]:
    return select(*_COLUMNS)


def _row(values: Sequence[Any]) -> dict[str, Any]:
    record_id, given, family, dob, postcode, address, phone, identifier = values
    return prepared(str(record_id), {
        "given_name": given, "family_name": family, "date_of_birth": dob, "postcode": postcode,
        "address": address, "phone": phone, "identifier": identifier,
    })


def all_records(session: Session, *, batch_size: int = 20_000) -> Iterator[dict[str, Any]]:
    """Every person record, prepared (the system's read: linkage sees all to link all)."""
    statement = _statement().order_by(PersonRecord.id).execution_options(yield_per=batch_size)
    for values in session.execute(statement):
        yield _row(tuple(values))


def records_by_id(session: Session, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    """The given person records, prepared."""
    return [_row(tuple(v)) for v in session.execute(_statement().where(PersonRecord.id.in_(ids)))]


def candidate_records(session: Session, record: PersonRecord, *, limit: int = 2_000
                      ) -> list[dict[str, Any]]:
    """Records sharing a blocking key with `record` (the incremental path's blocking)."""
    from sqlalchemy import func, or_

    keys = [func.lower(PersonRecord.family_name) == record.family_name.lower(),
            # Given and family name swapped by one agency.
            func.lower(PersonRecord.given_name) == record.family_name.lower()]
    if record.date_of_birth is not None:
        keys.append(PersonRecord.date_of_birth == record.date_of_birth)
    if record.postcode:
        keys.append(PersonRecord.postcode == record.postcode)
    if record.phone:
        keys.append(PersonRecord.phone == record.phone)
    if record.agency_identifier:
        keys.append(PersonRecord.agency_identifier == record.agency_identifier)
    statement = (_statement().where(PersonRecord.id != record.id, or_(*keys))
                 .order_by(PersonRecord.created_at.desc()).limit(limit))
    return [_row(tuple(v)) for v in session.execute(statement)]
