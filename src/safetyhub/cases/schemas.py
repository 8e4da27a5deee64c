"""API shapes for cases: what a request may send and what a read answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from safetyhub.cases.models import ActionState, CaseKind, CaseStatus, RiskLevel
from safetyhub.sharing.vocabulary import Sensitivity

MAX_NOTE_CHARS = 20_000
MAX_OUTCOME_CHARS = 5_000
MAX_SUBJECTS_AT_OPENING = 50

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)
]
NoteText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NOTE_CHARS)
]
Outcome = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_OUTCOME_CHARS)
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseCreate(_Request):
    """A new case led by the actor's agency."""

    title: Title
    kind: CaseKind
    risk_level: RiskLevel
    place_id: uuid.UUID | None = None
    subject_person_record_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=MAX_SUBJECTS_AT_OPENING
    )


class CaseMemberAdd(_Request):
    """Another agency joining the case."""

    organisation_id: uuid.UUID


class CaseSubjectAdd(_Request):
    """A person record the case is (also) about."""

    person_record_id: uuid.UUID


class CaseIncidentAttach(_Request):
    """An incident to attach to the case."""

    incident_id: uuid.UUID


class CaseActionCreate(_Request):
    """Something a member agency agrees to do, by a date."""

    description: Description
    due_date: date
    organisation_id: uuid.UUID
    owner_user_id: uuid.UUID | None = None


class CaseNoteCreate(_Request):
    """A note, owned by the author's agency, with its own sensitivity."""

    text: NoteText
    sensitivity: Sensitivity


class CaseClose(_Request):
    """Closing a case needs its outcome."""

    outcome: Outcome


class OrganisationRef(BaseModel):
    """An agency named in a case."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str


class CaseRead(BaseModel):
    """A case as a list or a change answers it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    kind: CaseKind
    risk_level: RiskLevel
    status: CaseStatus
    lead_organisation_id: uuid.UUID
    lead_organisation_name: str
    place_id: uuid.UUID | None
    outcome: str | None
    created_at: datetime
    closed_at: datetime | None


class CasePage(BaseModel):
    """One page of the cases visible to the actor; `total` counts only visible cases."""

    items: list[CaseRead]
    total: int
    page: int
    page_size: int


class CaseMemberRead(BaseModel):
    """A member agency of a case."""

    model_config = ConfigDict(from_attributes=True)

    case_id: uuid.UUID
    organisation_id: uuid.UUID
    created_at: datetime


class CaseSubjectLinkRead(BaseModel):
    """A person record linked to a case."""

    model_config = ConfigDict(from_attributes=True)

    case_id: uuid.UUID
    person_record_id: uuid.UUID
    created_at: datetime


class CaseIncidentLinkRead(BaseModel):
    """An incident attached to a case."""

    model_config = ConfigDict(from_attributes=True)

    case_id: uuid.UUID
    incident_id: uuid.UUID
    created_at: datetime


class CaseSubjectRead(BaseModel):
    """A subject the actor may see: the minimum to recognise the person."""

    model_config = ConfigDict(from_attributes=True)

    person_record_id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    given_name: str
    family_name: str
    date_of_birth: date | None


class CaseIncidentRead(BaseModel):
    """An attached incident the actor may see."""

    model_config = ConfigDict(from_attributes=True)

    incident_id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    category: str
    occurred_at: datetime
    sensitivity: Sensitivity


class CaseActionRead(BaseModel):
    """An action on a case."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    organisation_id: uuid.UUID
    owner_user_id: uuid.UUID | None
    description: str
    due_date: date | None
    state: ActionState
    created_at: datetime
    completed_at: datetime | None


class CaseNoteRead(BaseModel):
    """A note the actor may read."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    organisation_id: uuid.UUID
    author_id: uuid.UUID | None
    text: str
    sensitivity: Sensitivity
    created_at: datetime


class CaseDetailRead(CaseRead):
    """A case with what the actor may see of it; hidden records are only counted (rule 4)."""

    members: list[OrganisationRef]
    subjects: list[CaseSubjectRead]
    hidden_subject_count: int
    incidents: list[CaseIncidentRead]
    hidden_incident_count: int
    actions: list[CaseActionRead]
    notes: list[CaseNoteRead]


class ActionDue(CaseActionRead):
    """An open action for the home page, with its case's title."""

    case_title: str
    overdue: bool
