"""Alerts raised by indicators: their routing, contributing records and state history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from safetyhub.db import Base, CreatedMixin, IdMixin
from safetyhub.timeutil import utcnow


class AlertState(StrEnum):
    """new -> acknowledged -> actioned / dismissed (new may go straight to either)."""

    new = "new"
    acknowledged = "acknowledged"
    actioned = "actioned"
    dismissed = "dismissed"


OPEN_STATES: frozenset[str] = frozenset({AlertState.new, AlertState.acknowledged})


class SubjectKind(StrEnum):
    """Who or what an alert is about."""

    identity = "identity"
    person = "person"  # a person record not (yet) linked to an Identity
    place = "place"


class RouteReason(StrEnum):
    """Why an organisation receives an alert."""

    right_care_health = "right_care_health"
    right_care_police = "right_care_police"
    case_lead = "case_lead"
    partnership_hub = "partnership_hub"
    fallback = "fallback"


class Alert(IdMixin, CreatedMixin, Base):
    """An indicator's finding about an Identity, a person record or a Place."""

    __tablename__ = "alerts"
    __table_args__ = (
        # Deduplication: at most one open alert per subject and indicator, even under races.
        Index("uq_alerts_open_subject", "indicator", "subject_key", unique=True,
              sqlite_where=text("is_open"), postgresql_where=text("is_open")),
        Index("ix_alerts_subject", "subject_key", "indicator"),
    )

    indicator: Mapped[str] = mapped_column(String(40), index=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    # "identity:<id>", "person:<id>" or "place:<id>": the deduplication key.
    subject_key: Mapped[str] = mapped_column(String(60))
    identity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("identities.id"))
    person_record_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person_records.id"))
    place_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("places.id"))
    level: Mapped[str] = mapped_column(String(20))
    score: Mapped[float]
    # Canonical JSON of the reasons: rule codes, windows and counts, never names or narrative.
    reasons_json: Mapped[str] = mapped_column(Text, default="[]")
    state: Mapped[str] = mapped_column(String(20), default=AlertState.new, index=True)
    is_open: Mapped[bool] = mapped_column(default=True)
    snoozed_until: Mapped[date | None]
    actioned_case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"))
    actioned_referral_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referrals.id"))
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    evidence_updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class AlertRoute(IdMixin, Base):
    """An organisation an alert is routed to (Right Care, Right Person may route to two)."""

    __tablename__ = "alert_routes"
    __table_args__ = (UniqueConstraint("alert_id", "organisation_id"),)

    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    reason: Mapped[str] = mapped_column(String(30))


class AlertRecord(IdMixin, Base):
    """A record that contributed to an alert (shown as far as the viewer's policy allows)."""

    __tablename__ = "alert_records"
    __table_args__ = (UniqueConstraint("alert_id", "record_type", "record_id"),)

    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(20))  # "incident" or "person_record"
    record_id: Mapped[uuid.UUID] = mapped_column(index=True)
    owner_organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))


class AlertStateChange(IdMixin, Base):
    """One step of an alert's history: raised, updated, acknowledged, actioned, dismissed."""

    __tablename__ = "alert_state_changes"

    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(254))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    # The dismissal reason lives here and on the alert, never in the audit log.
    reason: Mapped[str | None] = mapped_column(Text)
    snoozed_until: Mapped[date | None]
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"))
    referral_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referrals.id"))
