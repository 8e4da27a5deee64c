"""The plain data rows indicators read: no database, no session, no policy."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class IncidentFact:
    """One incident as an indicator sees it (the narrative only where a rule reads it)."""

    incident_id: uuid.UUID
    organisation_id: uuid.UUID
    category: str
    occurred_at: datetime
    place_id: uuid.UUID | None = None
    narrative: str = ""


@dataclass(frozen=True, slots=True)
class Involvement:
    """A subject's part in an incident, through one of its person records."""

    incident: IncidentFact
    person_record_id: uuid.UUID
    role: str


@dataclass(frozen=True, slots=True)
class RecordFact:
    """A person record of the subject: which agency holds it and since when."""

    person_record_id: uuid.UUID
    organisation_id: uuid.UUID
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CaseFact:
    """A case about the subject (a person record of it is a case subject, or it is the place)."""

    case_id: uuid.UUID
    lead_organisation_id: uuid.UUID
    status: str
    kind: str
    risk_level: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PartyAtPlace:
    """Someone involved in an incident at a place: who (their subject key) and how."""

    person_key: str
    person_record_id: uuid.UUID
    role: str
    # The person record's address is this place (their home), as far as the records say.
    lives_here: bool = False


@dataclass(frozen=True, slots=True)
class PlaceIncident:
    """An incident at a place with the people involved."""

    incident: IncidentFact
    parties: tuple[PartyAtPlace, ...] = ()


@dataclass
class PersonFacts:
    """Everything the person indicators read about one Identity (or unlinked person record)."""

    subject_key: str
    records: list[RecordFact] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    cases: list[CaseFact] = field(default_factory=list)
    marac_referrals: list[datetime] = field(default_factory=list)


@dataclass
class PlaceFacts:
    """Everything the place indicators read about one place."""

    place_id: uuid.UUID
    incidents: list[PlaceIncident] = field(default_factory=list)
    cases: list[CaseFact] = field(default_factory=list)
