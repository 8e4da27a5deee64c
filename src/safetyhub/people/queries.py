"""Person record selects, each starting from the access policy; and paging helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from safetyhub.auth.actor import Actor
from safetyhub.config import get_settings
from safetyhub.errors import InvalidInput
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.sharing import policy

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    """Which page of a list to answer (1-based), already checked against the settings."""

    page: int
    page_size: int

    @property
    def offset(self) -> int:
        """Rows to skip before this page."""
        return (self.page - 1) * self.page_size


def page_request(page: int = 1, page_size: int | None = None) -> PageRequest:
    """A checked page request: default and maximum page sizes come from the settings."""
    settings = get_settings()
    size = settings.page_size_default if page_size is None else page_size
    if page < 1:
        raise InvalidInput("page starts at 1.")
    if size < 1 or size > settings.page_size_max:
        raise InvalidInput(f"page_size must be between 1 and {settings.page_size_max}.")
    return PageRequest(page=page, page_size=size)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a policy-filtered list; `total` counts only rows the actor may see."""

    items: list[T]
    total: int
    page: int
    page_size: int


def count_of(session: Session, statement: Select[Any]) -> int:
    """How many rows `statement` answers (counted in SQL, so hidden rows are never counted)."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(session.scalar(counted) or 0)


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
