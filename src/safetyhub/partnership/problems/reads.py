"""What a problem shows its readers: the problem, its incidents, the triangle, the assessment.

Every read starts from the access policy: the problem from `visible_problems`, its incidents
from `incident_readable`. Incidents the reader may not see are only ever counted (rule 4), and
showing another agency's incident is a disclosure (rule 5).
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.incidents.models import Incident, IncidentParty, PartyRole
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.problems import queries
from safetyhub.partnership.problems.models import (
    ActionStatus,
    Problem,
    ProblemAction,
    ProblemIncident,
    ProblemStage,
)
from safetyhub.partnership.problems.schemas import (
    ActionRead,
    Assessment,
    LinkedIncident,
    MonthCount,
    NamedPlace,
    ProblemRead,
    ProblemSummary,
    Triangle,
)
from safetyhub.partnership.problems.significance import compare_counts
from safetyhub.places.models import Place
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.timeutil import LONDON, local, london_today

COUNTED = N_("Incidents you may see, at the problem's places, in its area or linked to it, of "
             "its chosen categories (all categories if none are chosen), that occurred in each "
             "window (Europe/London days; the before window ends the day before the response "
             "started).")


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in Europe/London, as UTC."""
    return datetime.combine(day, time(), LONDON).astimezone(UTC)


def visible_problem(session: Session, actor: Actor, problem_id: uuid.UUID) -> Problem:
    """The problem (404 when the actor's agency neither leads nor partners it)."""
    return policy.get_visible(session, queries.visible_problem(actor, problem_id), "problem")


def _names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = session.execute(select(Organisation.id, Organisation.name)
                           .where(Organisation.id.in_(ids)))
    return {oid: name for oid, name in rows}


def list_problems(
    session: Session, *, actor: Actor, stage: ProblemStage | None = None
) -> list[ProblemSummary]:
    """Problems the actor's agency leads or partners, newest first."""
    statement = policy.visible_problems(actor).order_by(Problem.created_at.desc(), Problem.id)
    if stage is not None:
        statement = statement.where(Problem.stage == stage.value)
    problems = list(session.scalars(statement.limit(500)))
    names = _names(session, {p.lead_organisation_id for p in problems})
    return [ProblemSummary(id=p.id, title=p.title, stage=ProblemStage(p.stage),
                           lead_organisation_id=p.lead_organisation_id,
                           lead_organisation_name=names.get(p.lead_organisation_id, ""),
                           created_at=p.created_at) for p in problems]


def _actions(session: Session, problem: Problem, today: date) -> list[ActionRead]:
    rows = session.execute(
        select(ProblemAction, Organisation.name, User.full_name)
        .join(Organisation, Organisation.id == ProblemAction.organisation_id)
        .outerjoin(User, User.id == ProblemAction.owner_id)
        .where(ProblemAction.problem_id == problem.id)
        .order_by(ProblemAction.due_on, ProblemAction.created_at)
    ).all()
    open_states = {ActionStatus.planned.value, ActionStatus.in_progress.value}
    return [ActionRead(
        id=a.id, organisation_id=a.organisation_id, organisation_name=org, owner_id=a.owner_id,
        owner_name=owner, text=a.text, due_on=a.due_on, status=ActionStatus(a.status),
        overdue=a.status in open_states and a.due_on < today, completed_at=a.completed_at,
    ) for a, org, owner in rows]


def hidden_elsewhere(actor: Actor) -> ColumnElement[bool]:
    """Incidents of OTHER agencies the actor may not see: counted only, never shown (rule 4).

    The actor's own agency's incidents above their role's ceiling are neither shown nor counted.
    """
    readable = policy.incident_readable(actor)
    if actor.organisation_id is None:
        return ~readable
    return and_(~readable, Incident.organisation_id != actor.organisation_id)


def _linked_counts(session: Session, actor: Actor, problem: Problem) -> tuple[int, int]:
    """Linked incidents the actor may see, and those of other agencies they may not."""
    linked = select(func.count()).select_from(ProblemIncident).join(
        Incident, Incident.id == ProblemIncident.incident_id
    ).where(ProblemIncident.problem_id == problem.id)
    shown = int(session.scalar(linked.where(policy.incident_readable(actor))) or 0)
    hidden = int(session.scalar(linked.where(hidden_elsewhere(actor))) or 0)
    return shown, hidden


