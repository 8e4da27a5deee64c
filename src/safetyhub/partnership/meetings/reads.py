"""Reads of meetings, papers and attendance figures, every one starting from the access policy."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from safetyhub.auth.actor import Actor
from safetyhub.partnership.commitments.models import Commitment
from safetyhub.partnership.commitments.reads import (
    list_commitments,
    organisation_names,
    user_names,
)
from safetyhub.partnership.commitments.rules import rate
from safetyhub.partnership.meetings.models import (
    ActionStatus,
    Meeting,
    MeetingAction,
    MeetingAttachment,
    MeetingDecision,
    MeetingInvitation,
    MeetingKind,
)
from safetyhub.partnership.meetings.schemas import (
    ActionDetail,
    ActionRead,
    AttachmentRead,
    DecisionRead,
    InvitationRead,
    MeetingRead,
    MeetingSummary,
    OrganisationAttendance,
)
from safetyhub.sharing import policy
from safetyhub.timeutil import london_today

CLOSED_ACTIONS = frozenset({ActionStatus.done, ActionStatus.dropped})


def _counts(session: Session, meeting_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int]]:
    counts: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0])
    if meeting_ids:
        rows = session.execute(select(MeetingInvitation.meeting_id, MeetingInvitation.attended)
                               .where(MeetingInvitation.meeting_id.in_(meeting_ids)))
        for meeting_id, attended in rows:
            counts[meeting_id][0] += 1
            counts[meeting_id][1] += int(bool(attended))
    return {key: (value[0], value[1]) for key, value in counts.items()}


def _summary(meeting: Meeting, invited: int, attended: int) -> dict[str, object]:
    return {"id": meeting.id, "kind": MeetingKind(meeting.kind), "title": meeting.title,
            "held_on": meeting.held_on, "venue": meeting.venue, "invited": invited,
            "attended": attended, "attendance_rate": rate(attended, invited)}


def list_meetings(session: Session, *, actor: Actor) -> list[MeetingSummary]:
    """Meetings the actor may see, the latest first, with attendance figures."""
    rows = session.scalars(policy.visible_meetings(actor).order_by(Meeting.held_on.desc())).all()
    counts = _counts(session, [m.id for m in rows])
    return [MeetingSummary.model_validate(_summary(m, *counts.get(m.id, (0, 0)))) for m in rows]


def action_reads(session: Session, actions: list[MeetingAction], today: date
                 ) -> list[ActionRead]:
    """Actions as the API answers them."""
    names = organisation_names(session, {a.owner_organisation_id for a in actions})
    return [
        ActionRead(id=a.id, meeting_id=a.meeting_id, decision_id=a.decision_id, text=a.text,
                   owner_organisation_id=a.owner_organisation_id,
                   owner_organisation_name=names.get(a.owner_organisation_id, ""),
                   owner_user_id=a.owner_user_id, due_on=a.due_on,
                   status=ActionStatus(a.status),
                   overdue=a.due_on < today and a.status not in CLOSED_ACTIONS)
        for a in actions
    ]


def action_details(session: Session, actor: Actor, actions: list[MeetingAction], today: date
                   ) -> list[ActionDetail]:
    """Actions with their owner's name and, where the actor may see it, their meeting."""
    meetings = {m.id: m for m in session.scalars(policy.visible_meetings(actor).where(
        Meeting.id.in_({a.meeting_id for a in actions})))} if actions else {}
    people = user_names(session, {a.owner_user_id for a in actions if a.owner_user_id})
    return [
        ActionDetail(
            **read.model_dump(),
            owner_user_name=people.get(row.owner_user_id) if row.owner_user_id else None,
            meeting_title=meetings[row.meeting_id].title if row.meeting_id in meetings else None,
            meeting_held_on=(meetings[row.meeting_id].held_on if row.meeting_id in meetings
                             else None),
        )
        for row, read in zip(actions, action_reads(session, actions, today), strict=True)
    ]


def get_action(session: Session, *, actor: Actor, action_id: uuid.UUID,
               today: date | None = None) -> ActionDetail:
    """One action the actor may see: of a meeting they read, or owned by their agency."""
    action = policy.get_visible(session, policy.visible_meeting_actions(actor).where(
        MeetingAction.id == action_id), "meeting action")
    return action_details(session, actor, [action], today or london_today())[0]


def list_actions(session: Session, *, actor: Actor, own_only: bool = True,
                 today: date | None = None) -> list[ActionDetail]:
    """Actions the actor's organisation owns (or every visible one), open first, earliest due."""
    statement = policy.visible_meeting_actions(actor)
    if own_only:
        if actor.organisation_id is None:
            return []
        statement = statement.where(MeetingAction.owner_organisation_id == actor.organisation_id)
    rows = session.scalars(statement.order_by(MeetingAction.due_on,
                                              MeetingAction.created_at)).all()
    details = action_details(session, actor, list(rows), today or london_today())
    return sorted(details, key=lambda a: a.status in CLOSED_ACTIONS)


