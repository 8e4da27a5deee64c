"""API shapes for DASH assessments and MARAC referrals."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from safetyhub.cases.models import RiskLevel
from safetyhub.dash.checklist import MAX_QUESTIONS
from safetyhub.dash.rules import Answer, MaracReason

MAX_NOTE = 2000
MAX_REASON = 5000
MAX_NOTES = 20_000


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerIn(_Request):
    """The answer to one question, by the question's key, with an optional note."""

    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                               max_length=40)]
    answer: Answer
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTE)] = ""


class DashAssessmentCreate(_Request):
    """A completed checklist about a victim's person record: every question answered."""

    person_record_id: uuid.UUID
    answers: list[AnswerIn] = Field(min_length=1, max_length=MAX_QUESTIONS)
    judgement_level: RiskLevel | None = None
    judgement_reason: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=MAX_REASON)
    ] = ""
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTES)] = ""


class MaracReferralCreate(_Request):
    """Refer the victim to the MARAC meeting on a date."""

    meeting_on: date


class AnswerRead(BaseModel):
    """A stored answer with its question."""

    question: str
    number: int | None
    text: str
    answer: Answer
    note: str | None


class ReasonRead(BaseModel):
    """One reason for the level or for a MARAC referral: a code and an explanation."""

    code: str
    text: str


class OrganisationRef(BaseModel):
    """The assessing agency."""

    id: uuid.UUID
    name: str


class DashAssessmentRead(BaseModel):
    """A DASH assessment: the level, the reasons, and whether MARAC is suggested."""

    id: uuid.UUID
    organisation: OrganisationRef
    person_record_id: uuid.UUID
    person_name: str
    assessed_at: datetime
    checklist_version: str
    ticks: int
    question_count: int
    actuarial_level: RiskLevel
    judgement_level: RiskLevel | None
    judgement_reason: str | None
    level: RiskLevel
    marac_suggested: bool
    marac_reasons: list[MaracReason]
    reasons: list[ReasonRead]
    incidents_in_window: int
    marac_referred_at: datetime | None
    marac_meeting_on: date | None
    notes: str | None
    answers: list[AnswerRead]


class MaracCaseRead(BaseModel):
    """A case on the MARAC list."""

    assessment_id: uuid.UUID
    organisation: OrganisationRef
    person_name: str
    level: RiskLevel
    marac_reasons: list[MaracReason]
    assessed_at: datetime
    marac_meeting_on: date | None


class MaracList(BaseModel):
    """Upcoming MARAC cases the reader may see, suggested referrals not yet made, and a count of
    the cases on the list that the reader may not see (rule 4)."""

    upcoming: list[MaracCaseRead]
    suggested: list[MaracCaseRead]
    hidden_upcoming: int
