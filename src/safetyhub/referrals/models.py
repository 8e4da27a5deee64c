"""Referrals from one agency to another."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin


class ReferralState(StrEnum):
    """sent -> accepted/declined; accepted -> completed."""

    sent = "sent"
    accepted = "accepted"
    declined = "declined"
    completed = "completed"


class Referral(IdMixin, CreatedMixin, Base):
    """A referral of a person (and/or case) from one agency to another."""

    __tablename__ = "referrals"

    from_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    to_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    person_record_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person_records.id"))
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"))
    # The minimum necessary about the person, disclosed to the receiving agency by the referral.
    subject_name: Mapped[str | None] = mapped_column(String(200))
    subject_date_of_birth: Mapped[date | None]
    reason: Mapped[str] = mapped_column(Text)
    lawful_basis: Mapped[str] = mapped_column(String(100))
    consent_obtained: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(20), default=ReferralState.sent, index=True)
    respond_by: Mapped[date]
    decline_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    sent_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # A referral to a listed service (HSDS); the recipient is its partner agency, or the
    # sender's own agency when the service is outside the hub (an external referral).
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("directory_services.id"), index=True
    )
