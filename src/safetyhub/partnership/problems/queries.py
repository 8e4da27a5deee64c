"""Select statements for problems, each starting from the access policy."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, Select, false, or_, select

from safetyhub.auth.actor import Actor
from safetyhub.incidents.models import Incident
from safetyhub.partnership.problems.models import (
    Problem,
    ProblemIncident,
    ProblemPartner,
    ProblemPlace,
)
from safetyhub.places.models import Place
from safetyhub.sharing import policy


def visible_problem(actor: Actor, problem_id: uuid.UUID) -> Select[tuple[Problem]]:
    """One problem the actor may read."""
    return policy.visible_problems(actor).where(Problem.id == problem_id)


def problem_for_change(actor: Actor, problem_id: uuid.UUID) -> Select[tuple[Problem]]:
    """The visible problem, row-locked so two changes do not interleave."""
    return (
        visible_problem(actor, problem_id)
        .with_for_update(of=Problem)
        .execution_options(populate_existing=True)
    )


def partner_ids(problem_id: uuid.UUID) -> Select[tuple[uuid.UUID]]:
    """The partner agencies' ids."""
    return select(ProblemPartner.organisation_id).where(ProblemPartner.problem_id == problem_id)


def place_ids(problem_id: uuid.UUID) -> Select[tuple[uuid.UUID]]:
    """The problem's places' ids."""
    return select(ProblemPlace.place_id).where(ProblemPlace.problem_id == problem_id)


def linked_ids(problem_id: uuid.UUID) -> Select[tuple[uuid.UUID]]:
    """Ids of the incidents linked to the problem (whoever may see them)."""
    return select(ProblemIncident.incident_id).where(ProblemIncident.problem_id == problem_id)


def in_scope(problem: Problem) -> ColumnElement[bool]:
    """Incidents the assessment counts: at its places, in its area or linked; of its categories.

    No categories chosen means every category.
    """
    where: list[ColumnElement[bool]] = [
        Incident.place_id.in_(place_ids(problem.id)),
        Incident.id.in_(linked_ids(problem.id)),
    ]
    if problem.area_lsoa_code:
        where.append(Incident.place_id.in_(
            select(Place.id).where(Place.lsoa_code == problem.area_lsoa_code)
        ))
    if problem.area_district:
        where.append(Incident.district == problem.area_district)
    condition: ColumnElement[bool] = or_(false(), *where)
    if problem.category_list:
        return condition & Incident.category.in_(problem.category_list)
    return condition


def occurred_between(start: datetime, end: datetime) -> ColumnElement[bool]:
    """Occurred in [start, end)."""
    return (Incident.occurred_at >= start) & (Incident.occurred_at < end)
