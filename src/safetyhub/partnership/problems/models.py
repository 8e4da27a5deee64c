"""Problem-solving (SARA) on places: problems, their partners, places, incidents and actions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class ProblemStage(StrEnum):
    """The SARA stages, then closed."""

    scanning = "scanning"
    analysis = "analysis"
    response = "response"
    assessment = "assessment"
    closed = "closed"


class ActionStatus(StrEnum):
    """Where a response action stands."""

    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class Problem(IdMixin, CreatedMixin, Base):
    """A recurring problem at one or more places or in an area, worked by a lead agency."""

    __tablename__ = "problems"

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    lead_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    stage: Mapped[str] = mapped_column(String(20), default=ProblemStage.scanning, index=True)
    # The area, when the problem is wider than its places: an LSOA and/or a district.
    area_lsoa_code: Mapped[str | None] = mapped_column(String(9))
    area_district: Mapped[str | None] = mapped_column(String(100))
    # Incident category codes the problem is about, comma-separated; empty means every category.
    categories: Mapped[str] = mapped_column(String(1000), default="")
    victim_notes: Mapped[str] = mapped_column(Text, default="")
    offender_notes: Mapped[str] = mapped_column(Text, default="")
    location_notes: Mapped[str] = mapped_column(Text, default="")
    analysis_notes: Mapped[str] = mapped_column(Text, default="")
    assessment_notes: Mapped[str] = mapped_column(Text, default="")
    response_started_on: Mapped[date | None]
    assessment_window_days: Mapped[int] = mapped_column(default=90)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    @property
    def category_list(self) -> list[str]:
        """The chosen category codes (empty: all)."""
        return [c for c in self.categories.split(",") if c]


class ProblemPartner(IdMixin, Base):
    """A partner agency working the problem with the lead."""

    __tablename__ = "problem_partners"
    __table_args__ = (UniqueConstraint("problem_id", "organisation_id"),)

    problem_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("problems.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)


class ProblemPlace(IdMixin, Base):
    """A place the problem is at."""

    __tablename__ = "problem_places"
    __table_args__ = (UniqueConstraint("problem_id", "place_id"),)

    problem_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("problems.id"), index=True)
    place_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("places.id"), index=True)


class ProblemIncident(IdMixin, CreatedMixin, Base):
    """An incident linked to the problem while scanning."""

    __tablename__ = "problem_incidents"
    __table_args__ = (UniqueConstraint("problem_id", "incident_id"),)

    problem_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("problems.id"), index=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    linked_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id")
    )


class ProblemAction(IdMixin, CreatedMixin, Base):
    """A response action: what one agency (and optionally one of its users) will do, by when."""

    __tablename__ = "problem_actions"

    problem_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("problems.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(String(2000))
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.planned)
    completed_at: Mapped[datetime | None]