def read_problem(session: Session, *, actor: Actor, problem_id: uuid.UUID) -> ProblemRead:
    """The problem with its partners, places, actions and how many linked incidents are shown."""
    problem = visible_problem(session, actor, problem_id)
    partner_ids = set(session.scalars(queries.partner_ids(problem.id)))
    names = _names(session, partner_ids | {problem.lead_organisation_id})
    places = session.scalars(
        select(Place).where(Place.id.in_(queries.place_ids(problem.id))).order_by(Place.address)
    )
    owner = session.get(User, problem.owner_id) if problem.owner_id else None
    shown, hidden = _linked_counts(session, actor, problem)
    return ProblemRead(
        id=problem.id, title=problem.title, stage=ProblemStage(problem.stage),
        lead_organisation_id=problem.lead_organisation_id,
        lead_organisation_name=names.get(problem.lead_organisation_id, ""),
        created_at=problem.created_at, description=problem.description,
        owner_id=problem.owner_id, owner_name=owner.full_name if owner else None,
        partners=sorted(((oid, names[oid]) for oid in partner_ids), key=lambda p: p[1]),
        places=[NamedPlace(id=p.id, address=p.address, postcode=p.postcode,
                           lsoa_code=p.lsoa_code, district=p.district) for p in places],
        categories=problem.category_list, area_lsoa_code=problem.area_lsoa_code,
        area_district=problem.area_district, victim_notes=problem.victim_notes,
        offender_notes=problem.offender_notes, location_notes=problem.location_notes,
        analysis_notes=problem.analysis_notes, assessment_notes=problem.assessment_notes,
        response_started_on=problem.response_started_on,
        assessment_window_days=problem.assessment_window_days,
        linked_incidents_shown=shown, linked_incidents_not_shown=hidden,
        actions=_actions(session, problem, london_today()),
    )


def _incident_rows(
    session: Session, actor: Actor, problem: Problem, where: ColumnElement[bool], limit: int
) -> list[LinkedIncident]:
    linked = set(session.scalars(queries.linked_ids(problem.id)))
    rows = session.execute(
        select(Incident, Organisation.name, Place.address, Place.postcode)
        .join(Organisation, Organisation.id == Incident.organisation_id)
        .outerjoin(Place, Place.id == Incident.place_id)
        .where(policy.incident_readable(actor), where)
        .order_by(Incident.occurred_at.desc(), Incident.id)
        .limit(limit)
    ).all()
    policy.record_disclosures(session, actor, (
        policy.Disclosure("incident", i.id, i.organisation_id) for i, _, _, _ in rows
    ))
    return [LinkedIncident(id=i.id, category=i.category, occurred_at=i.occurred_at,
                           organisation_name=org, place_id=i.place_id, address=address,
                           postcode=postcode, linked=i.id in linked)
            for i, org, address, postcode in rows]


def linked_incidents(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, limit: int = 500
) -> list[LinkedIncident]:
    """The linked incidents the actor may see, newest first."""
    problem = visible_problem(session, actor, problem_id)
    return _incident_rows(session, actor, problem, Incident.id.in_(queries.linked_ids(problem.id)),
                          limit)


def search_incidents(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, place: str | None = None,
    postcode: str | None = None, category: str | None = None, occurred_from: date | None = None,
    occurred_to: date | None = None, limit: int = 50,
) -> list[LinkedIncident]:
    """Incidents the actor may see, by place words, postcode, category and dates (to link)."""
    problem = visible_problem(session, actor, problem_id)
    conditions: list[ColumnElement[bool]] = []
    if place:
        words = place.replace("%", "").replace("_", "").strip().lower()
        conditions.append(func.lower(Place.address).contains(words))
    if postcode:
        compact = postcode.replace(" ", "").upper()
        conditions.append(func.replace(Place.postcode, " ", "").startswith(compact))
    if category:
        conditions.append(Incident.category == category)
    if occurred_from:
        conditions.append(Incident.occurred_at >= start_of(occurred_from))
    if occurred_to:
        conditions.append(Incident.occurred_at < start_of(occurred_to + timedelta(days=1)))
    if not conditions:
        conditions.append(queries.in_scope(problem))
    return _incident_rows(session, actor, problem, and_(*conditions), limit)


