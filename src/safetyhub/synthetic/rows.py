"""Plain rows of the synthetic county, one dataclass per table (field names are column names)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any


@dataclass(slots=True)
class OrganisationRow:
    """A partner agency."""

    id: uuid.UUID
    name: str
    kind: str
    district: str | None
    created_at: datetime


@dataclass(slots=True)
class UserRow:
    """A user; the loader adds the (one, shared) demo password hash."""

    id: uuid.UUID
    email: str
    full_name: str
    organisation_id: uuid.UUID
    role: str
    active: bool
    created_at: datetime


@dataclass(slots=True)
class AgreementRow:
    """An information-sharing agreement."""

    id: uuid.UUID
    title: str
    lawful_basis: str
    lawful_basis_detail: str
    valid_from: date
    valid_to: date
    status: str
    drafted_by_organisation_id: uuid.UUID
    revoked_at: datetime | None
    revoked_by_organisation_id: uuid.UUID | None
    created_at: datetime


@dataclass(slots=True)
class AgreementPartyRow:
    """A party to an agreement and its signature."""

    id: uuid.UUID
    agreement_id: uuid.UUID
    organisation_id: uuid.UUID
    signed_at: datetime | None
    signed_by_id: uuid.UUID | None


@dataclass(slots=True)
class AgreementPurposeRow:
    """A purpose an agreement allows."""

    id: uuid.UUID
    agreement_id: uuid.UUID
    purpose: str


@dataclass(slots=True)
class AgreementCategoryRow:
    """A data category an agreement covers."""

    id: uuid.UUID
    agreement_id: uuid.UUID
    category: str


@dataclass(slots=True)
class PlaceRow:
    """An address or public location."""

    id: uuid.UUID
    address: str
    postcode: str | None
    uprn: str | None
    latitude: float | None
    longitude: float | None
    lsoa_code: str | None
    district: str | None
    created_by_organisation_id: uuid.UUID | None
    created_at: datetime


@dataclass(slots=True)
class PersonRecordRow:
    """What one agency holds about a person."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: date | None
    address: str | None
    postcode: str | None
    phone: str | None
    agency_identifier: str | None
    sensitivity: str
    created_by_id: uuid.UUID | None
    created_at: datetime


@dataclass(slots=True)
class IncidentRow:
    """An incident or concern recorded by one agency."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    category: str
    occurred_at: datetime
    reported_at: datetime
    place_id: uuid.UUID | None
    district: str | None
    narrative: str
    sensitivity: str
    created_by_id: uuid.UUID | None
    created_at: datetime


@dataclass(slots=True)
class IncidentPartyRow:
    """A person record's role in an incident."""

    id: uuid.UUID
    incident_id: uuid.UUID
    person_record_id: uuid.UUID
    role: str


@dataclass(slots=True)
class CaseRow:
    """A multi-agency case."""

    id: uuid.UUID
    lead_organisation_id: uuid.UUID
    title: str
    kind: str
    risk_level: str
    status: str
    place_id: uuid.UUID | None
    outcome: str | None
    closed_at: datetime | None
    opened_by_id: uuid.UUID | None
    created_at: datetime


@dataclass(slots=True)
class CaseMemberRow:
    """An agency taking part in a case."""

    id: uuid.UUID
    case_id: uuid.UUID
    organisation_id: uuid.UUID
    created_at: datetime


@dataclass(slots=True)
class CaseSubjectRow:
    """A person record a case is about."""

    id: uuid.UUID
    case_id: uuid.UUID
    person_record_id: uuid.UUID
    created_at: datetime


@dataclass(slots=True)
class CaseIncidentRow:
    """An incident attached to a case."""

    id: uuid.UUID
    case_id: uuid.UUID
    incident_id: uuid.UUID
    created_at: datetime


@dataclass(slots=True)
class CaseActionRow:
    """An action an agency agreed to do for a case."""

    id: uuid.UUID
    case_id: uuid.UUID
    organisation_id: uuid.UUID
    owner_user_id: uuid.UUID | None
    description: str
    due_date: date | None
    state: str
    completed_at: datetime | None
    created_at: datetime


@dataclass(slots=True)
class CaseNoteRow:
    """A note on a case."""

    id: uuid.UUID
    case_id: uuid.UUID
    organisation_id: uuid.UUID
    author_id: uuid.UUID | None
    text: str
    sensitivity: str
    created_at: datetime


@dataclass(slots=True)
class ReferralRow:
    """A referral from one agency to another."""

    id: uuid.UUID
    from_organisation_id: uuid.UUID
    to_organisation_id: uuid.UUID
    person_record_id: uuid.UUID | None
    case_id: uuid.UUID | None
    subject_name: str | None
    subject_date_of_birth: date | None
    reason: str
    lawful_basis: str
    consent_obtained: bool
    state: str
    respond_by: date
    decline_reason: str | None
    outcome: str | None
    responded_at: datetime | None
    completed_at: datetime | None
    sent_by_id: uuid.UUID | None
    created_at: datetime


@dataclass
class Rows:
    """Rows for every table, in an order that satisfies the foreign keys when loaded top-down."""

    organisations: list[OrganisationRow] = field(default_factory=list)
    users: list[UserRow] = field(default_factory=list)
    agreements: list[AgreementRow] = field(default_factory=list)
    agreement_parties: list[AgreementPartyRow] = field(default_factory=list)
    agreement_purposes: list[AgreementPurposeRow] = field(default_factory=list)
    agreement_categories: list[AgreementCategoryRow] = field(default_factory=list)
    places: list[PlaceRow] = field(default_factory=list)
    person_records: list[PersonRecordRow] = field(default_factory=list)
    incidents: list[IncidentRow] = field(default_factory=list)
    incident_parties: list[IncidentPartyRow] = field(default_factory=list)
    cases: list[CaseRow] = field(default_factory=list)
    case_members: list[CaseMemberRow] = field(default_factory=list)
    case_subjects: list[CaseSubjectRow] = field(default_factory=list)
    case_incidents: list[CaseIncidentRow] = field(default_factory=list)
    case_actions: list[CaseActionRow] = field(default_factory=list)
    case_notes: list[CaseNoteRow] = field(default_factory=list)
    referrals: list[ReferralRow] = field(default_factory=list)

    def tables(self) -> Iterator[tuple[str, list[Any]]]:
        """(table name, rows) in foreign-key order."""
        for f in fields(self):
            yield f.name, getattr(self, f.name)

    def counts(self) -> dict[str, int]:
        """Number of rows per table."""
        return {name: len(rows) for name, rows in self.tables()}

    def total(self) -> int:
        """Number of rows in all tables."""
        return sum(len(rows) for _, rows in self.tables())


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def as_dict(row: Any) -> dict[str, Any]:
    """A row as the column -> value mapping an INSERT takes."""
    return {name: getattr(row, name) for name in _field_names(type(row))}
