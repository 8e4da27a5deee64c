"""Cases API routes (thin: they call cases.service)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.cases import service
from safetyhub.cases.models import (
    CaseAction,
    CaseIncident,
    CaseMember,
    CaseNote,
    CaseStatus,
    CaseSubject,
)
from safetyhub.cases.schemas import (
    CaseActionCreate,
    CaseActionRead,
    CaseClose,
    CaseCreate,
    CaseDetailRead,
    CaseIncidentAttach,
    CaseIncidentLinkRead,
    CaseMemberAdd,
    CaseMemberRead,
    CaseNoteCreate,
    CaseNoteRead,
    CasePage,
    CaseRead,
    CaseSubjectAdd,
    CaseSubjectLinkRead,
)

router = APIRouter(tags=["cases"])


@router.get("/cases", response_model=CasePage)
def list_cases(
    session: DbSession,
    actor: CurrentActor,
    status: CaseStatus | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> CasePage:
    """Cases you may see: your agency's, and others' through an agreement and X-Purpose."""
    return service.list_cases(
        session, actor=actor, status=status, page=page, page_size=page_size
    )


@router.post("/cases", response_model=CaseRead, status_code=201)
def open_case(session: DbSession, actor: CurrentActor, body: CaseCreate) -> CaseRead:
    """Open a case led by your agency."""
    case = service.open_case(
        session, actor=actor, title=body.title, kind=body.kind, risk_level=body.risk_level,
        place_id=body.place_id, subject_person_record_ids=body.subject_person_record_ids,
    )
    return service.summary_of(session, case)


@router.get("/cases/{case_id}", response_model=CaseDetailRead)
def get_case(session: DbSession, actor: CurrentActor, case_id: uuid.UUID) -> CaseDetailRead:
    """A case with what you may see of it; reading other agencies' parts needs X-Purpose."""
    return service.get_case(session, actor=actor, case_id=case_id)


@router.post("/cases/{case_id}/members", response_model=CaseMemberRead, status_code=201)
def add_member_agency(
    session: DbSession, actor: CurrentActor, case_id: uuid.UUID, body: CaseMemberAdd
) -> CaseMember:
    """Bring another agency into the case."""
    return service.add_member_agency(
        session, actor=actor, case_id=case_id, organisation_id=body.organisation_id
    )


@router.post("/cases/{case_id}/subjects", response_model=CaseSubjectLinkRead, status_code=201)
def add_subject(
    session: DbSession, actor: CurrentActor, case_id: uuid.UUID, body: CaseSubjectAdd
) -> CaseSubject:
    """Add a person record you may see as a subject of the case."""
    return service.add_subject(
        session, actor=actor, case_id=case_id, person_record_id=body.person_record_id
    )


@router.post("/cases/{case_id}/incidents", response_model=CaseIncidentLinkRead, status_code=201)
def attach_incident(
    session: DbSession, actor: CurrentActor, case_id: uuid.UUID, body: CaseIncidentAttach
) -> CaseIncident:
    """Attach an incident you may see to the case."""
    return service.attach_incident(
        session, actor=actor, case_id=case_id, incident_id=body.incident_id
    )


@router.post("/cases/{case_id}/actions", response_model=CaseActionRead, status_code=201)
def add_action(
    session: DbSession, actor: CurrentActor, case_id: uuid.UUID, body: CaseActionCreate
) -> CaseAction:
    """Agree an action for a member agency, due on a date."""
    return service.add_action(
        session, actor=actor, case_id=case_id, description=body.description,
        due_date=body.due_date, organisation_id=body.organisation_id,
        owner_user_id=body.owner_user_id,
    )


@router.post("/cases/{case_id}/actions/{action_id}/complete", response_model=CaseActionRead)
def complete_action(
    session: DbSession, actor: CurrentActor, case_id: uuid.UUID, action_id: uuid.UUID
) -> CaseAction:
    """Mark an action done."""
    return service.complete_action(session, actor=actor, case_id=case_id, action_id=action_id)


@router.post("/cases/{case_id}/actions/{action_id}/reopen", response_model=CaseActionRead)
def reopen_action(
    session: DbSession, actor: CurrentActor, case_id: uuid.UUID, action_id: uuid.UUID
) -> CaseAction:
    """Mark a done action open again."""
    return service.reopen_action(session, actor=actor, case_id=case_id, action_id=action_id)


@router.post("/cases/{case_id}/notes", response_model=CaseNoteRead, status_code=201)
def add_note(
    session: DbSession, actor: CurrentActor, case_id: uuid.UUID, body: CaseNoteCreate
) -> CaseNote:
    """Add a note owned by your agency."""
    return service.add_note(
        session, actor=actor, case_id=case_id, text=body.text, sensitivity=body.sensitivity
    )


@router.post("/cases/{case_id}/close", response_model=CaseRead)
def close_case(
    session: DbSession, actor: CurrentActor, case_id: uuid.UUID, body: CaseClose
) -> CaseRead:
    """Close the case with its outcome (lead agency only)."""
    case = service.close_case(session, actor=actor, case_id=case_id, outcome=body.outcome)
    return service.summary_of(session, case)
