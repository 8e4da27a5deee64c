"""The place profile's reads: incidents at the place by month, and cases about it."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.cases.models import Case, CaseMember
from safetyhub.incidents.models import Incident
from safetyhub.incidents.service import IncidentView, incidents_at_place
from safetyhub.organisations.models import Organisation
from safetyhub.pagination import Page, PageRequest
from safetyhub.places.models import Place
from safetyhub.places.service import get_place
from safetyhub.risk.explain import ExplainPanel, place_panel
from safetyhub.sharing import policy
from safetyhub.timeutil import local

CASES_LIMIT = 100


@dataclass(frozen=True)
class MonthCount:
    """How many incidents the actor may see happened at the place in one London month."""

    month: date  # the first day of the month
    incidents: int


@dataclass(frozen=True)
class PlaceCase:
    """A case about the place that the actor may see, with its lead agency."""

    case: Case
    lead_organisation_name: str


@dataclass(frozen=True)
class PlaceProfile:
    """Everything the place page shows, already filtered by the access policy."""

    place: Place
    months: list[MonthCount]
    incidents: Page[IncidentView]
    cases: list[PlaceCase]
    # Early warning: the indicators firing now, explained as far as the policy allows.
    indicators: ExplainPanel | None = None


def incidents_by_month(session: Session, actor: Actor, place_id: uuid.UUID) -> list[MonthCount]:
    """Visible incidents at the place counted by London month, newest first (hidden never count)."""
    moments = session.scalars(
        policy.visible_incidents(actor)
        .where(Incident.place_id == place_id)
        .with_only_columns(Incident.occurred_at)
    )
    counts = Counter(local(moment).date().replace(day=1) for moment in moments)
    return [MonthCount(month, counts[month]) for month in sorted(counts, reverse=True)]


def cases_about_place(session: Session, actor: Actor, place_id: uuid.UUID) -> list[PlaceCase]:
    """Cases about the place that the actor may see; a non-member's read is audited."""
    rows = session.execute(
        policy.visible_cases(actor)
        .join(Organisation, Organisation.id == Case.lead_organisation_id)
        .where(Case.place_id == place_id)
        .add_columns(Organisation.name)
        .order_by(Case.created_at.desc(), Case.id)
        .limit(CASES_LIMIT)
    ).all()
    member_of = set(session.scalars(policy.member_case_ids(actor.organisation_id).where(
        CaseMember.case_id.in_([case.id for case, _name in rows]))))
    policy.record_disclosures(session, actor, [
        policy.Disclosure("case", case.id, case.lead_organisation_id)
        for case, _name in rows if case.id not in member_of
    ])
    return [PlaceCase(case, name) for case, name in rows]


def place_profile(
    session: Session, *, actor: Actor, place_id: uuid.UUID, page: PageRequest
) -> PlaceProfile:
    """The place, its visible incidents by month and one page of them, and its cases."""
    place = get_place(session, actor=actor, place_id=place_id)
    return PlaceProfile(
        place=place,
        months=incidents_by_month(session, actor, place.id),
        incidents=incidents_at_place(session, actor=actor, place_id=place.id, page=page),
        cases=cases_about_place(session, actor, place.id),
        indicators=place_panel(session, actor=actor, place_id=place.id),
    )