def triangle(session: Session, *, actor: Actor, problem_id: uuid.UUID) -> Triangle:
    """Victims, offenders (subjects) and locations, counted over linked incidents shown."""
    problem = visible_problem(session, actor, problem_id)
    shown_ids = (select(Incident.id)
                 .where(Incident.id.in_(queries.linked_ids(problem.id)),
                        policy.incident_readable(actor)))
    parties = session.execute(
        select(IncidentParty.person_record_id, IncidentParty.role)
        .where(IncidentParty.incident_id.in_(shown_ids))
    ).all()
    victims = Counter(p for p, role in parties if role == PartyRole.victim.value)
    offenders = Counter(p for p, role in parties if role == PartyRole.subject.value)
    locations = session.execute(
        select(func.coalesce(Place.address, ""), func.count())
        .select_from(Incident).outerjoin(Place, Place.id == Incident.place_id)
        .where(Incident.id.in_(shown_ids))
        .group_by(Place.address).order_by(func.count().desc(), Place.address)
    ).all()
    shown, hidden = _linked_counts(session, actor, problem)
    return Triangle(
        victims=len(victims), repeat_victims=sum(1 for n in victims.values() if n >= 2),
        offenders=len(offenders), repeat_offenders=sum(1 for n in offenders.values() if n >= 2),
        locations=[(address, int(n)) for address, n in locations], incidents=shown,
        incidents_not_shown=hidden,
    )


def monthly(session: Session, *, actor: Actor, problem_id: uuid.UUID) -> list[MonthCount]:
    """Linked incidents shown, by month (Europe/London), from the first month to the last."""
    problem = visible_problem(session, actor, problem_id)
    times = session.scalars(select(Incident.occurred_at).where(
        Incident.id.in_(queries.linked_ids(problem.id)), policy.incident_readable(actor)
    ))
    counts = Counter(local(t).strftime("%Y-%m") for t in times)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:])
    result = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        result.append(MonthCount(month=key, count=counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def assess(
    session: Session, *, actor: Actor, problem_id: uuid.UUID, today: date | None = None
) -> Assessment | None:
    """Before and after the response start over equal windows; None before it has started."""
    problem = visible_problem(session, actor, problem_id)
    start = problem.response_started_on
    day = today or london_today()
    if start is None or start > day:
        return None
    days = problem.assessment_window_days
    after_end = min(start + timedelta(days=days), day + timedelta(days=1))
    after_days = (after_end - start).days
    scope = queries.in_scope(problem)

    def count(first: date, end: date, readable: bool) -> int:
        statement = select(func.count()).select_from(Incident).where(
            scope, queries.occurred_between(start_of(first), start_of(end)),
            policy.incident_readable(actor) if readable else hidden_elsewhere(actor),
        )
        return int(session.scalar(statement) or 0)

    before_start = start - timedelta(days=days)
    before, after = count(before_start, start, True), count(start, after_end, True)
    hidden = count(before_start, start, False) + count(start, after_end, False)
    result = compare_counts(before, after, days, after_days)
    return Assessment(
        response_started_on=start, window_days=days, before_from=before_start,
        before_to=start - timedelta(days=1), after_from=start,
        after_to=after_end - timedelta(days=1), after_days=after_days,
        after_complete=after_days == days, before=before, after=after,
        before_rate_per_30_days=round(result.before_rate, 2),
        after_rate_per_30_days=round(result.after_rate, 2),
        rate_ratio=None if result.rate_ratio is None else round(result.rate_ratio, 3),
        p_value=result.p_value, verdict=result.verdict.value,
        verdict_words=result.verdict_words, not_shown=hidden, counted=COUNTED,
    )
