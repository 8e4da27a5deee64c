"""Meeting verbs: convene, invite, record attendance, minutes, papers, decisions and actions.

Audit summaries carry ids, codes, dates, counts and lengths, never minutes or decision text.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import date
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.config import get_settings
from safetyhub.errors import InvalidInput, NotFound, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.commitments import service as commitments
from safetyhub.partnership.meetings import papers, permissions
from safetyhub.partnership.meetings.models import (
    ActionStatus,
    Meeting,
    MeetingAction,
    MeetingAttachment,
    MeetingDecision,
    MeetingInvitation,
    MeetingKind,
)
from safetyhub.partnership.meetings.schemas import ActionCreate, DecisionCommitment
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.timeutil import utcnow


def _require_office(actor: Actor) -> None:
    if not permissions.may_run_meetings(actor):
        raise PermissionDenied(N_("Only the partnership office runs partnership meetings."))


def meeting_for_change(session: Session, actor: Actor, meeting_id: uuid.UUID) -> Meeting:
    """The meeting if visible (404) and the actor runs meetings (403)."""
    meeting = policy.get_visible(
        session, policy.visible_meetings(actor).where(Meeting.id == meeting_id), "meeting"
    )
    _require_office(actor)
    return meeting


def _known_organisations(session: Session, ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(ids))
    found = set(session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted))))
    if len(found) != len(wanted):
        raise NotFound(N_("No organisation with that id."))
    return wanted


def _invite(session: Session, meeting: Meeting, organisation_ids: Sequence[uuid.UUID]
            ) -> list[uuid.UUID]:
    invited = set(session.scalars(select(MeetingInvitation.organisation_id)
                                  .where(MeetingInvitation.meeting_id == meeting.id)))
    added = [org for org in _known_organisations(session, organisation_ids) if org not in invited]
    for org in added:
        session.add(MeetingInvitation(id=uuid.uuid4(), meeting_id=meeting.id,
                                      organisation_id=org))
    session.flush()
    return added


def create_meeting(
    session: Session, *, actor: Actor, kind: MeetingKind, title: str, held_on: date, venue: str,
    themes: str = "", invited_organisation_ids: Sequence[uuid.UUID] = (),
) -> Meeting:
    """Convene an assembly or partnership meeting, inviting organisations."""
    _require_office(actor)
    meeting = Meeting(id=uuid.uuid4(), kind=kind.value, title=title, held_on=held_on,
                      venue=venue, themes=themes, created_by_id=actor.user_id)
    session.add(meeting)
    session.flush()
    added = _invite(session, meeting, invited_organisation_ids)
    audit.record(
        session, actor=actor, action="create_meeting", object_type="meeting",
        object_id=meeting.id,
        after={"kind": meeting.kind, "held_on": held_on.isoformat(),
               "invited_organisation_ids": added},
    )
    return meeting


def invite_organisations(session: Session, *, actor: Actor, meeting_id: uuid.UUID,
                         organisation_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Invite organisations to a meeting; those already invited stay as they are."""
    meeting = meeting_for_change(session, actor, meeting_id)
    added = _invite(session, meeting, organisation_ids)
    audit.record(session, actor=actor, action="invite_to_meeting", object_type="meeting",
                 object_id=meeting.id, after={"invited_organisation_ids": added})
    return added


def record_attendance(session: Session, *, actor: Actor, meeting_id: uuid.UUID,
                      attended_organisation_ids: Sequence[uuid.UUID]) -> None:
    """Record which invited organisations attended (all others did not)."""
    meeting = meeting_for_change(session, actor, meeting_id)
    invitations = session.scalars(select(MeetingInvitation)
                                  .where(MeetingInvitation.meeting_id == meeting.id)).all()
    attended = set(attended_organisation_ids)
    if not attended <= {invitation.organisation_id for invitation in invitations}:
        raise InvalidInput(N_("Only invited organisations can be recorded as attending."))
    before = sorted(str(i.organisation_id) for i in invitations if i.attended)
    now = utcnow()
    for invitation in invitations:
        invitation.attended = invitation.organisation_id in attended
        invitation.attendance_recorded_at = now
    session.flush()
    audit.record(
        session, actor=actor, action="record_attendance", object_type="meeting",
        object_id=meeting.id, before={"attended_organisation_ids": before},
        after={"attended_organisation_ids": sorted(str(org) for org in attended),
               "invited": len(invitations)},
    )


