"""API shapes for assemblies and meetings."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from safetyhub.partnership.meetings.models import ActionStatus, MeetingKind

MAX_TITLE = 200
MAX_VENUE = 300
MAX_THEMES = 2_000
MAX_MINUTES = 50_000
MAX_DECISION = 5_000
MAX_ACTION = 2_000
MAX_INVITED = 200

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Venue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_VENUE)]
Themes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_THEMES)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_MINUTES)]
DecisionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_DECISION)
]
ActionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ACTION)
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MeetingCreate(_Request):
    """A new assembly or partnership meeting."""

    kind: MeetingKind = MeetingKind.meeting
    title: Title
    held_on: date
    venue: Venue
    themes: Themes = ""
    invited_organisation_ids: list[uuid.UUID] = Field(default_factory=list,
                                                      max_length=MAX_INVITED)


class MeetingRecord(_Request):
    """The agenda and minutes (either may be left out to keep it as it is)."""

    agenda: LongText | None = None
    minutes: LongText | None = None


class Invitations(_Request):
    """Organisations to invite."""

    organisation_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_INVITED)


class Attendance(_Request):
    """Which invited organisations attended (the others did not)."""

    attended_organisation_ids: list[uuid.UUID] = Field(max_length=MAX_INVITED)


class ActionCreate(_Request):
    """An action arising from a decision."""

    text: ActionText
    owner_organisation_id: uuid.UUID
    owner_user_id: uuid.UUID | None = None
    due_on: date


class DecisionCommitment(_Request):
    """A commitment a decision creates under a priority of the agreement."""

    organisation_id: uuid.UUID
    priority_id: uuid.UUID
    text: ActionText
    owner_user_id: uuid.UUID | None = None
    due_on: date


class DecisionCreate(_Request):
    """A decision, with the actions and commitments that follow from it."""

    text: DecisionText
    actions: list[ActionCreate] = Field(default_factory=list, max_length=50)
    commitments: list[DecisionCommitment] = Field(default_factory=list, max_length=50)


class ActionUpdate(_Request):
    """A new status for a meeting action."""

    status: ActionStatus


class InvitationRead(BaseModel):
    """An invited organisation and whether it attended."""

    organisation_id: uuid.UUID
    organisation_name: str
    attended: bool


class AttachmentRead(BaseModel):
    """A meeting paper (without its content)."""

    id: uuid.UUID
    title: str
    filename: str
    content_type: str
    size_bytes: int
    created_at: datetime


class ActionRead(BaseModel):
    """A meeting action."""

    id: uuid.UUID
    meeting_id: uuid.UUID
    decision_id: uuid.UUID
    text: str
    owner_organisation_id: uuid.UUID
    owner_organisation_name: str
    owner_user_id: uuid.UUID | None
    due_on: date
    status: ActionStatus
    overdue: bool


class ActionDetail(ActionRead):
    """An action with its meeting (title and date only when the reader may see the meeting)."""

    owner_user_name: str | None
    meeting_title: str | None
    meeting_held_on: date | None


class DecisionRead(BaseModel):
    """A decision with its actions and the ids of the commitments it created."""

    id: uuid.UUID
    text: str
    created_at: datetime
    actions: list[ActionRead]
    commitment_ids: list[uuid.UUID]


class MeetingSummary(BaseModel):
    """A meeting in a list, with its attendance figures."""

    id: uuid.UUID
    kind: MeetingKind
    title: str
    held_on: date
    venue: str
    invited: int
    attended: int
    attendance_rate: float | None


class MeetingRead(MeetingSummary):
    """A meeting with everything recorded about it."""

    themes: list[str]
    agenda: str | None
    minutes: str | None
    invitations: list[InvitationRead]
    attachments: list[AttachmentRead]
    decisions: list[DecisionRead]


class OrganisationAttendance(BaseModel):
    """One organisation's attendance: meetings attended of those it was invited to (so far)."""

    organisation_id: uuid.UUID
    organisation_name: str
    invited: int
    attended: int
    attendance_rate: float | None
