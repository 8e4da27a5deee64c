"""Multi-agency cases: members, subjects, linked incidents, actions and notes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin
from safetyhub.sharing.vocabulary import Sensitivity


class CaseKind(StrEnum):
    """What a case is about."""

    asb = "asb"
    vulnerability = "vulnerability"
    exploitation = "exploitation"
    domestic_abuse = "domestic_abuse"
    place_problem = "place_problem"


class RiskLevel(StrEnum):
    """The case's assessed risk."""

    standard = "standard"
    medium = "medium"
    high = "high"


class CaseStatus(StrEnum):
    """Open or closed."""

    open = "open"
    closed = "closed"


class ActionState(StrEnum):
    """State of a case action."""

    open = "open"
    done = "done"


class Case(IdMixin, CreatedMixin, Base):
    """Multi-agency work on people and/or a place, led by one agency."""

    __tablename__ = "cases"

    lead_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    risk_level: Mapped[str] = mapped_column(String(20), default=RiskLevel.standard)
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.open, index=True)
    place_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("places.id"))
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    opened_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class CaseMember(IdMixin, CreatedMixin, Base):
    """An agency taking part in a case (the lead agency is a member too)."""

    __tablename__ = "case_members"
    __table_args__ = (UniqueConstraint("case_id", "organisation_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)


class CaseSubject(IdMixin, CreatedMixin, Base):
    """A person record the case is about."""

    __tablename__ = "case_subjects"
    __table_args__ = (UniqueConstraint("case_id", "person_record_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    person_record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person_records.id"), index=True
    )


class CaseIncident(IdMixin, CreatedMixin, Base):
    """An incident attached to a case."""

    __tablename__ = "case_incidents"
    __table_args__ = (UniqueConstraint("case_id", "incident_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)


class CaseAction(IdMixin, CreatedMixin, Base):
    """Something an agency has agreed to do for the case, by a date."""

    __tablename__ = "case_actions"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    description: Mapped[str] = mapped_column(String(1000))
    due_date: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(20), default=ActionState.open)
    completed_at: Mapped[datetime | None]


class CaseNote(IdMixin, CreatedMixin, Base):
    """A note on a case, owned by the author's agency, with its own sensitivity."""

    __tablename__ = "case_notes"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    sensitivity: Mapped[str] = mapped_column(String(20), default=Sensitivity.standard)
