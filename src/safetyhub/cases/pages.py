"""Cases pages (thin: they call cases.service, render templates under web/templates/cases/).

Every change route checks the CSRF token first, then that the case is visible (404) and the
user's agency may change it (403), then the form (422), and only then calls the service verb.
Adding and completing actions and adding notes answer HTMX requests with the updated section.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.dependencies import DbSession
from safetyhub.cases import open_case_pages, permissions, queries, service
from safetyhub.cases.case_page import case_page_context, owner_options
from safetyhub.cases.choices import SENSITIVITY_CHOICES, STATUS_CHOICES
from safetyhub.cases.models import Case, CaseStatus
from safetyhub.cases.schemas import MAX_NOTE_CHARS, MAX_OUTCOME_CHARS
from safetyhub.errors import Conflict, PermissionDenied
from safetyhub.sharing import policy
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.text import N_
from safetyhub.timeutil import london_today
from safetyhub.web.forms import (
    Csrf,
    DateQuestion,
    FormErrors,
    Small,
    done_message,
    is_htmx,
    list_links,
    page_or_results,
    parse_uuid,
    read_date,
    read_text,
    required_uuid,
)
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)
router.include_router(open_case_pages.router)

# Generous limits: the form reports the real limits itself; the body-size limit stops floods.
ShortText = Annotated[str, Form(max_length=4000)]
LongText = Annotated[str, Form(max_length=MAX_NOTE_CHARS * 2)]

DONE_MESSAGES: dict[str, str] = {
    "opened": N_("Case opened"),
    "member": N_("Agency added to the case"),
    "action": N_("Action added"),
    "action_done": N_("Action marked as done"),
    "action_reopened": N_("Action open again"),
    "note": N_("Note added"),
    "closed": N_("Case closed"),
}

DUE_DATE = DateQuestion(
    missing=N_("Enter the due date"),
    incomplete=N_("The due date must include a day, month and year"),
    not_real=N_("The due date must be a real date"),
    year_length=N_("The due date must be a real date"),
    earliest_year=None,  # it must be today or later, said below
)


@router.get("/cases")
def case_list(
    request: Request, session: DbSession, user: SignedInUser, status: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The cases the user may see, newest first, filtered by status."""
    chosen = CaseStatus(status) if status in STATUS_CHOICES else None
    result = service.list_cases(session, actor=user.actor, status=chosen, page=page)
    status = chosen.value if chosen else ""
    return page_or_results(
        request, "cases/list.html", "cases/_results.html", user=user, result=result,
        status=status, statuses=STATUS_CHOICES,
        pagination=list_links(result, "/cases", {"status": status}),
        may_open=permissions.may_open_case(user.actor),
    )


def case_page(
    request: Request, session: Session, user: PageUser, case_id: uuid.UUID, *,
    template: str = "cases/case.html", status_code: int = 200,
    errors: FormErrors | None = None, form: dict[str, Any] | None = None,
    done: str | None = None, section: str | None = None,
) -> Response:
    """The case page (or one HTMX section of it) as the user may see it."""
    detail = service.get_case(session, actor=user.actor, case_id=case_id)
    return render(
        request, template, status_code=status_code, user=user, errors=errors or FormErrors(),
        form=form or {}, done=done_message(DONE_MESSAGES, done), section=section,
        sensitivities=SENSITIVITY_CHOICES, **case_page_context(session, user.actor, detail),
    )


@router.get("/cases/{case_id}")
def case_detail(
    request: Request, session: DbSession, user: SignedInUser, case_id: str, done: str = ""
) -> Response:
    """One case: summary, members, subjects, incidents, actions, notes and timeline."""
    return case_page(request, session, user, required_uuid(case_id, "case"), done=done)


def _case_to_change(session: Session, actor: Actor, case_id: uuid.UUID) -> Case:
    """The case, if visible (else 404), changeable by the actor (else 403) and open (else 409)."""
    case = policy.get_visible(session, queries.visible_case(actor, case_id), "case")
    members = [org.id for org in session.scalars(queries.member_organisations(case.id))]
    if not permissions.may_change_case(actor, members):
        raise PermissionDenied(
            N_("Only practitioners and supervisors of a member agency may change this case.")
        )
    if case.status == CaseStatus.closed:
        raise Conflict(N_("This case is closed; it takes no further changes."))
    return case


