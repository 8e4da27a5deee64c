"""Meetings pages (thin: they call the service, render templates/partnership/meetings/)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import InvalidInput, PayloadTooLarge, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.meetings import permissions, reads, service
from safetyhub.partnership.meetings.action_pages import router as action_router
from safetyhub.partnership.meetings.decision_pages import router as decision_router
from safetyhub.partnership.meetings.downloads import paper_response
from safetyhub.partnership.meetings.models import ActionStatus, MeetingKind
from safetyhub.partnership.meetings.schemas import (
    MAX_MINUTES,
    MAX_THEMES,
    MAX_TITLE,
    MAX_VENUE,
)
from safetyhub.text import N_
from safetyhub.web.forms import (
    Csrf,
    DateQuestion,
    FormErrors,
    Small,
    done_message,
    parse_uuid,
    read_date,
    read_text,
    required_uuid,
)
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=MAX_MINUTES * 2)]
Ids = Annotated[list[str], Form(max_length=200)]
BASE = "/partnership/meetings"
HeldDay = Annotated[str, Form(alias="held-day", max_length=10)]
HeldMonth = Annotated[str, Form(alias="held-month", max_length=10)]
HeldYear = Annotated[str, Form(alias="held-year", max_length=10)]
DueDay = Annotated[str, Form(alias="due-day", max_length=10)]
DueMonth = Annotated[str, Form(alias="due-month", max_length=10)]
DueYear = Annotated[str, Form(alias="due-year", max_length=10)]
KIND_LABELS = {"assembly": N_("Assembly"), "meeting": N_("Partnership meeting")}
ACTION_LABELS = {"open": N_("Open"), "in_progress": N_("In progress"), "done": N_("Done"),
                 "dropped": N_("Dropped")}
DONE_MESSAGES = {
    "created": N_("Meeting created"), "attendance": N_("Attendance recorded"),
    "minutes": N_("Agenda and minutes saved"), "paper": N_("Paper added"),
    "decision": N_("Decision recorded"), "action": N_("Action updated"),
}
NOT_OFFICE = N_("Only the partnership office runs partnership meetings.")


def _organisations(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
    return [(str(org_id), name) for org_id, name in rows]


def _require_office(user: PageUser) -> None:
    if not permissions.may_run_meetings(user.actor):
        raise PermissionDenied(NOT_OFFICE)


@router.get(BASE)
def meeting_list(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """Meetings the user's agency was invited to (the partnership office: all)."""
    return render(request, "partnership/meetings/list.html", user=user,
                  meetings=reads.list_meetings(session, actor=user.actor),
                  attendance=reads.attendance_by_organisation(session, actor=user.actor),
                  may_run=permissions.may_run_meetings(user.actor), kinds=KIND_LABELS)


def _new_page(request: Request, session: Session, user: PageUser, form: dict[str, Any],
              errors: FormErrors, status_code: int = 200) -> Response:
    return render(request, "partnership/meetings/new.html", status_code=status_code, user=user,
                  form=form, errors=errors,
                  organisations=[(i, name, None) for i, name in _organisations(session)],
                  kinds=[(k, v, None) for k, v in KIND_LABELS.items()])


