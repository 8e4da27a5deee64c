"""API shapes for ASB Case Reviews: the public application and appeal, staff changes and reads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from safetyhub.casereview.models import AppealOutcome, Decision, RecommendationState
from safetyhub.timeutil import local, utcnow

MAX_DESCRIPTION = 5000
MAX_REASONS = 5000
MAX_RECOMMENDATION = 2000
MAX_ATTENDING_AGENCIES = 40
EARLIEST_BIRTH = date(1900, 1, 1)
POSTCODE_PATTERN = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$"
PHONE_PATTERN = r"^\+?[0-9 ()-]{6,30}$"


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Reasons = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_REASONS)
]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_DESCRIPTION)
]
RecommendationText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_RECOMMENDATION)
]
Postcode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10,
                                            pattern=POSTCODE_PATTERN)]


class AgencyTold(StrEnum):
    """Which kinds of agency the applicant has complained to."""

    police = "police"
    council = "council"
    housing = "housing"
    other = "other"


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseReviewApplication(_Request):
    """A public application for an ASB Case Review (no sign-in)."""

    on_behalf: bool = False
    victim_given_name: Name
    victim_family_name: Name
    victim_date_of_birth: date
    victim_postcode: Postcode
    victim_address: Address
    applicant_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    applicant_relationship: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=100)
    ] = ""
    victim_consent: bool = False
    contact_email: EmailStr | None = Field(default=None, max_length=254)
    contact_phone: Annotated[
        str | None, StringConstraints(strip_whitespace=True, pattern=PHONE_PATTERN)
    ] = None
    problem_description: Description
    problem_location: Address
    agencies_told: list[AgencyTold] = Field(default_factory=list, max_length=4)
    language: Literal["en", "de"] = "en"

    @field_validator("victim_date_of_birth")
    @classmethod
    def _born_in_the_past(cls, value: date) -> date:
        if value < EARLIEST_BIRTH or value >= local(utcnow()).date():
            raise ValueError("the date of birth must be in the past (and after 1900)")
        return value

    @model_validator(mode="after")
    def _third_party_and_contact(self) -> CaseReviewApplication:
        if self.on_behalf and not self.applicant_name:
            raise ValueError("a third party applying for the victim must give their own name")
        if self.on_behalf and not self.victim_consent:
            raise ValueError("a third party may apply only with the victim's consent")
        if not self.contact_email and not self.contact_phone:
            raise ValueError("give an email address or a phone number so we can reply")
        return self


class CaseReviewReceipt(BaseModel):
    """What the applicant learns: a reference, the deadlines and the automatic threshold check."""

    id: uuid.UUID
    reference: str
    received_on: date
    threshold_met: bool
    qualifying_complaints: int
    complaints_needed: int
    acknowledge_by: date
    decide_by: date


class AppealCreate(_Request):
    """An applicant's appeal against "threshold not met" (public: the reference and postcode)."""

    reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]
    victim_postcode: Postcode
    grounds: Reasons


class AppealReceipt(BaseModel):
    """The appeal was lodged."""

    reference: str
    appealed_at: datetime


class Acknowledge(_Request):
    """Acknowledging an application and naming the agency that leads the review."""

    lead_organisation_id: uuid.UUID


class ThresholdDecision(_Request):
    """The decision whether the threshold is met, with reasons."""

    decision: Decision
    reasons: Reasons


class AppealDecision(_Request):
    """The partnership office's decision on an appeal."""

    outcome: AppealOutcome
    reasons: Reasons


class AttendeeIn(_Request):
    """An agency at the review meeting and who came for it."""

    organisation_id: uuid.UUID
    names: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


class MeetingRecord(_Request):
    """The review meeting: its date, the agencies there, and a summary."""

    held_on: date
    attendees: list[AttendeeIn] = Field(min_length=1, max_length=MAX_ATTENDING_AGENCIES)
    summary: Reasons


class RecommendationCreate(_Request):
    """A recommendation for an agency, due by a date."""

    organisation_id: uuid.UUID
    text: RecommendationText
    due_on: date


class OrganisationRef(BaseModel):
    """An agency named in a case review."""

    id: uuid.UUID
    name: str


class AttendeeRead(BaseModel):
    """An agency at the meeting."""

    organisation: OrganisationRef
    names: str | None


class RecommendationRead(BaseModel):
    """A recommendation and its state."""

    id: uuid.UUID
    organisation: OrganisationRef
    text: str
    due_on: date
    state: RecommendationState
    completed_at: datetime | None


class ComplaintsSeen(BaseModel):
    """The counted complaints as far as the reader may see them (rule 4: others only counted)."""

    counted: int
    visible_incident_ids: list[uuid.UUID]
    hidden: int
    hidden_agencies: int


class CaseReviewRead(BaseModel):
    """A case review for partnership staff."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    reference: str
    status: str
    received_on: date
    on_behalf: bool
    victim_given_name: str
    victim_family_name: str
    victim_date_of_birth: date
    victim_postcode: str
    victim_address: str
    applicant_name: str | None
    applicant_relationship: str | None
    victim_consent: bool
    contact_email: str | None
    contact_phone: str | None
    problem_description: str
    problem_location: str
    agencies_told: list[str]
    language: str
    threshold_met_on_application: bool
    qualifying_complaints: int
    threshold_rule: str | None
    acknowledge_by: date
    decide_by: date
    meet_by: date
    lead_organisation: OrganisationRef | None
    acknowledged_at: datetime | None
    decision: str | None
    decision_reasons: str | None
    decided_at: datetime | None
    appeal_grounds: str | None
    appealed_at: datetime | None
    appeal_outcome: str | None
    appeal_reasons: str | None
    appeal_decided_at: datetime | None
    meeting_on: date | None
    meeting_summary: str | None
    outcome_sent_at: datetime | None
    complaints: ComplaintsSeen
    attendees: list[AttendeeRead]
    recommendations: list[RecommendationRead]


class CaseReviewSummary(BaseModel):
    """A row of the case review list."""

    id: uuid.UUID
    reference: str
    status: str
    received_on: date
    lead_organisation: OrganisationRef | None
    next_deadline: date | None
    overdue: bool


class CaseReviewPage(BaseModel):
    """One page of case reviews."""

    items: list[CaseReviewSummary]
    total: int
    page: int
    page_size: int


class YearlyFiguresRead(BaseModel):
    """The figures partners must publish for one year."""

    year: int
    starts_on: date
    ends_on: date
    applications_received: int
    threshold_not_met: int
    reviews_carried_out: int
    reviews_with_recommendations: int
    appeals_lodged: int
    appeals_upheld: int
