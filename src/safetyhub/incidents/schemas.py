"""API shapes for incidents and the people involved in them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from safetyhub.incidents.models import Incident, IncidentCategory, PartyRole
from safetyhub.people.models import PersonRecord
from safetyhub.sharing.vocabulary import Sensitivity

if TYPE_CHECKING:
    from safetyhub.incidents.service import IncidentDetail, IncidentView
    from safetyhub.pagination import Page

MAX_NARRATIVE = 20_000
MAX_PARTIES = 50


class IncidentPartyCreate(BaseModel):
    """A person record involved in a new incident, and how."""

    model_config = ConfigDict(extra="forbid")

    person_record_id: uuid.UUID
    role: PartyRole


class IncidentCreate(BaseModel):
    """A new incident of the actor's own agency."""

    model_config = ConfigDict(extra="forbid")

    category: IncidentCategory
    # Naive times are taken to be UTC; the service checks them against the clock.
    occurred_at: datetime
    reported_at: datetime | None = None
    place_id: uuid.UUID | None = None
    district: str | None = Field(default=None, max_length=100)
    # Kept verbatim (no stripping): it is the practitioner's account.
    narrative: str = Field(default="", max_length=MAX_NARRATIVE)
    sensitivity: Sensitivity = Sensitivity.standard
    parties: list[IncidentPartyCreate] = Field(default_factory=list, max_length=MAX_PARTIES)

    @field_validator("district")
    @classmethod
    def _blank_district_is_none(cls, value: str | None) -> str | None:
        return (value or "").strip() or None

    @model_validator(mode="after")
    def _no_repeated_party(self) -> IncidentCreate:
        pairs = [(party.person_record_id, party.role) for party in self.parties]
        if len(pairs) != len(set(pairs)):
            raise ValueError("The same person is listed twice in the same role.")
        return self


class IncidentPartyRead(BaseModel):
    """A party whose person record the reader may see."""

    person_record_id: uuid.UUID
    role: PartyRole
    given_name: str
    family_name: str
    organisation_id: uuid.UUID
    organisation_name: str

    @classmethod
    def of(cls, record: PersonRecord, role: str, organisation_name: str) -> IncidentPartyRead:
        """The read shape of a visible party."""
        return cls(
            person_record_id=record.id, role=PartyRole(role), given_name=record.given_name,
            family_name=record.family_name, organisation_id=record.organisation_id,
            organisation_name=organisation_name,
        )


class IncidentSummaryRead(BaseModel):
    """An incident in a list (no narrative or parties: the minimum necessary)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    category: IncidentCategory
    occurred_at: datetime
    reported_at: datetime
    place_id: uuid.UUID | None
    district: str | None
    sensitivity: Sensitivity
    created_at: datetime

    @classmethod
    def of(cls, incident: Incident, organisation_name: str) -> IncidentSummaryRead:
        """The list shape of `incident`, recorded by the agency called `organisation_name`."""
        return cls(
            id=incident.id, organisation_id=incident.organisation_id,
            organisation_name=organisation_name, category=IncidentCategory(incident.category),
            occurred_at=incident.occurred_at, reported_at=incident.reported_at,
            place_id=incident.place_id, district=incident.district,
            sensitivity=Sensitivity(incident.sensitivity), created_at=incident.created_at,
        )


class IncidentRead(IncidentSummaryRead):
    """One incident with the parties the reader may see; the others only counted."""

    narrative: str
    parties: list[IncidentPartyRead]
    hidden_parties: int

    @classmethod
    def of_detail(cls, detail: IncidentDetail) -> IncidentRead:
        """The read shape of an incident with its visible parties."""
        summary = IncidentSummaryRead.of(detail.incident, detail.organisation_name)
        parties = [
            IncidentPartyRead.of(party.person.record, party.role, party.person.organisation_name)
            for party in detail.parties
        ]
        return cls(**summary.model_dump(), narrative=detail.incident.narrative,
                   parties=parties, hidden_parties=detail.hidden_parties)


class IncidentPage(BaseModel):
    """One page of incidents the reader may see (hidden ones are not counted)."""

    items: list[IncidentSummaryRead]
    total: int
    page: int
    page_size: int

    @classmethod
    def of(cls, page: Page[IncidentView]) -> IncidentPage:
        """The list shape of a page of incidents."""
        return cls(
            items=[IncidentSummaryRead.of(view.incident, view.organisation_name)
                   for view in page.items],
            total=page.total, page=page.page, page_size=page.page_size,
        )