def _after_change(
    request: Request, session: Session, user: PageUser, case_id: uuid.UUID, done: str,
    section: str,
) -> Response:
    """HTMX: the updated section; otherwise back to the case page (redirect after post)."""
    if is_htmx(request):
        return case_page(request, session, user, case_id, template="cases/_section.html",
                         done=done, section=section)
    return redirect(f"/cases/{case_id}?done={done}#{section}")


def _form_problem(
    request: Request, session: Session, user: PageUser, case_id: uuid.UUID,
    errors: FormErrors, form: dict[str, Any], section: str,
) -> Response:
    """The form again with its problems: the section for HTMX, else the whole page (422)."""
    if is_htmx(request):
        # HTMX swaps only 2xx answers by default; the fragment itself carries the errors.
        return case_page(request, session, user, case_id, template="cases/_section.html",
                         errors=errors, form=form, section=section)
    return case_page(request, session, user, case_id, status_code=422, errors=errors,
                     form=form, section=section)


@router.post("/cases/{case_id}/members")
def add_member(
    request: Request, session: DbSession, user: SignedInUser, case_id: str, csrf_token: Csrf = "",
    organisation_id: Small = "",
) -> Response:
    """Bring another agency into the case."""
    check_csrf(user.csrf_token, csrf_token)
    case = _case_to_change(session, user.actor, required_uuid(case_id, "case"))
    errors = FormErrors()
    organisation = parse_uuid(organisation_id)
    if organisation is None:
        errors.add("organisation-id", N_("Select the agency to add to the case"))
        return _form_problem(request, session, user, case.id, errors, {}, "members")
    service.add_member_agency(session, actor=user.actor, case_id=case.id,
                              organisation_id=organisation)
    return redirect(f"/cases/{case.id}?done=member#members")


@router.post("/cases/{case_id}/actions")
def add_action(
    request: Request, session: DbSession, user: SignedInUser, case_id: str, csrf_token: Csrf = "",
    description: ShortText = "", organisation_id: Small = "", owner_user_id: Small = "",
    due_day: Small = "", due_month: Small = "", due_year: Small = "",
) -> Response:
    """Add an action for a member agency (optionally a named owner), by a due date."""
    check_csrf(user.csrf_token, csrf_token)
    case = _case_to_change(session, user.actor, required_uuid(case_id, "case"))
    form = {"description": description, "organisation_id": organisation_id,
            "owner_user_id": owner_user_id, "due_day": due_day, "due_month": due_month,
            "due_year": due_year}
    errors = FormErrors()
    text = read_text("description", description, errors, max_length=1000,
                     missing=N_("Enter what needs to be done"),
                     too_long=N_("The action must be 1,000 characters or fewer"))
    members = {org.id for org in session.scalars(queries.member_organisations(case.id))}
    organisation = parse_uuid(organisation_id)
    if organisation not in members:
        errors.add("action-organisation-id", N_("Select the member agency that will do this"))
    owner = parse_uuid(owner_user_id)
    if owner_user_id and (owner is None or not any(
        o.id == owner and o.organisation_id == organisation
        for o in owner_options(session, list(members))
    )):
        errors.add("owner-user-id", N_("Select someone who works for the agency doing this"))
    due = read_date("due-date", due_day, due_month, due_year, errors, DUE_DATE)
    if due is not None and due < london_today():
        errors.add("due-date-day", N_("The due date must be today or in the future"))
    if errors or text is None or organisation is None or due is None:
        return _form_problem(request, session, user, case.id, errors, form, "actions")
    service.add_action(session, actor=user.actor, case_id=case.id, description=text,
                       due_date=due, organisation_id=organisation, owner_user_id=owner)
    return _after_change(request, session, user, case.id, "action", "actions")


@router.post("/cases/{case_id}/actions/{action_id}/complete")
def complete_action(
    request: Request, session: DbSession, user: SignedInUser, case_id: str, action_id: str,
    csrf_token: Csrf = "",
) -> Response:
    """Mark an open action as done."""
    return _action_state(request, session, user, case_id, action_id, csrf_token,
                         service.complete_action, "action_done")


