"""Case conferences: the meeting, its member agencies, agenda, notes and actions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class ConferenceKind(StrEnum):
    """What sort of conference: MARAC (domestic abuse), community MARAC, complex-case panel."""

    marac = "marac"
    community_marac = "community_marac"
    complex_case_panel = "complex_case_panel"


class ConferenceStatus(StrEnum):
    """scheduled -> closed (minutes final, no more notes or actions)."""

    scheduled = "scheduled"
    closed = "closed"


class ConferenceActionStatus(StrEnum):
    """State of an action agreed at a conference."""

    open = "open"
    done = "done"
    cancelled = "cancelled"


class Conference(IdMixin, CreatedMixin, Base):
    """A multi-agency case conference held under one in-force sharing agreement and purpose."""

    __tablename__ = "conferences"

    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    chair_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    chair_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sharing_agreements.id"))
    purpose: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=ConferenceStatus.scheduled, index=True)
    minutes: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class ConferenceMember(IdMixin, CreatedMixin, Base):
    """An agency invited to a conference, and whether it attended (the chair's agency too)."""

    __tablename__ = "conference_members"
    __table_args__ = (UniqueConstraint("conference_id", "organisation_id"),)

    conference_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conferences.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    attended: Mapped[bool] = mapped_column(default=False)


class ConferenceItem(IdMixin, CreatedMixin, Base):
    """One agenda item: a case, an alert or a DASH assessment (MARAC referral) to discuss."""

    __tablename__ = "conference_items"

    conference_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conferences.id"), index=True)
    position: Mapped[int]
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"))
    alert_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("alerts.id"))
    dash_assessment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dash_assessments.id")
    )
    added_by_organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))


class ConferenceNote(IdMixin, CreatedMixin, Base):
    """A discussion note on an agenda item, owned by the author's agency."""

    __tablename__ = "conference_notes"

    conference_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conferences.id"), index=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conference_items.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)


class ConferenceAction(IdMixin, CreatedMixin, Base):
    """An action agreed at a conference: owning agency, due date, status."""

    __tablename__ = "conference_actions"

    conference_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conferences.id"), index=True)
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("conference_items.id"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    description: Mapped[str] = mapped_column(String(1000))
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=ConferenceActionStatus.open)
    case_action_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_actions.id"))
    completed_at: Mapped[datetime | None]
