"""DASH risk assessments of a victim (special category data) and their MARAC referrals."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin
from safetyhub.sharing.vocabulary import Sensitivity


class DashAssessment(IdMixin, CreatedMixin, Base):
    """A completed DASH checklist about a victim's person record, owned by the assessing agency."""

    __tablename__ = "dash_assessments"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person_records.id"), index=True
    )
    assessed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    checklist_version: Mapped[str] = mapped_column(String(100))
    ticks: Mapped[int]
    actuarial_level: Mapped[str] = mapped_column(String(20))
    judgement_level: Mapped[str | None] = mapped_column(String(20))
    judgement_reason: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(20), index=True)
    # MARAC criteria met, comma-separated (empty: no referral suggested).
    marac_reasons: Mapped[str] = mapped_column(String(200), default="")
    incidents_in_window: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    # Always special category: it describes a person's experience of abuse and their health.
    sensitivity: Mapped[str] = mapped_column(String(20), default=Sensitivity.special_category)
    marac_referred_at: Mapped[datetime | None]
    marac_meeting_on: Mapped[date | None] = mapped_column(index=True)
    marac_referred_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class DashAnswer(IdMixin, Base):
    """The answer to one checklist question (by the question's stable key), with a note."""

    __tablename__ = "dash_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_key"),)

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dash_assessments.id"), index=True
    )
    question_key: Mapped[str] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(2000))
