"""Case conference API routes (thin: they call conferences.service and conferences.reads)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.conferences import reads, service
from safetyhub.conferences.schemas import (
    ActionCreate,
    ActionRead,
    ActionStatusUpdate,
    AttendanceRecord,
    ConferenceCreate,
    ConferenceDetailRead,
    ConferencePage,
    ItemAdd,
    MemberInvite,
    MinutesUpdate,
    NoteCreate,
)

router = APIRouter(tags=["case conferences"])

Detail = ConferenceDetailRead


@router.get("/conferences", response_model=ConferencePage)
def list_conferences(session: DbSession, actor: CurrentActor) -> ConferencePage:
    """Conferences your agency is invited to, the latest first."""
    return reads.list_conferences(session, actor=actor)


@router.post("/conferences", response_model=Detail, status_code=201)
def create_conference(session: DbSession, actor: CurrentActor, body: ConferenceCreate) -> Detail:
    """Convene a conference chaired by your agency under an in-force sharing agreement."""
    conference = service.create_conference(
        session, actor=actor, kind=body.kind, title=body.title, held_on=body.held_on,
        agreement_id=body.agreement_id, purpose=body.purpose,
        member_organisation_ids=body.member_organisation_ids, chair_user_id=body.chair_user_id,
    )
    return reads.get_conference(session, actor=actor, conference_id=conference.id)


@router.get("/conferences/{conference_id}", response_model=Detail)
def get_conference(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID) -> Detail:
    """A conference: agenda as far as you may see it; notes for attending agencies only."""
    return reads.get_conference(session, actor=actor, conference_id=conference_id)


@router.post("/conferences/{conference_id}/members", response_model=Detail, status_code=201)
def invite_agency(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID,
                  body: MemberInvite) -> Detail:
    """Invite another agency that is a party to the conference's agreement."""
    service.invite_agency(session, actor=actor, conference_id=conference_id,
                          organisation_id=body.organisation_id)
    return reads.get_conference(session, actor=actor, conference_id=conference_id)


@router.post("/conferences/{conference_id}/attendance", response_model=Detail)
def record_attendance(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID,
                      body: AttendanceRecord) -> Detail:
    """Record whether an invited agency attended."""
    service.record_attendance(session, actor=actor, conference_id=conference_id,
                              organisation_id=body.organisation_id, attended=body.attended)
    return reads.get_conference(session, actor=actor, conference_id=conference_id)


@router.post("/conferences/{conference_id}/items", response_model=Detail, status_code=201)
def add_item(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID,
             body: ItemAdd) -> Detail:
    """Put a case, alert or MARAC referral you may see on the agenda."""
    service.add_item(session, actor=actor, conference_id=conference_id, case_id=body.case_id,
                     alert_id=body.alert_id, dash_assessment_id=body.dash_assessment_id)
    return reads.get_conference(session, actor=actor, conference_id=conference_id)


@router.post("/conferences/{conference_id}/items/{item_id}/notes", response_model=Detail,
             status_code=201)
def add_note(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID,
             item_id: uuid.UUID, body: NoteCreate) -> Detail:
    """Record a discussion note on an agenda item (attending agencies only read it)."""
    service.add_note(session, actor=actor, conference_id=conference_id, item_id=item_id,
                     text=body.text)
    return reads.get_conference(session, actor=actor, conference_id=conference_id)


@router.post("/conferences/{conference_id}/actions", response_model=ActionRead,
             status_code=201)
def add_action(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID,
               body: ActionCreate) -> ActionRead:
    """Agree an action owned by an invited agency (optionally also on the item's case)."""
    action = service.add_action(
        session, actor=actor, conference_id=conference_id, organisation_id=body.organisation_id,
        description=body.description, due_date=body.due_date, item_id=body.item_id,
        create_case_action=body.create_case_action,
    )
    return _action(session, actor, conference_id, action.id)


@router.post("/conferences/{conference_id}/actions/{action_id}/status",
             response_model=ActionRead)
def update_action_status(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID,
                         action_id: uuid.UUID, body: ActionStatusUpdate) -> ActionRead:
    """Mark an action done, cancelled or open."""
    service.update_action_status(session, actor=actor, conference_id=conference_id,
                                 action_id=action_id, status=body.status)
    return _action(session, actor, conference_id, action_id)


@router.put("/conferences/{conference_id}/minutes", response_model=Detail)
def record_minutes(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID,
                   body: MinutesUpdate) -> Detail:
    """Record the minutes (the chair's agency)."""
    service.record_minutes(session, actor=actor, conference_id=conference_id,
                           minutes=body.minutes)
    return reads.get_conference(session, actor=actor, conference_id=conference_id)


@router.post("/conferences/{conference_id}/close", response_model=Detail)
def close_conference(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID) -> Detail:
    """Close the conference (minutes recorded first)."""
    service.close_conference(session, actor=actor, conference_id=conference_id)
    return reads.get_conference(session, actor=actor, conference_id=conference_id)


def _action(session: DbSession, actor: CurrentActor, conference_id: uuid.UUID,
            action_id: uuid.UUID) -> ActionRead:
    detail = reads.get_conference(session, actor=actor, conference_id=conference_id)
    return next(a for a in detail.actions if a.id == action_id)
