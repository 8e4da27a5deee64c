"""Reads for DASH: the victim's incidents and MARAC referrals across agencies (counts only),
and the policy-filtered assessments.

Escalation and repeat look at every agency's records (system-level): the victim is their
person record plus the records linkage has joined to the same Identity. Only counts and dates
leave this module; the contributing records are never shown through it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.dash.models import DashAssessment
from safetyhub.incidents.models import Incident, IncidentParty, PartyRole
from safetyhub.people.models import IdentityLink
from safetyhub.sharing import policy


def victim_record_ids(session: Session, person_record_id: uuid.UUID) -> set[uuid.UUID]:
    """The record and every record linked to the same Identity."""
    identity = select(IdentityLink.identity_id).where(
        IdentityLink.person_record_id == person_record_id)
    linked = select(IdentityLink.person_record_id).where(IdentityLink.identity_id.in_(identity))
    return {person_record_id, *session.scalars(linked)}


@dataclass(frozen=True)
class VictimIncident:
    """When an incident against the victim happened and was reported (no content)."""

    occurred_at: datetime
    reported_at: datetime


def victim_incidents(
    session: Session, record_ids: Collection[uuid.UUID], categories: Collection[str]
) -> list[VictimIncident]:
    """Incidents of the categories where any of the records is the victim, at any agency."""
    statement = (
        select(Incident.id, Incident.occurred_at, Incident.reported_at)
        .join(IncidentParty, IncidentParty.incident_id == Incident.id)
        .where(IncidentParty.person_record_id.in_(record_ids),
               IncidentParty.role == PartyRole.victim.value,
               Incident.category.in_(categories))
        .distinct()
    )
    return [VictimIncident(row.occurred_at, row.reported_at) for row in session.execute(statement)]


def last_marac_referral(session: Session, record_ids: Collection[uuid.UUID]) -> datetime | None:
    """The latest MARAC referral of the victim by any agency."""
    return session.scalar(select(func.max(DashAssessment.marac_referred_at)).where(
        DashAssessment.person_record_id.in_(record_ids)))


def assessment_by_id(actor: Actor, assessment_id: uuid.UUID) -> Select[tuple[DashAssessment]]:
    """One assessment, if the actor may read it."""
    return policy.visible_dash_assessments(actor).where(DashAssessment.id == assessment_id)


def upcoming_marac(actor: Actor, today: date) -> Select[tuple[DashAssessment]]:
    """Referred cases whose MARAC meeting is today or later, soonest first."""
    return (
        policy.visible_dash_assessments(actor)
        .where(DashAssessment.marac_meeting_on >= today)
        .order_by(DashAssessment.marac_meeting_on, DashAssessment.created_at)
    )


def suggested_not_referred(actor: Actor, limit: int) -> Select[tuple[DashAssessment]]:
    """Assessments that suggest MARAC and have not been referred, newest first."""
    return (
        policy.visible_dash_assessments(actor)
        .where(DashAssessment.marac_reasons != "", DashAssessment.marac_referred_at.is_(None))
        .order_by(DashAssessment.created_at.desc())
        .limit(limit)
    )


def upcoming_total(session: Session, today: date) -> int:
    """Every agency's upcoming MARAC cases (a count, for rule 4's "N you may not see")."""
    return int(session.scalar(select(func.count(DashAssessment.id)).where(
        DashAssessment.marac_meeting_on >= today)) or 0)
