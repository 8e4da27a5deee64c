"""Problems JSON API routes (thin: they call the service and the reads)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.incidents.models import IncidentCategory
from safetyhub.partnership.problems import reads, service
from safetyhub.partnership.problems.models import ProblemStage
from safetyhub.partnership.problems.schemas import (
    ActionCreate,
    ActionRead,
    ActionUpdate,
    Assessment,
    IncidentLink,
    LinkedIncident,
    MonthCount,
    PartnerAdd,
    PlaceAdd,
    ProblemCreate,
    ProblemRead,
    ProblemSummary,
    ProblemUpdate,
    Triangle,
)

router = APIRouter(tags=["problems"])
Text = Annotated[str | None, Query(max_length=100)]


@router.get("/problems", response_model=list[ProblemSummary])
def list_problems(
    session: DbSession, actor: CurrentActor, stage: ProblemStage | None = None
) -> list[ProblemSummary]:
    """Problems your agency leads or is a partner in."""
    return reads.list_problems(session, actor=actor, stage=stage)


@router.post("/problems", response_model=ProblemRead, status_code=201)
def open_problem(session: DbSession, actor: CurrentActor, body: ProblemCreate) -> ProblemRead:
    """Open a problem led by your agency."""
    problem = service.open_problem(session, actor=actor, details=body)
    return reads.read_problem(session, actor=actor, problem_id=problem.id)


@router.get("/problems/{problem_id}", response_model=ProblemRead)
def get_problem(session: DbSession, actor: CurrentActor, problem_id: uuid.UUID) -> ProblemRead:
    """One problem your agency leads or partners."""
    return reads.read_problem(session, actor=actor, problem_id=problem_id)


@router.patch("/problems/{problem_id}", response_model=ProblemRead)
def update_problem(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID, body: ProblemUpdate
) -> ProblemRead:
    """Change details, analysis notes, stage or the response start."""
    service.update_problem(session, actor=actor, problem_id=problem_id, changes=body)
    return reads.read_problem(session, actor=actor, problem_id=problem_id)


@router.post("/problems/{problem_id}/partners", response_model=ProblemRead)
def add_partner(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID, body: PartnerAdd
) -> ProblemRead:
    """Invite another agency (lead agency only)."""
    service.add_partner(session, actor=actor, problem_id=problem_id,
                        organisation_id=body.organisation_id)
    return reads.read_problem(session, actor=actor, problem_id=problem_id)


@router.post("/problems/{problem_id}/places", response_model=ProblemRead)
def add_place(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID, body: PlaceAdd
) -> ProblemRead:
    """Add a place the problem is at."""
    service.add_place(session, actor=actor, problem_id=problem_id, place_id=body.place_id)
    return reads.read_problem(session, actor=actor, problem_id=problem_id)


@router.delete("/problems/{problem_id}/places/{place_id}", response_model=ProblemRead)
def remove_place(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID, place_id: uuid.UUID
) -> ProblemRead:
    """Take a place off the problem (a problem keeps at least one place, or an area)."""
    service.remove_place(session, actor=actor, problem_id=problem_id, place_id=place_id)
    return reads.read_problem(session, actor=actor, problem_id=problem_id)


@router.get("/problems/{problem_id}/incidents", response_model=list[LinkedIncident])
def linked_incidents(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID
) -> list[LinkedIncident]:
    """Linked incidents you may see (the problem says how many others are not shown)."""
    return reads.linked_incidents(session, actor=actor, problem_id=problem_id)


@router.post("/problems/{problem_id}/incidents", response_model=ProblemRead, status_code=201)
def link_incident(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID, body: IncidentLink
) -> ProblemRead:
    """Link an incident you may see."""
    service.link_incident(session, actor=actor, problem_id=problem_id,
                          incident_id=body.incident_id)
    return reads.read_problem(session, actor=actor, problem_id=problem_id)


@router.delete("/problems/{problem_id}/incidents/{incident_id}", response_model=ProblemRead)
def unlink_incident(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID, incident_id: uuid.UUID
) -> ProblemRead:
    """Unlink an incident."""
    service.unlink_incident(session, actor=actor, problem_id=problem_id,
                            incident_id=incident_id)
    return reads.read_problem(session, actor=actor, problem_id=problem_id)


@router.get("/problems/{problem_id}/candidates", response_model=list[LinkedIncident])
def search_incidents(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID, place: Text = None,
    postcode: Annotated[str | None, Query(max_length=10)] = None,
    category: IncidentCategory | None = None, occurred_from: date | None = None,
    occurred_to: date | None = None,
) -> list[LinkedIncident]:
    """Incidents you may see to link: by place, postcode, category and dates (50 newest)."""
    return reads.search_incidents(
        session, actor=actor, problem_id=problem_id, place=place, postcode=postcode,
        category=category.value if category else None, occurred_from=occurred_from,
        occurred_to=occurred_to,
    )


@router.get("/problems/{problem_id}/analysis", response_model=Triangle)
def analysis(session: DbSession, actor: CurrentActor, problem_id: uuid.UUID) -> Triangle:
    """The victim / offender / location triangle over the linked incidents you may see."""
    return reads.triangle(session, actor=actor, problem_id=problem_id)


@router.get("/problems/{problem_id}/monthly", response_model=list[MonthCount])
def monthly(session: DbSession, actor: CurrentActor, problem_id: uuid.UUID) -> list[MonthCount]:
    """Linked incidents you may see, by month."""
    return reads.monthly(session, actor=actor, problem_id=problem_id)


@router.post("/problems/{problem_id}/actions", response_model=ActionRead, status_code=201)
def add_action(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID, body: ActionCreate
) -> ActionRead:
    """Add a response action."""
    action = service.add_action(session, actor=actor, problem_id=problem_id,
                                organisation_id=body.organisation_id, owner_id=body.owner_id,
                                text=body.text, due_on=body.due_on)
    read = reads.read_problem(session, actor=actor, problem_id=problem_id)
    return next(a for a in read.actions if a.id == action.id)


@router.patch("/problems/{problem_id}/actions/{action_id}", response_model=ActionRead)
def update_action(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID, action_id: uuid.UUID,
    body: ActionUpdate,
) -> ActionRead:
    """Change an action's status."""
    service.update_action(session, actor=actor, problem_id=problem_id, action_id=action_id,
                          status=body.status)
    read = reads.read_problem(session, actor=actor, problem_id=problem_id)
    return next(a for a in read.actions if a.id == action_id)


@router.get("/problems/{problem_id}/assessment", response_model=Assessment | None)
def assessment(
    session: DbSession, actor: CurrentActor, problem_id: uuid.UUID
) -> Assessment | None:
    """Before and after the response start (null until the response has started)."""
    return reads.assess(session, actor=actor, problem_id=problem_id)
