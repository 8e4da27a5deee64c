"""Commitments under the Community Safety Agreement: priorities, commitments, progress notes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class CommitmentStatus(StrEnum):
    """Where a commitment stands; done and dropped are closed (never overdue)."""

    not_started = "not_started"
    on_track = "on_track"
    at_risk = "at_risk"
    done = "done"
    dropped = "dropped"


CLOSED_STATUSES = frozenset({CommitmentStatus.done, CommitmentStatus.dropped})


class Priority(IdMixin, CreatedMixin, Base):
    """A priority of the Community Safety Agreement (seeded by the migration, extendable)."""

    __tablename__ = "partnership_priorities"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=100)


class Commitment(IdMixin, CreatedMixin, Base):
    """What one organisation committed to do under a priority, by when."""

    __tablename__ = "partnership_commitments"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    priority_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_priorities.id"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default=CommitmentStatus.not_started)
    # The meeting decision the commitment came from, if any.
    decision_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partnership_meeting_decisions.id"), index=True
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    status_changed_at: Mapped[datetime | None]


class CommitmentProgress(IdMixin, CreatedMixin, Base):
    """Evidence of progress on a commitment: what was done, when, and who says so."""

    __tablename__ = "partnership_commitment_progress"

    commitment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("partnership_commitments.id"), index=True
    )
    noted_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
