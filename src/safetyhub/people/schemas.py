"""API shapes for person records."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from safetyhub.people.models import PersonRecord
from safetyhub.places.schemas import UKPostcode
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.timeutil import local, utcnow

EARLIEST_DATE_OF_BIRTH = date(1900, 1, 1)


class PersonRecordCreate(BaseModel):
    """A new person record of the actor's own agency."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    date_of_birth: date | None = None
    address: str | None = Field(default=None, max_length=300)
    postcode: UKPostcode = None
    phone: str | None = Field(default=None, max_length=30, pattern=r"^[0-9+() \-]*$")
    agency_identifier: str | None = Field(default=None, max_length=60)
    sensitivity: Sensitivity = Sensitivity.standard

    @field_validator("date_of_birth")
    @classmethod
    def _plausible_birth_date(cls, value: date | None) -> date | None:
        if value is None:
            return None
        # "Today" is the partnership's day (Europe/London), not the server's.
        if value > local(utcnow()).date():
            raise ValueError("The date of birth cannot be in the future.")
        if value < EARLIEST_DATE_OF_BIRTH:
            raise ValueError("The date of birth cannot be before 1900.")
        return value


class PersonRecordRead(BaseModel):
    """A person record, with the agency that owns it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    address: str | None
    postcode: str | None
    phone: str | None
    agency_identifier: str | None
    sensitivity: Sensitivity
    created_at: datetime

    @classmethod
    def of(cls, record: PersonRecord, organisation_name: str) -> PersonRecordRead:
        """The read shape of `record`, owned by the agency called `organisation_name`."""
        return cls(
            id=record.id, organisation_id=record.organisation_id,
            organisation_name=organisation_name, given_name=record.given_name,
            family_name=record.family_name, date_of_birth=record.date_of_birth,
            address=record.address, postcode=record.postcode, phone=record.phone,
            agency_identifier=record.agency_identifier,
            sensitivity=Sensitivity(record.sensitivity), created_at=record.created_at,
        )


class PersonRecordPage(BaseModel):
    """One page of matching person records, and how many other agencies hold hidden matches."""

    items: list[PersonRecordRead]
    total: int
    page: int
    page_size: int
    # Rule 4: the most that is said about records the actor may not see.
    known_to_other_agencies: int