def get_meeting(session: Session, *, actor: Actor, meeting_id: uuid.UUID,
                today: date | None = None) -> MeetingRead:
    """One meeting with invitations, attendance, papers, decisions and actions."""
    meeting = policy.get_visible(
        session, policy.visible_meetings(actor).where(Meeting.id == meeting_id), "meeting"
    )
    invitations = session.scalars(policy.visible_meeting_invitations(actor).where(
        MeetingInvitation.meeting_id == meeting.id)).all()
    names = organisation_names(session, {i.organisation_id for i in invitations})
    attachments = session.scalars(policy.visible_meeting_attachments(actor).where(
        MeetingAttachment.meeting_id == meeting.id).order_by(MeetingAttachment.created_at)).all()
    decisions = session.scalars(policy.visible_meeting_decisions(actor).where(
        MeetingDecision.meeting_id == meeting.id).order_by(MeetingDecision.created_at)).all()
    actions = session.scalars(policy.visible_meeting_actions(actor).where(
        MeetingAction.meeting_id == meeting.id).order_by(MeetingAction.due_on)).all()
    commitment_rows = session.execute(
        select(Commitment.decision_id, Commitment.id)
        .where(Commitment.decision_id.in_([d.id for d in decisions]))
    ).all() if decisions else []
    by_decision: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for decision_id, commitment_id in commitment_rows:
        by_decision[decision_id].append(commitment_id)
    action_list = action_reads(session, list(actions), today or london_today())
    attended = sum(1 for i in invitations if i.attended)
    return MeetingRead.model_validate({
        **_summary(meeting, len(invitations), attended),
        "themes": [line.strip() for line in meeting.themes.splitlines() if line.strip()],
        "agenda": meeting.agenda, "minutes": meeting.minutes,
        "invitations": sorted(
            (InvitationRead(organisation_id=i.organisation_id,
                            organisation_name=names.get(i.organisation_id, ""),
                            attended=i.attended) for i in invitations),
            key=lambda item: item.organisation_name),
        "attachments": [AttachmentRead(id=a.id, title=a.title, filename=a.filename,
                                       content_type=a.content_type, size_bytes=a.size_bytes,
                                       created_at=a.created_at) for a in attachments],
        "decisions": [DecisionRead(id=d.id, text=d.text, created_at=d.created_at,
                                   actions=[a for a in action_list if a.decision_id == d.id],
                                   commitment_ids=by_decision[d.id]) for d in decisions],
    })


def get_paper(session: Session, *, actor: Actor, meeting_id: uuid.UUID,
              attachment_id: uuid.UUID) -> MeetingAttachment:
    """A paper of a meeting the actor may see, with its content loaded."""
    return policy.get_visible(
        session,
        policy.visible_meeting_attachments(actor).where(
            MeetingAttachment.id == attachment_id, MeetingAttachment.meeting_id == meeting_id,
        ).options(undefer(MeetingAttachment.content)),
        "meeting paper",
    )


def attendance_by_organisation(session: Session, *, actor: Actor, today: date | None = None
                               ) -> list[OrganisationAttendance]:
    """Per organisation: meetings attended of those it was invited to, held up to today."""
    day = today or london_today()
    rows = session.execute(
        policy.visible_meeting_invitations(actor)
        .where(Meeting.held_on <= day)
        .with_only_columns(MeetingInvitation.organisation_id, MeetingInvitation.attended)
    ).all()
    counts: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0])
    for organisation_id, attended in rows:
        counts[organisation_id][0] += 1
        counts[organisation_id][1] += int(bool(attended))
    names = organisation_names(session, set(counts))
    return sorted(
        (OrganisationAttendance(organisation_id=org, organisation_name=names.get(org, ""),
                                invited=invited, attended=attended,
                                attendance_rate=rate(attended, invited))
         for org, (invited, attended) in counts.items()),
        key=lambda item: item.organisation_name,
    )


def overdue_for_my_organisation(session: Session, actor: Actor, *, limit: int = 10
                                ) -> dict[str, Any]:
    """For the home page: the overdue commitments and meeting actions of the actor's agency."""
    if actor.organisation_id is None:
        return {"overdue_commitments": [], "overdue_actions": []}
    commitments = list_commitments(session, actor=actor, organisation_id=actor.organisation_id,
                                   overdue_only=True)
    actions = [a for a in list_actions(session, actor=actor) if a.overdue]
    return {"overdue_commitments": commitments[:limit], "overdue_actions": actions[:limit]}
