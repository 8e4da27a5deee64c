"""API shapes for priorities, commitments and their progress."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from safetyhub.partnership.commitments.models import CommitmentStatus

MAX_COMMITMENT = 2_000
MAX_EVIDENCE = 5_000
MAX_PRIORITY_NAME = 200

CommitmentText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMITMENT)
]
EvidenceText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_EVIDENCE)
]
PriorityName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_PRIORITY_NAME)
]
PriorityCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{1,39}$")
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PriorityCreate(_Request):
    """A further priority of the agreement."""

    code: PriorityCode
    name: PriorityName


class CommitmentCreate(_Request):
    """A commitment one organisation makes under a priority."""

    organisation_id: uuid.UUID
    priority_id: uuid.UUID
    text: CommitmentText
    owner_user_id: uuid.UUID | None = None
    due_on: date


class CommitmentStatusUpdate(_Request):
    """A new status."""

    status: CommitmentStatus


class ProgressCreate(_Request):
    """Evidence of progress, dated (today when left out)."""

    text: EvidenceText
    noted_on: date | None = None


class PriorityRead(BaseModel):
    """A priority of the agreement."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    position: int


class ProgressRead(BaseModel):
    """One entry of evidence of progress."""

    id: uuid.UUID
    noted_on: date
    text: str
    author_name: str | None
    created_at: datetime


class CommitmentRead(BaseModel):
    """A commitment, with whether it is overdue (Europe/London today)."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    priority_id: uuid.UUID
    priority_code: str
    priority_name: str
    text: str
    owner_user_id: uuid.UUID | None
    owner_name: str | None
    due_on: date
    status: CommitmentStatus
    overdue: bool
    decision_id: uuid.UUID | None
    progress: list[ProgressRead]


class ProgressLine(BaseModel):
    """Progress of a group of commitments (a priority or an organisation)."""

    id: uuid.UUID
    name: str
    total: int
    by_status: dict[str, int]
    done: int
    overdue: int
    done_rate: float | None


class ProgressReport(BaseModel):
    """Progress per priority and per organisation, and the overdue commitments."""

    today: date
    by_priority: list[ProgressLine]
    by_organisation: list[ProgressLine]
    overdue: list[CommitmentRead]
