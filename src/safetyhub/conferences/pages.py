"""Case conference pages: the list, convening one, and the conference itself (thin: each form
calls one verb of conferences.service)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.conferences import permissions, queries, reads, service
from safetyhub.conferences.models import ConferenceActionStatus, ConferenceKind
from safetyhub.conferences.schemas import MAX_ACTION_CHARS, MAX_MINUTES_CHARS, MAX_NOTE_CHARS
from safetyhub.errors import Conflict, InvalidInput, PermissionDenied
from safetyhub.organisations.service import list_organisations
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.text import N_
from safetyhub.web.forms import (
    Csrf,
    DateQuestion,
    FormErrors,
    Small,
    parse_uuid,
    read_date,
    read_text,
    required_uuid,
)
from safetyhub.web.rendering import redirect, render, translate
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

Long = Annotated[str, Form(max_length=2 * MAX_MINUTES_CHARS)]
Part = Annotated[str, Form(max_length=10)]

KINDS = {
    ConferenceKind.marac.value: N_("MARAC (domestic abuse)"),
    ConferenceKind.community_marac.value: N_("Community MARAC"),
    ConferenceKind.complex_case_panel.value: N_("Complex-case panel"),
}
PURPOSES = {
    Purpose.safeguarding.value: N_("Safeguarding"),
    Purpose.asb_case_management.value: N_("ASB case management"),
    Purpose.crime_prevention.value: N_("Crime prevention"),
    Purpose.statutory_review.value: N_("Statutory review"),
}
ITEM_KINDS = {"case": N_("Case"), "alert": N_("Alert"), "dash_assessment": N_("MARAC referral")}
ACTION_STATUSES = {
    ConferenceActionStatus.open.value: N_("Open"),
    ConferenceActionStatus.done.value: N_("Done"),
    ConferenceActionStatus.cancelled.value: N_("Cancelled"),
}
HELD_ON = DateQuestion(missing=N_("Enter the date of the conference"),
                       not_real=N_("The date of the conference must be a real date"))
DUE_DATE = DateQuestion(missing=N_("Enter the due date"),
                        not_real=N_("The due date must be a real date"))
LABELS: dict[str, Any] = {"kinds": KINDS, "purposes": PURPOSES, "item_kinds": ITEM_KINDS,
          "action_statuses": ACTION_STATUSES}


@router.get("/conferences")
def conference_list(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """Conferences the user's agency is invited to."""
    result = reads.list_conferences(session, actor=user.actor)
    return render(request, "conferences/list.html", user=user, result=result,
                  may_create=permissions.may_create_conference(user.actor), **LABELS)


def _new_form(request: Request, session: Session, user: PageUser, values: dict[str, Any],
              errors: FormErrors | None = None) -> Response:
    organisations = [(str(o.id), o.name) for o in list_organisations(session)
                     if o.id != user.organisation.id]
    return render(request, "conferences/new.html", status_code=422 if errors else 200,
                  user=user, values=values, errors=errors or FormErrors(),
                  agreements=reads.in_force_agreements(session, actor=user.actor),
                  organisations_options=[(oid, name, None) for oid, name in organisations],
                  kind_options=[(k, text, None) for k, text in KINDS.items()],
                  purpose_options=[(p, translate(request, text)) for p, text in PURPOSES.items()],
                  **LABELS)


def _require_creator(user: PageUser) -> None:
    if not permissions.may_create_conference(user.actor):
        raise PermissionDenied(N_("Only supervisors and the partnership office convene "
                                  "case conferences."))


