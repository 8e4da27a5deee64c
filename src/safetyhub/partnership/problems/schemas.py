"""API shapes for problems (SARA): create, update, link, actions and the reads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from safetyhub.incidents.models import IncidentCategory
from safetyhub.partnership.problems.models import ActionStatus, ProblemStage

MAX_TITLE = 200
MAX_NOTES = 10_000
MAX_ACTION_TEXT = 2_000
MIN_WINDOW_DAYS, MAX_WINDOW_DAYS = 7, 730

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTES)]
ActionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ACTION_TEXT)
]
LsoaCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=9)]
District = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
WindowDays = Annotated[int, Field(ge=MIN_WINDOW_DAYS, le=MAX_WINDOW_DAYS)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProblemCreate(_Request):
    """A new problem led by the actor's agency."""

    title: Title
    description: Notes = ""
    categories: list[IncidentCategory] = Field(default_factory=list, max_length=40)
    place_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    partner_organisation_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    area_lsoa_code: LsoaCode | None = None
    area_district: District | None = None


class ProblemUpdate(_Request):
    """Changes to a problem; fields left out stay as they are."""

    title: Title | None = None
    description: Notes | None = None
    stage: ProblemStage | None = None
    owner_id: uuid.UUID | None = None
    categories: list[IncidentCategory] | None = Field(default=None, max_length=40)
    area_lsoa_code: LsoaCode | None = None
    area_district: District | None = None
    victim_notes: Notes | None = None
    offender_notes: Notes | None = None
    location_notes: Notes | None = None
    analysis_notes: Notes | None = None
    assessment_notes: Notes | None = None
    response_started_on: date | None = None
    assessment_window_days: WindowDays | None = None


class PartnerAdd(_Request):
    """Another agency joins the problem."""

    organisation_id: uuid.UUID


class PlaceAdd(_Request):
    """A place the problem is at."""

    place_id: uuid.UUID


class IncidentLink(_Request):
    """An incident (the actor may see) linked to the problem."""

    incident_id: uuid.UUID


class ActionCreate(_Request):
    """A response action owned by one agency (and optionally one of its users)."""

    organisation_id: uuid.UUID
    owner_id: uuid.UUID | None = None
    text: ActionText
    due_on: date


class ActionUpdate(_Request):
    """A new status for an action."""

    status: ActionStatus


class NamedPlace(BaseModel):
    """A place as the problem shows it."""

    id: uuid.UUID
    address: str
    postcode: str | None
    lsoa_code: str | None
    district: str | None


class ActionRead(BaseModel):
    """A response action."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    owner_id: uuid.UUID | None
    owner_name: str | None
    text: str
    due_on: date
    status: ActionStatus
    overdue: bool
    completed_at: datetime | None


class ProblemSummary(BaseModel):
    """A problem in a list."""

    id: uuid.UUID
    title: str
    stage: ProblemStage
    lead_organisation_id: uuid.UUID
    lead_organisation_name: str
    created_at: datetime


class ProblemRead(ProblemSummary):
    """A problem as its lead and partner agencies see it."""

    description: str
    owner_id: uuid.UUID | None
    owner_name: str | None
    partners: list[tuple[uuid.UUID, str]]
    places: list[NamedPlace]
    categories: list[str]
    area_lsoa_code: str | None
    area_district: str | None
    victim_notes: str
    offender_notes: str
    location_notes: str
    analysis_notes: str
    assessment_notes: str
    response_started_on: date | None
    assessment_window_days: int
    linked_incidents_shown: int
    linked_incidents_not_shown: int
    actions: list[ActionRead]


class LinkedIncident(BaseModel):
    """An incident the reader may see, as a problem lists it."""

    id: uuid.UUID
    category: str
    occurred_at: datetime
    organisation_name: str
    place_id: uuid.UUID | None
    address: str | None
    postcode: str | None
    linked: bool


class Triangle(BaseModel):
    """The problem analysis triangle, counted from the linked incidents the reader may see."""

    victims: int
    repeat_victims: int
    offenders: int
    repeat_offenders: int
    locations: list[tuple[str, int]]
    incidents: int
    incidents_not_shown: int


class MonthCount(BaseModel):
    """Linked incidents in one month (Europe/London)."""

    month: str
    count: int


class Assessment(BaseModel):
    """Before and after the response began, over equal windows (the after one may be running)."""

    response_started_on: date
    window_days: int
    before_from: date
    before_to: date
    after_from: date
    after_to: date
    after_days: int
    after_complete: bool
    before: int
    after: int
    before_rate_per_30_days: float
    after_rate_per_30_days: float
    rate_ratio: float | None
    p_value: float
    verdict: str
    verdict_words: str
    not_shown: int
    counted: str
