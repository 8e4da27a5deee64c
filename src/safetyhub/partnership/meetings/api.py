"""Assemblies and meetings JSON API routes (thin: they call the service)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, UploadFile
from fastapi.responses import Response

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.partnership.meetings import reads, service
from safetyhub.partnership.meetings.downloads import paper_response
from safetyhub.partnership.meetings.schemas import (
    ActionRead,
    ActionUpdate,
    AttachmentRead,
    Attendance,
    DecisionCreate,
    DecisionRead,
    Invitations,
    MeetingCreate,
    MeetingRead,
    MeetingRecord,
    MeetingSummary,
    OrganisationAttendance,
)
from safetyhub.timeutil import london_today

router = APIRouter(tags=["meetings"])
BASE = "/partnership/meetings"


@router.get(BASE, response_model=list[MeetingSummary])
def list_meetings(session: DbSession, actor: CurrentActor) -> list[MeetingSummary]:
    """Meetings you may see (the partnership office: all; others: those invited to)."""
    return reads.list_meetings(session, actor=actor)


@router.post(BASE, response_model=MeetingRead, status_code=201)
def create_meeting(session: DbSession, actor: CurrentActor, body: MeetingCreate) -> MeetingRead:
    """Convene an assembly or meeting (the partnership office)."""
    meeting = service.create_meeting(
        session, actor=actor, kind=body.kind, title=body.title, held_on=body.held_on,
        venue=body.venue, themes=body.themes,
        invited_organisation_ids=body.invited_organisation_ids,
    )
    return reads.get_meeting(session, actor=actor, meeting_id=meeting.id)


@router.get("/partnership/attendance", response_model=list[OrganisationAttendance])
def attendance(session: DbSession, actor: CurrentActor) -> list[OrganisationAttendance]:
    """Per organisation: meetings attended of those it was invited to (meetings you may see)."""
    return reads.attendance_by_organisation(session, actor=actor)


@router.get(BASE + "/{meeting_id}", response_model=MeetingRead)
def get_meeting(session: DbSession, actor: CurrentActor, meeting_id: uuid.UUID) -> MeetingRead:
    """One meeting you may see."""
    return reads.get_meeting(session, actor=actor, meeting_id=meeting_id)


@router.post(BASE + "/{meeting_id}/invitations", response_model=MeetingRead)
def invite(session: DbSession, actor: CurrentActor, meeting_id: uuid.UUID, body: Invitations
           ) -> MeetingRead:
    """Invite organisations."""
    service.invite_organisations(session, actor=actor, meeting_id=meeting_id,
                                 organisation_ids=body.organisation_ids)
    return reads.get_meeting(session, actor=actor, meeting_id=meeting_id)


@router.put(BASE + "/{meeting_id}/attendance", response_model=MeetingRead)
def record_attendance(session: DbSession, actor: CurrentActor, meeting_id: uuid.UUID,
                      body: Attendance) -> MeetingRead:
    """Record which invited organisations attended."""
    service.record_attendance(session, actor=actor, meeting_id=meeting_id,
                              attended_organisation_ids=body.attended_organisation_ids)
    return reads.get_meeting(session, actor=actor, meeting_id=meeting_id)


@router.patch(BASE + "/{meeting_id}", response_model=MeetingRead)
def record_minutes(session: DbSession, actor: CurrentActor, meeting_id: uuid.UUID,
                   body: MeetingRecord) -> MeetingRead:
    """Record the agenda and/or minutes."""
    service.record_minutes(session, actor=actor, meeting_id=meeting_id, agenda=body.agenda,
                           minutes=body.minutes)
    return reads.get_meeting(session, actor=actor, meeting_id=meeting_id)


@router.post(BASE + "/{meeting_id}/papers", response_model=AttachmentRead, status_code=201)
def add_paper(session: DbSession, actor: CurrentActor, meeting_id: uuid.UUID, file: UploadFile,
              title: Annotated[str, Form(max_length=200)] = "") -> AttachmentRead:
    """Attach a paper (PDF, PPTX, DOCX, ODP, ODT, PNG or JPEG within the size limit)."""
    paper = service.add_paper(session, actor=actor, meeting_id=meeting_id, title=title.strip(),
                              filename=file.filename or "", stream=file.file)
    return AttachmentRead(id=paper.id, title=paper.title, filename=paper.filename,
                          content_type=paper.content_type, size_bytes=paper.size_bytes,
                          created_at=paper.created_at)


@router.get(BASE + "/{meeting_id}/papers/{attachment_id}")
def download_paper(session: DbSession, actor: CurrentActor, meeting_id: uuid.UUID,
                   attachment_id: uuid.UUID) -> Response:
    """Download a paper (always as an attachment)."""
    return paper_response(reads.get_paper(session, actor=actor, meeting_id=meeting_id,
                                          attachment_id=attachment_id))


@router.post(BASE + "/{meeting_id}/decisions", response_model=DecisionRead, status_code=201)
def record_decision(session: DbSession, actor: CurrentActor, meeting_id: uuid.UUID,
                    body: DecisionCreate) -> DecisionRead:
    """Record a decision with its actions and commitments."""
    decision = service.record_decision(
        session, actor=actor, meeting_id=meeting_id, text=body.text, actions=body.actions,
        commitments_made=body.commitments,
    )
    meeting = reads.get_meeting(session, actor=actor, meeting_id=meeting_id)
    return next(d for d in meeting.decisions if d.id == decision.id)


@router.patch("/partnership/actions/{action_id}", response_model=ActionRead)
def update_action(session: DbSession, actor: CurrentActor, action_id: uuid.UUID,
                  body: ActionUpdate) -> ActionRead:
    """Set a meeting action's status (its owner organisation or the partnership office)."""
    action = service.set_action_status(session, actor=actor, action_id=action_id,
                                       status=body.status)
    return reads.action_reads(session, [action], london_today())[0]

