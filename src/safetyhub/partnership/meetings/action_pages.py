"""Meeting action pages: the actions an organisation owns, one action, its status.

An owner organisation that was not invited to the meeting still reaches its action here
(the meeting itself stays hidden from it).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.partnership.meetings import permissions, reads, service
from safetyhub.partnership.meetings.models import ActionStatus, Meeting, MeetingAction
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.web.forms import Csrf, FormErrors, Small, done_message, required_uuid
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

BASE = "/partnership/actions"
ACTION_LABELS = {"open": N_("Open"), "in_progress": N_("In progress"), "done": N_("Done"),
                 "dropped": N_("Dropped")}
DONE_MESSAGES = {"action": N_("Action updated")}
Back = Annotated[str, Form(max_length=20)]


@router.get(BASE)
def action_list(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The actions the user's organisation owns (the partnership office: every action)."""
    office = permissions.may_run_meetings(user.actor)
    return render(request, "partnership/meetings/actions.html", user=user, office=office,
                  actions=reads.list_actions(session, actor=user.actor, own_only=not office),
                  labels=ACTION_LABELS)


def action_page(request: Request, session: Session, user: PageUser, action_id: uuid.UUID, *,
                done: str | None = None, errors: FormErrors | None = None,
                status_code: int = 200) -> Response:
    """One action, with the status form for its owner organisation and the office."""
    action = reads.get_action(session, actor=user.actor, action_id=action_id)
    row = session.get(MeetingAction, action.id)
    return render(request, "partnership/meetings/action.html", status_code=status_code,
                  user=user, action=action, labels=ACTION_LABELS,
                  statuses=[s.value for s in ActionStatus],
                  done=done_message(DONE_MESSAGES, done), errors=errors or FormErrors(),
                  may_update=row is not None and permissions.may_update_action(user.actor, row))


@router.get(BASE + "/{action_id}")
def action_detail(request: Request, session: DbSession, user: SignedInUser, action_id: str,
                  done: str = "") -> Response:
    """One action the user may see (others: 404)."""
    return action_page(request, session, user, required_uuid(action_id, "meeting action"),
                       done=done)


@router.post(BASE + "/{action_id}/status")
def update_action(request: Request, session: DbSession, user: SignedInUser, action_id: str,
                  csrf_token: Csrf = "", status: Small = "", back: Back = "") -> Response:
    """Set an action's status (its owner organisation or the partnership office)."""
    check_csrf(user.csrf_token, csrf_token)
    action = policy.get_visible(session, policy.visible_meeting_actions(user.actor).where(
        MeetingAction.id == required_uuid(action_id, "meeting action")), "meeting action")
    if status not in ACTION_LABELS:
        errors = FormErrors()
        errors.add("status", N_("Select a status"))
        return action_page(request, session, user, action.id, errors=errors, status_code=422)
    service.set_action_status(session, actor=user.actor, action_id=action.id,
                              status=ActionStatus(status))
    readable = session.scalar(policy.visible_meetings(user.actor).where(
        Meeting.id == action.meeting_id).with_only_columns(Meeting.id))
    if back == "meeting" and readable is not None:
        return redirect(f"/partnership/meetings/{action.meeting_id}?done=action")
    return redirect(f"{BASE}/{action.id}?done=action")
