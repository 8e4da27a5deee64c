"""API shapes for case conferences."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from safetyhub.conferences.models import ConferenceActionStatus, ConferenceKind, ConferenceStatus
from safetyhub.sharing.vocabulary import Purpose

MAX_ACTION_CHARS = 1000
MAX_NOTE_CHARS = 10_000
MAX_MINUTES_CHARS = 50_000
MAX_MEMBERS = 40

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ACTION_CHARS)
]
NoteText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NOTE_CHARS)
]
Minutes = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MINUTES_CHARS)
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConferenceCreate(_Request):
    """A new conference chaired by the actor's agency (the chair defaults to the actor)."""

    kind: ConferenceKind
    title: Title
    held_on: date
    agreement_id: uuid.UUID
    purpose: Purpose
    chair_user_id: uuid.UUID | None = None
    member_organisation_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_MEMBERS)


class MemberInvite(_Request):
    """Another agency invited to the conference."""

    organisation_id: uuid.UUID


class AttendanceRecord(_Request):
    """Whether an invited agency attended."""

    organisation_id: uuid.UUID
    attended: StrictBool


class ItemAdd(_Request):
    """An agenda item: exactly one of a case, an alert or a DASH assessment (MARAC referral)."""

    case_id: uuid.UUID | None = None
    alert_id: uuid.UUID | None = None
    dash_assessment_id: uuid.UUID | None = None


class NoteCreate(_Request):
    """A discussion note on an agenda item."""

    text: NoteText


class ActionCreate(_Request):
    """An action agreed at the conference; optionally also a case action on the item's case."""

    organisation_id: uuid.UUID
    description: Description
    due_date: date
    item_id: uuid.UUID | None = None
    create_case_action: StrictBool = False


class ActionStatusUpdate(_Request):
    """A new status for a conference action."""

    status: ConferenceActionStatus


class MinutesUpdate(_Request):
    """The conference's minutes."""

    minutes: Minutes


class OrganisationRef(BaseModel):
    """An organisation by id and name."""

    id: uuid.UUID
    name: str


class MemberRead(BaseModel):
    """An invited agency and whether it attended."""

    organisation: OrganisationRef
    attended: bool


class ItemSubjectRead(BaseModel):
    """What the viewer may see of an agenda item's record (nothing when `visible` is false)."""

    visible: bool
    kind: str
    record_id: uuid.UUID | None = None
    title: str | None = None
    level: str | None = None
    organisation_name: str | None = None
    detail: str | None = None


class NoteRead(BaseModel):
    """A discussion note the viewer may read."""

    id: uuid.UUID
    item_id: uuid.UUID
    organisation: OrganisationRef
    text: str
    created_at: datetime


class ItemRead(BaseModel):
    """An agenda item as far as the policy allows, with the notes the viewer may read."""

    id: uuid.UUID
    position: int
    subject: ItemSubjectRead
    notes: list[NoteRead]


class ActionRead(BaseModel):
    """An action agreed at a conference."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    item_id: uuid.UUID | None
    organisation: OrganisationRef
    description: str
    due_date: date
    status: ConferenceActionStatus
    case_action_id: uuid.UUID | None
    # The linked case action's state ("open"/"done"), when the reader may see the case.
    case_action_state: str | None = None
    created_at: datetime


class ConferenceRead(BaseModel):
    """A conference summary as a member agency sees it."""

    id: uuid.UUID
    kind: ConferenceKind
    title: str
    held_on: date
    status: ConferenceStatus
    purpose: str
    chair_organisation: OrganisationRef
    chair_user_name: str
    agreement_id: uuid.UUID
    agreement_title: str
    item_count: int


class ConferenceDetailRead(ConferenceRead):
    """A conference with members, agenda, notes and actions the viewer may see."""

    members: list[MemberRead]
    items: list[ItemRead]
    actions: list[ActionRead]
    minutes: str | None
    may_read_discussion: bool
    closed_at: datetime | None


class ConferencePage(BaseModel):
    """Conferences the viewer may see; `total` counts only those."""

    items: list[ConferenceRead]
    total: int