@router.get("/conferences/new")
def new_conference(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The form to convene a conference."""
    _require_creator(user)
    return _new_form(request, session, user, {"members": []})


@router.post("/conferences/new")
async def create_conference(
    request: Request, session: DbSession, user: SignedInUser, csrf_token: Csrf = "",
    kind: Small = "", title: Small = "", agreement: Small = "", purpose: Small = "",
    held_day: Annotated[str, Form(alias="held-day", max_length=10)] = "",
    held_month: Annotated[str, Form(alias="held-month", max_length=10)] = "",
    held_year: Annotated[str, Form(alias="held-year", max_length=10)] = "",
) -> Response:
    """Convene the conference, then show it."""
    check_csrf(user.auth_session.csrf_token, csrf_token)
    _require_creator(user)
    form = await request.form()
    members = [str(m) for m in form.getlist("members")][:40]
    values = {"kind": kind, "title": title, "agreement": agreement, "purpose": purpose,
              "held-day": held_day, "held-month": held_month, "held-year": held_year,
              "members": members}
    errors = FormErrors()
    if kind not in KINDS:
        errors.add("kind", N_("Choose the kind of conference"))
    text = read_text("title", title, errors, max_length=200,
                     missing=N_("Enter a title for the conference"))
    held_on = read_date("held", held_day, held_month, held_year, errors, HELD_ON)
    agreement_id = parse_uuid(agreement)
    if agreement_id is None:
        errors.add("agreement", N_("Choose the sharing agreement the conference works under"))
    if purpose not in PURPOSES:
        errors.add("purpose", N_("Choose the purpose of the conference"))
    member_ids = [m for m in (parse_uuid(v) for v in members) if m is not None]
    if errors or text is None or held_on is None or agreement_id is None:
        return _new_form(request, session, user, values, errors)
    try:
        conference = service.create_conference(
            session, actor=user.actor, kind=ConferenceKind(kind), title=text, held_on=held_on,
            agreement_id=agreement_id, purpose=Purpose(purpose),
            member_organisation_ids=member_ids)
    except InvalidInput as problem:
        errors.add_text("agreement", translate(request, problem.detail))
        return _new_form(request, session, user, values, errors)
    return redirect(f"/conferences/{conference.id}")


@router.get("/conferences/{conference_id}")
def conference_page(request: Request, session: DbSession, user: SignedInUser,
                    conference_id: str) -> Response:
    """The conference: agenda as far as the user may see it, notes, actions, attendance."""
    return _conference(request, session, user, required_uuid(conference_id, "conference"))


def _conference(request: Request, session: Session, user: PageUser, cid: uuid.UUID,
                errors: FormErrors | None = None, form: dict[str, str] | None = None) -> Response:
    """The conference page; with `errors`, again with the error summary (422)."""
    detail = reads.get_conference(session, actor=user.actor, conference_id=cid)
    conference = session.scalars(queries.conference_by_id(user.actor, cid)).one()
    member_ids = {m.organisation.id for m in detail.members}
    attending = {m.organisation.id for m in detail.members if m.attended}
    scheduled = detail.status == "scheduled"
    may_add_item = scheduled and permissions.may_add_item(user.actor, member_ids)
    may_run = scheduled and permissions.may_run_conference(user.actor, conference)
    return render(
        request, "conferences/conference.html", status_code=422 if errors else 200,
        user=user, conference=detail, errors=errors or FormErrors(), form=form or {},
        may_run=may_run, may_add_item=may_add_item,
        may_take_part=scheduled and detail.may_read_discussion
        and permissions.may_take_part(user.actor, attending),
        choices=reads.agenda_choices(session, actor=user.actor, conference=conference)
        if may_add_item else {},
        invitable=reads.invitable_agencies(session, conference=conference) if may_run else [],
        **LABELS,
    )


def _attempt(request: Request, session: Session, user: PageUser, cid: uuid.UUID,
             errors: FormErrors, anchor: str, form: dict[str, str],
             verb: Callable[[], object] | None, anchor_after: str) -> Response:
    """Run the verb (None: the answers have problems); a refusal of the answers (invalid, or
    the conference's state) shows the page again with the message and nothing written (422).
    Permission (403) and visibility (404) stay errors."""
    if verb is not None and not errors:
        try:
            with session.begin_nested():
                verb()
        except (InvalidInput, Conflict) as refusal:
            # Translated here and shown escaped: a refusal's words are never trusted markup.
            errors.add_text(anchor, translate(request, refusal.detail))
    if errors:
        return _conference(request, session, user, cid, errors, form)
    return redirect(f"/conferences/{cid}{anchor_after}")


def _posted(user: PageUser, csrf_token: str, conference_id: str) -> uuid.UUID:
    check_csrf(user.auth_session.csrf_token, csrf_token)
    return required_uuid(conference_id, "conference")


@router.post("/conferences/{conference_id}/items")
def add_item(request: Request, session: DbSession, user: SignedInUser, conference_id: str,
             csrf_token: Csrf = "", record: Small = "") -> Response:
    """Put a case, alert or MARAC referral on the agenda."""
    cid = _posted(user, csrf_token, conference_id)
    errors = FormErrors()
    kind, _, raw = record.partition(":")
    record_id = parse_uuid(raw)
    if kind not in ("case", "alert", "dash") or record_id is None:
        errors.add("record", N_("Choose a case, alert or MARAC referral to add"))
    verb = partial(service.add_item, session, actor=user.actor, conference_id=cid,
                   case_id=record_id if kind == "case" else None,
                   alert_id=record_id if kind == "alert" else None,
                   dash_assessment_id=record_id if kind == "dash" else None)
    return _attempt(request, session, user, cid, errors, "record", {"record": record}, verb,
                    "#agenda")


@router.post("/conferences/{conference_id}/items/{item_id}/notes")
def add_note(request: Request, session: DbSession, user: SignedInUser, conference_id: str,
             item_id: str, csrf_token: Csrf = "",
             text: Annotated[str, Form(max_length=2 * MAX_NOTE_CHARS)] = "") -> Response:
    """Record a discussion note on an agenda item."""
    cid = _posted(user, csrf_token, conference_id)
    iid = required_uuid(item_id, "agenda item")
    anchor = f"note-{iid}"
    errors = FormErrors()
    words = read_text(anchor, text, errors, max_length=MAX_NOTE_CHARS,
                      missing=N_("Enter the discussion note"),
                      too_long=N_("The note must be %(max)s characters or fewer"))
    verb = None if words is None else partial(
        service.add_note, session, actor=user.actor, conference_id=cid, item_id=iid, text=words)
    return _attempt(request, session, user, cid, errors, anchor, {anchor: text}, verb,
                    f"#item-{iid}")


@router.post("/conferences/{conference_id}/actions")
def add_action(
    request: Request, session: DbSession, user: SignedInUser, conference_id: str,
    csrf_token: Csrf = "", organisation: Small = "", item: Small = "", description: Long = "",
    case_action: Small = "", due_day: Annotated[str, Form(alias="due-day", max_length=10)] = "",
    due_month: Annotated[str, Form(alias="due-month", max_length=10)] = "",
    due_year: Annotated[str, Form(alias="due-year", max_length=10)] = "",
) -> Response:
    """Agree an action owned by an invited agency."""
    cid = _posted(user, csrf_token, conference_id)
    form = {"description": description, "organisation": organisation, "item": item,
            "case_action": case_action, "due-day": due_day, "due-month": due_month,
            "due-year": due_year}
    errors = FormErrors()
    words = read_text("description", description, errors, max_length=MAX_ACTION_CHARS,
                      missing=N_("Enter what will be done"),
                      too_long=N_("The action must be %(max)s characters or fewer"))
    owner = parse_uuid(organisation)
    if owner is None:
        errors.add("organisation", N_("Choose the agency that owns the action"))
    due = read_date("due", due_day, due_month, due_year, errors, DUE_DATE)
    verb = None
    if words is not None and owner is not None and due is not None:
        verb = partial(service.add_action, session, actor=user.actor, conference_id=cid,
                       organisation_id=owner, description=words, due_date=due,
                       item_id=parse_uuid(item), create_case_action=case_action == "yes")
    return _attempt(request, session, user, cid, errors, "description", form, verb, "#actions")


@router.post("/conferences/{conference_id}/actions/{action_id}/status")
def update_action(request: Request, session: DbSession, user: SignedInUser, conference_id: str,
                  action_id: str, csrf_token: Csrf = "", status: Small = "") -> Response:
    """Mark an action done, cancelled or open (done also completes the linked case action)."""
    cid = _posted(user, csrf_token, conference_id)
    aid = required_uuid(action_id, "conference action")
    anchor = f"action-{aid}"
    errors = FormErrors()
    verb = None
    if status in ACTION_STATUSES:
        verb = partial(service.update_action_status, session, actor=user.actor,
                       conference_id=cid, action_id=aid, status=ConferenceActionStatus(status))
    else:
        errors.add(anchor, N_("Choose a status"))
    return _attempt(request, session, user, cid, errors, anchor, {}, verb, "#actions")


@router.post("/conferences/{conference_id}/members")
def invite_agency(request: Request, session: DbSession, user: SignedInUser, conference_id: str,
                  csrf_token: Csrf = "", organisation: Small = "") -> Response:
    """Invite another agency that is a party to the conference's agreement."""
    cid = _posted(user, csrf_token, conference_id)
    errors = FormErrors()
    chosen = parse_uuid(organisation)
    verb = None
    if chosen is None:
        errors.add("invite", N_("Choose the agency to invite"))
    else:
        verb = partial(service.invite_agency, session, actor=user.actor, conference_id=cid,
                       organisation_id=chosen)
    return _attempt(request, session, user, cid, errors, "invite", {"invite": organisation},
                    verb, "#attendance")


@router.post("/conferences/{conference_id}/attendance")
def record_attendance(request: Request, session: DbSession, user: SignedInUser,
                      conference_id: str, csrf_token: Csrf = "", organisation: Small = "",
                      attended: Small = "") -> Response:
    """Record whether an invited agency attended."""
    cid = _posted(user, csrf_token, conference_id)
    errors = FormErrors()
    chosen = parse_uuid(organisation)
    verb = None
    if chosen is None or attended not in ("yes", "no"):
        errors.add("attendance", N_("Choose an invited agency and whether it attended"))
    else:
        verb = partial(service.record_attendance, session, actor=user.actor,
                       conference_id=cid, organisation_id=chosen, attended=attended == "yes")
    return _attempt(request, session, user, cid, errors, "attendance", {}, verb,
                    "#attendance")


@router.post("/conferences/{conference_id}/minutes")
def record_minutes(request: Request, session: DbSession, user: SignedInUser,
                   conference_id: str, csrf_token: Csrf = "", minutes: Long = "") -> Response:
    """Record the minutes."""
    cid = _posted(user, csrf_token, conference_id)
    errors = FormErrors()
    words = read_text("minutes-text", minutes, errors, max_length=MAX_MINUTES_CHARS,
                      missing=N_("Enter the minutes"),
                      too_long=N_("The minutes must be %(max)s characters or fewer"))
    verb = None if words is None else partial(
        service.record_minutes, session, actor=user.actor, conference_id=cid, minutes=words)
    return _attempt(request, session, user, cid, errors, "minutes-text",
                    {"minutes-text": minutes}, verb, "#minutes")


@router.post("/conferences/{conference_id}/close")
def close_conference(request: Request, session: DbSession, user: SignedInUser,
                     conference_id: str, csrf_token: Csrf = "") -> Response:
    """Close the conference."""
    cid = _posted(user, csrf_token, conference_id)
    verb = partial(service.close_conference, session, actor=user.actor, conference_id=cid)
    return _attempt(request, session, user, cid, FormErrors(), "close", {}, verb, "")
