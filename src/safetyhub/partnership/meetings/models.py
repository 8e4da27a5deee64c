"""Assemblies and partnership meetings: invitations and attendance, papers, decisions, actions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class MeetingKind(StrEnum):
    """An assembly of the whole partnership, or a (quarterly) partnership meeting."""

    assembly = "assembly"
    meeting = "meeting"


class ActionStatus(StrEnum):
    """A meeting action is open until its owner organisation has done or dropped it."""

    open = "open"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class Meeting(IdMixin, CreatedMixin, Base):
    """One assembly or partnership meeting."""

    __tablename__ = "partnership_meetings"

    kind: Mapped[str] = mapped_column(String(20), default=MeetingKind.meeting)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    venue: Mapped[str] = mapped_column(String(300))
    # Themes and workshops, one a line.
    themes: Mapped[str] = mapped_column(Text, default="")
    agenda: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class MeetingInvitation(IdMixin, CreatedMixin, Base):
    """An organisation invited to a meeting, and whether it attended."""

    __tablename__ = "partnership_meeting_invitations"
    __table_args__ = (UniqueConstraint("meeting_id", "organisation_id"),)

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_meetings.id"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    attended: Mapped[bool] = mapped_column(default=False)
    attendance_recorded_at: Mapped[datetime | None]


class MeetingAttachment(IdMixin, CreatedMixin, Base):
    """A presentation or paper for a meeting, kept in the database so every app process has it."""

    __tablename__ = "partnership_meeting_attachments"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_meetings.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: lists of papers never load the files themselves.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class MeetingDecision(IdMixin, CreatedMixin, Base):
    """A decision the meeting took; it may give rise to commitments and actions."""

    __tablename__ = "partnership_meeting_decisions"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_meetings.id"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class MeetingAction(IdMixin, CreatedMixin, Base):
    """An action arising from a decision: owner organisation (and user), due date, status."""

    __tablename__ = "partnership_meeting_actions"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_meetings.id"), index=True
    )
    decision_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_meeting_decisions.id"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    owner_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.open)
    completed_at: Mapped[datetime | None]