def record_minutes(session: Session, *, actor: Actor, meeting_id: uuid.UUID,
                   agenda: str | None = None, minutes: str | None = None) -> Meeting:
    """Record the agenda and/or the minutes (None leaves one as it is)."""
    meeting = meeting_for_change(session, actor, meeting_id)
    if agenda is not None:
        meeting.agenda = agenda or None
    if minutes is not None:
        meeting.minutes = minutes or None
    session.flush()
    audit.record(
        session, actor=actor, action="record_minutes", object_type="meeting",
        object_id=meeting.id,
        after={"agenda_length": len(meeting.agenda or ""),
               "minutes_length": len(meeting.minutes or "")},
    )
    return meeting


def add_paper(session: Session, *, actor: Actor, meeting_id: uuid.UUID, title: str,
              filename: str, stream: BinaryIO) -> MeetingAttachment:
    """Attach a paper; too large or not an allowed type: refused with nothing stored."""
    meeting = meeting_for_change(session, actor, meeting_id)
    settings = get_settings()
    content = papers.read_within(stream, settings.meeting_attachment_max_bytes)
    checked = papers.check_paper(filename, content, settings.meeting_attachment_types)
    attachment = MeetingAttachment(
        id=uuid.uuid4(), meeting_id=meeting.id, title=title or checked.filename,
        filename=checked.filename, content_type=checked.content_type,
        size_bytes=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content,
        uploaded_by_id=actor.user_id,
    )
    session.add(attachment)
    session.flush()
    audit.record(
        session, actor=actor, action="add_meeting_paper", object_type="meeting",
        object_id=meeting.id,
        after={"attachment_id": attachment.id, "extension": checked.extension,
               "size_bytes": attachment.size_bytes, "sha256": attachment.sha256},
    )
    return attachment


def _check_action_owner(session: Session, action: ActionCreate) -> None:
    if session.get(Organisation, action.owner_organisation_id) is None:
        raise NotFound(N_("No organisation with that id."))
    if action.owner_user_id is not None:
        owner = session.get(User, action.owner_user_id)
        if owner is None or owner.organisation_id != action.owner_organisation_id:
            raise InvalidInput(N_("The owner must be a user of the organisation."))


def record_decision(
    session: Session, *, actor: Actor, meeting_id: uuid.UUID, text: str,
    actions: Sequence[ActionCreate] = (), commitments_made: Sequence[DecisionCommitment] = (),
) -> MeetingDecision:
    """Record a decision with the actions and commitments that follow from it."""
    meeting = meeting_for_change(session, actor, meeting_id)
    for action in actions:
        _check_action_owner(session, action)
    decision = MeetingDecision(id=uuid.uuid4(), meeting_id=meeting.id, text=text,
                               recorded_by_id=actor.user_id)
    session.add(decision)
    session.flush()
    action_ids = []
    for action in actions:
        row = MeetingAction(
            id=uuid.uuid4(), meeting_id=meeting.id, decision_id=decision.id, text=action.text,
            owner_organisation_id=action.owner_organisation_id,
            owner_user_id=action.owner_user_id, due_on=action.due_on,
            status=ActionStatus.open.value,
        )
        session.add(row)
        action_ids.append(row.id)
    session.flush()
    commitment_ids = [
        commitments.make_commitment(
            session, actor=actor, organisation_id=item.organisation_id,
            priority_id=item.priority_id, text=item.text, due_on=item.due_on,
            owner_user_id=item.owner_user_id, decision_id=decision.id,
        ).id
        for item in commitments_made
    ]
    audit.record(
        session, actor=actor, action="record_decision", object_type="meeting",
        object_id=meeting.id,
        after={"decision_id": decision.id, "action_ids": action_ids,
               "commitment_ids": commitment_ids, "text_length": len(text)},
    )
    return decision


def set_action_status(session: Session, *, actor: Actor, action_id: uuid.UUID,
                      status: ActionStatus) -> MeetingAction:
    """Set a meeting action's status (its owner organisation, or the partnership office)."""
    action = policy.get_visible(
        session, policy.visible_meeting_actions(actor).where(MeetingAction.id == action_id),
        "meeting action",
    )
    if not permissions.may_update_action(actor, action):
        raise PermissionDenied(
            N_("Only the partnership office and the owner organisation update an action.")
        )
    before = action.status
    action.status = status.value
    action.completed_at = utcnow() if status == ActionStatus.done else None
    session.flush()
    audit.record(
        session, actor=actor, action="set_meeting_action_status", object_type="meeting_action",
        object_id=action.id, owner_organisation_id=action.owner_organisation_id,
        before={"status": before}, after={"status": action.status},
    )
    return action