@router.get(BASE + "/new")
def new_meeting(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The form to convene a meeting (the partnership office)."""
    _require_office(user)
    return _new_page(request, session, user, {"kind": "meeting", "invited": []}, FormErrors())


@router.post(BASE + "/new")
def create_meeting(
    request: Request, session: DbSession, user: SignedInUser, csrf_token: Csrf = "",
    kind: Small = "", title: Text = "", venue: Text = "", themes: Text = "",
    held_day: HeldDay = "", held_month: HeldMonth = "", held_year: HeldYear = "",
    invited: Ids = [],  # noqa: B006 - FastAPI form lists
) -> Response:
    """Convene the meeting, or show what to fix."""
    check_csrf(user.csrf_token, csrf_token)
    _require_office(user)
    form = {"kind": kind, "title": title, "venue": venue, "themes": themes,
            "held-day": held_day, "held-month": held_month, "held-year": held_year,
            "invited": invited}
    errors = FormErrors()
    if kind not in KIND_LABELS:
        errors.add("kind", N_("Select the kind of meeting"))
    text = read_text("title", title, errors, max_length=MAX_TITLE,
                     missing=N_("Enter the meeting's title"))
    held_on = read_date("held", held_day, held_month, held_year, errors,
                        DateQuestion(missing=N_("Enter the date of the meeting")))
    place = read_text("venue", venue, errors, max_length=MAX_VENUE,
                      missing=N_("Enter the venue"))
    theme_text = read_text("themes", themes, errors, max_length=MAX_THEMES) or ""
    org_ids = [org for org in (parse_uuid(value) for value in invited) if org is not None]
    if errors or text is None or held_on is None or place is None:
        return _new_page(request, session, user, form, errors, status_code=422)
    meeting = service.create_meeting(
        session, actor=user.actor, kind=MeetingKind(kind), title=text, held_on=held_on,
        venue=place, themes=theme_text, invited_organisation_ids=org_ids,
    )
    return redirect(f"{BASE}/{meeting.id}?done=created")


def meeting_page(request: Request, session: Session, user: PageUser, meeting_id: uuid.UUID, *,
                 done: str | None = None, errors: FormErrors | None = None,
                 form: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """The meeting with what the user may do with it."""
    meeting = reads.get_meeting(session, actor=user.actor, meeting_id=meeting_id)
    invited = {str(i.organisation_id) for i in meeting.invitations}
    return render(
        request, "partnership/meetings/meeting.html", status_code=status_code, user=user,
        meeting=meeting, done=done_message(DONE_MESSAGES, done), errors=errors or FormErrors(),
        form=form or {"agenda": meeting.agenda or "", "minutes": meeting.minutes or ""},
        may_run=permissions.may_run_meetings(user.actor), kinds=KIND_LABELS,
        action_labels=ACTION_LABELS, action_statuses=[s.value for s in ActionStatus],
        attended=[str(i.organisation_id) for i in meeting.invitations if i.attended],
        invitation_options=[(str(i.organisation_id), i.organisation_name, None)
                            for i in meeting.invitations],
        organisations=[(org_id, name) for org_id, name in _organisations(session)],
        uninvited=[(org_id, name, None) for org_id, name in _organisations(session)
                   if org_id not in invited],
    )


@router.get(BASE + "/{meeting_id}")
def meeting_detail(request: Request, session: DbSession, user: SignedInUser, meeting_id: str,
                   done: str = "") -> Response:
    """One meeting the user may see (others: 404)."""
    return meeting_page(request, session, user, required_uuid(meeting_id, "meeting"), done=done)


def _changeable(session: Session, user: PageUser, meeting_id: str, csrf_token: str) -> uuid.UUID:
    check_csrf(user.csrf_token, csrf_token)
    return service.meeting_for_change(session, user.actor,
                                      required_uuid(meeting_id, "meeting")).id


@router.post(BASE + "/{meeting_id}/attendance")
def record_attendance(request: Request, session: DbSession, user: SignedInUser,
                      meeting_id: str, csrf_token: Csrf = "",
                      attended: Ids = []) -> Response:  # noqa: B006
    """Record which invited organisations attended."""
    mid = _changeable(session, user, meeting_id, csrf_token)
    org_ids = [org for org in (parse_uuid(value) for value in attended) if org is not None]
    service.record_attendance(session, actor=user.actor, meeting_id=mid,
                              attended_organisation_ids=org_ids)
    return redirect(f"{BASE}/{mid}?done=attendance")


@router.post(BASE + "/{meeting_id}/invitations")
def invite(request: Request, session: DbSession, user: SignedInUser, meeting_id: str,
           csrf_token: Csrf = "", invited: Ids = []) -> Response:  # noqa: B006
    """Invite more organisations."""
    mid = _changeable(session, user, meeting_id, csrf_token)
    org_ids = [org for org in (parse_uuid(value) for value in invited) if org is not None]
    if org_ids:
        service.invite_organisations(session, actor=user.actor, meeting_id=mid,
                                     organisation_ids=org_ids)
    return redirect(f"{BASE}/{mid}?done=attendance")


@router.post(BASE + "/{meeting_id}/minutes")
def record_minutes(request: Request, session: DbSession, user: SignedInUser, meeting_id: str,
                   csrf_token: Csrf = "", agenda: Text = "", minutes: Text = "") -> Response:
    """Save the agenda and minutes."""
    mid = _changeable(session, user, meeting_id, csrf_token)
    errors = FormErrors()
    agenda_text = read_text("agenda", agenda, errors, max_length=MAX_MINUTES)
    minutes_text = read_text("minutes", minutes, errors, max_length=MAX_MINUTES)
    if errors:
        return meeting_page(request, session, user, mid, errors=errors, status_code=422,
                            form={"agenda": agenda, "minutes": minutes})
    service.record_minutes(session, actor=user.actor, meeting_id=mid, agenda=agenda_text or "",
                           minutes=minutes_text or "")
    return redirect(f"{BASE}/{mid}?done=minutes")


@router.post(BASE + "/{meeting_id}/papers")
def add_paper(request: Request, session: DbSession, user: SignedInUser, meeting_id: str,
              file: Annotated[UploadFile | None, File()] = None, csrf_token: Csrf = "",
              title: Annotated[str, Form(max_length=400)] = "") -> Response:
    """Attach a paper; a wrong type or too large a file is refused with nothing stored."""
    mid = _changeable(session, user, meeting_id, csrf_token)
    errors = FormErrors()
    if file is None or not file.filename:
        errors.add("paper", N_("Choose a file to upload"))
    else:
        try:
            service.add_paper(session, actor=user.actor, meeting_id=mid,
                              title=title.strip()[:MAX_TITLE], filename=file.filename,
                              stream=file.file)
        except (InvalidInput, PayloadTooLarge) as refusal:
            errors.add("paper", refusal.detail)
            status = refusal.status
            return meeting_page(request, session, user, mid, errors=errors, status_code=status)
    if errors:
        return meeting_page(request, session, user, mid, errors=errors, status_code=422)
    return redirect(f"{BASE}/{mid}?done=paper")


@router.get(BASE + "/{meeting_id}/papers/{paper_id}")
def download_paper(session: DbSession, user: SignedInUser, meeting_id: str, paper_id: str
                   ) -> Response:
    """Download a paper of a meeting the user may see."""
    return paper_response(reads.get_paper(
        session, actor=user.actor, meeting_id=required_uuid(meeting_id, "meeting"),
        attachment_id=required_uuid(paper_id, "meeting paper")))


# The decision form and the action pages live in their own modules, on this router.
router.include_router(decision_router)
router.include_router(action_router)