@router.post("/cases/{case_id}/actions/{action_id}/reopen")
def reopen_action(
    request: Request, session: DbSession, user: SignedInUser, case_id: str, action_id: str,
    csrf_token: Csrf = "",
) -> Response:
    """Mark a done action open again."""
    return _action_state(request, session, user, case_id, action_id, csrf_token,
                         service.reopen_action, "action_reopened")


def _action_state(request: Request, session: Session, user: PageUser, case_id: str,
                  action_id: str, csrf_token: str, verb: Any, done: str) -> Response:
    """An action's state changed by `verb` (service.complete_action or reopen_action)."""
    check_csrf(user.csrf_token, csrf_token)
    case = _case_to_change(session, user.actor, required_uuid(case_id, "case"))
    verb(session, actor=user.actor, case_id=case.id, action_id=required_uuid(action_id, "action"))
    return _after_change(request, session, user, case.id, done, "actions")


@router.post("/cases/{case_id}/notes")
def add_note(
    request: Request, session: DbSession, user: SignedInUser, case_id: str, csrf_token: Csrf = "",
    text: LongText = "", sensitivity: Small = "",
) -> Response:
    """Add a note owned by the user's agency, with its sensitivity."""
    check_csrf(user.csrf_token, csrf_token)
    case = _case_to_change(session, user.actor, required_uuid(case_id, "case"))
    form = {"text": text, "sensitivity": sensitivity}
    errors = FormErrors()
    note = read_text("note-text", text, errors, max_length=MAX_NOTE_CHARS,
                     missing=N_("Enter the note"),
                     too_long=N_("The note must be 20,000 characters or fewer"))
    if sensitivity not in {s.value for s in Sensitivity}:
        errors.add("sensitivity", N_("Select how sensitive the note is"))
    if errors or note is None:
        return _form_problem(request, session, user, case.id, errors, form, "notes")
    service.add_note(session, actor=user.actor, case_id=case.id, text=note,
                     sensitivity=Sensitivity(sensitivity))
    return _after_change(request, session, user, case.id, "note", "notes")


def _case_to_close(session: Session, actor: Actor, case_id: str) -> Case:
    """The case, if visible (404), the actor's agency leads it (403) and it is open (409)."""
    case = policy.get_visible(
        session, queries.visible_case(actor, required_uuid(case_id, "case")), "case"
    )
    if not permissions.may_close_case(actor, case):
        raise PermissionDenied(
            N_("Only the lead agency's practitioners and supervisors close a case.")
        )
    if case.status == CaseStatus.closed:
        raise Conflict(N_("This case is already closed."))
    return case


@router.get("/cases/{case_id}/close")
def close_form(
    request: Request, session: DbSession, user: SignedInUser, case_id: str
) -> Response:
    """Ask for the case's outcome before closing it (lead agency only)."""
    case = _case_to_close(session, user.actor, case_id)
    return render(request, "cases/close.html", user=user, case=case, errors=FormErrors(),
                  outcome="")


@router.post("/cases/{case_id}/close")
def close_case(
    request: Request, session: DbSession, user: SignedInUser, case_id: str, csrf_token: Csrf = "",
    outcome: LongText = "", confirm: Small = "",
) -> Response:
    """First the outcome is checked and confirmed; then, with `confirm=yes`, the case closes."""
    check_csrf(user.csrf_token, csrf_token)
    case = _case_to_close(session, user.actor, case_id)
    errors = FormErrors()
    text = read_text("outcome", outcome, errors, max_length=MAX_OUTCOME_CHARS,
                     missing=N_("Enter the outcome of the case"),
                     too_long=N_("The outcome must be 5,000 characters or fewer"))
    if errors or text is None:
        return render(request, "cases/close.html", status_code=422, user=user, case=case,
                      errors=errors, outcome=outcome)
    if confirm != "yes":
        return render(request, "cases/close_confirm.html", user=user, case=case, outcome=text)
    service.close_case(session, actor=user.actor, case_id=case.id, outcome=text)
    return redirect(f"/cases/{case.id}?done=closed")
