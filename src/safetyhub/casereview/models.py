"""ASB Case Reviews: the application, its threshold check, decision, appeal, meeting and outcome."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class ReviewStatus(StrEnum):
    """received -> acknowledged -> threshold met / not met (-> appealed) -> reviewed -> closed."""

    received = "received"
    acknowledged = "acknowledged"
    threshold_met = "threshold_met"
    threshold_not_met = "threshold_not_met"
    appealed = "appealed"
    reviewed = "reviewed"
    closed = "closed"


class Decision(StrEnum):
    """The threshold decision."""

    met = "met"
    not_met = "not_met"


class AppealOutcome(StrEnum):
    """The partnership office's decision on an appeal."""

    upheld = "upheld"
    dismissed = "dismissed"


class RecommendationState(StrEnum):
    """A recommendation is open until its owner agency has done it."""

    open = "open"
    done = "done"


class CaseReview(IdMixin, CreatedMixin, Base):
    """One application for an ASB Case Review and everything that follows from it."""

    __tablename__ = "asb_case_reviews"

    # Given to the applicant; random, so one reference reveals nothing about another.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(30), default=ReviewStatus.received, index=True)
    received_on: Mapped[date] = mapped_column(index=True)
    # The victim (the applicant, unless a third party applies with the victim's consent).
    on_behalf: Mapped[bool] = mapped_column(default=False)
    victim_given_name: Mapped[str] = mapped_column(String(100))
    victim_family_name: Mapped[str] = mapped_column(String(100))
    victim_date_of_birth: Mapped[date]
    victim_postcode: Mapped[str] = mapped_column(String(10))
    victim_address: Mapped[str] = mapped_column(String(300))
    applicant_name: Mapped[str | None] = mapped_column(String(200))
    applicant_relationship: Mapped[str | None] = mapped_column(String(100))
    victim_consent: Mapped[bool] = mapped_column(default=False)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    problem_description: Mapped[str] = mapped_column(Text)
    problem_location: Mapped[str] = mapped_column(String(300))
    agencies_told: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    # The automatic check when the application arrived (complaints of every partner agency).
    threshold_met_on_application: Mapped[bool] = mapped_column(default=False)
    qualifying_complaints: Mapped[int] = mapped_column(default=0)
    threshold_rule: Mapped[str | None] = mapped_column(String(40))
    # Deadlines in working days from receipt (the meeting's moves when an appeal is upheld).
    acknowledge_by: Mapped[date]
    decide_by: Mapped[date]
    meet_by: Mapped[date]
    lead_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    acknowledged_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    appeal_grounds: Mapped[str | None] = mapped_column(Text)
    appealed_at: Mapped[datetime | None]
    appeal_outcome: Mapped[str | None] = mapped_column(String(20))
    appeal_reasons: Mapped[str | None] = mapped_column(Text)
    appeal_decided_at: Mapped[datetime | None]
    meeting_on: Mapped[date | None]
    meeting_summary: Mapped[str | None] = mapped_column(Text)
    outcome_sent_at: Mapped[datetime | None]


class CaseReviewComplaint(IdMixin, Base):
    """An incident the threshold check counted (shown to staff through the access policy)."""

    __tablename__ = "asb_case_review_complaints"
    __table_args__ = (UniqueConstraint("case_review_id", "incident_id"),)

    case_review_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("asb_case_reviews.id"), index=True
    )
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)


class CaseReviewAttendee(IdMixin, CreatedMixin, Base):
    """An agency at the review meeting, and who came for it."""

    __tablename__ = "asb_case_review_attendees"
    __table_args__ = (UniqueConstraint("case_review_id", "organisation_id"),)

    case_review_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("asb_case_reviews.id"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    attendee_names: Mapped[str | None] = mapped_column(String(300))


class CaseReviewRecommendation(IdMixin, CreatedMixin, Base):
    """What the review asks an agency to do, by a date."""

    __tablename__ = "asb_case_review_recommendations"

    case_review_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("asb_case_reviews.id"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    text: Mapped[str] = mapped_column(String(2000))
    due_on: Mapped[date]
    state: Mapped[str] = mapped_column(String(20), default=RecommendationState.open)
    completed_at: Mapped[datetime | None]


class PublicSubmission(IdMixin, CreatedMixin, Base):
    """One submission of a public form, kept only as long as the throttle window needs it."""

    __tablename__ = "public_submissions"
    __table_args__ = (Index("ix_public_submissions_form_created", "form", "created_at"),)

    form: Mapped[str] = mapped_column(String(40))
    # A digest of the client's address, never the address itself; rows older than the window
    # are deleted (data minimisation: they exist only to throttle).
    client_key: Mapped[str] = mapped_column(String(64), index=True)
