"""Person record selects, each starting from the access policy."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, true
from sqlalchemy.orm import InstrumentedAttribute

from safetyhub.auth.actor import Actor
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.sharing import policy


def _contains(column: InstrumentedAttribute[str], term: str) -> ColumnElement[bool]:
    # lower() on both sides: SQLite's LIKE only folds ASCII, PostgreSQL's LIKE folds nothing.
    return func.lower(column).contains(term.lower(), autoescape=True)


def postcode_matches(
    column: InstrumentedAttribute[str | None], value: str, *, is_prefix: bool
) -> ColumnElement[bool]:
    """Condition: a normalised postcode column equals `value` or starts with it."""
    if is_prefix:
        return column.startswith(value, autoescape=True)
    return column == value


def person_record_matching(
    *, name: str | None, date_of_birth: date | None, postcode: tuple[str, bool] | None
) -> ColumnElement[bool]:
    """Condition: the search criteria (each word of `name` in the given or family name)."""
    conditions: list[ColumnElement[bool]] = []
    for word in (name or "").split():
        conditions.append(
            or_(_contains(PersonRecord.given_name, word), _contains(PersonRecord.family_name, word))
        )
    if date_of_birth is not None:
        conditions.append(PersonRecord.date_of_birth == date_of_birth)
    if postcode is not None:
        conditions.append(
            postcode_matches(PersonRecord.postcode, postcode[0], is_prefix=postcode[1])
        )
    return and_(true(), *conditions)


def person_records_with_owner(actor: Actor) -> Select[tuple[PersonRecord, str]]:
    """Visible person records with the owning agency's name."""
    return (
        policy.visible_person_records(actor)
        .join(Organisation, Organisation.id == PersonRecord.organisation_id)
        .add_columns(Organisation.name)
    )


def person_record_by_id(
    actor: Actor, person_record_id: uuid.UUID
) -> Select[tuple[PersonRecord, str]]:
    """One visible person record (with its agency's name), or no row."""
    return person_records_with_owner(actor).where(PersonRecord.id == person_record_id)


def person_records_found(
    actor: Actor, matching: ColumnElement[bool]
) -> Select[tuple[PersonRecord]]:
    """Visible person records meeting the search criteria (for counting)."""
    return policy.visible_person_records(actor).where(matching)
