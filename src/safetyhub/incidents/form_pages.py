"""Record an incident: a question per page, then check your answers (no JavaScript needed).

The answers so far travel with each page as a sealed draft (see incidents.draft); each step
posts to its own address and answers with the next question, and only the final submit writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import InvalidInput, NotFound, PermissionDenied
from safetyhub.incidents import service, steps
from safetyhub.incidents.draft import (
    MAX_SEALED_DRAFT,
    QUESTIONS,
    DraftRefused,
    IncidentDraft,
    Step,
    seal,
    unseal,
)
from safetyhub.incidents.permissions import may_record_incident
from safetyhub.incidents.schemas import MAX_NARRATIVE
from safetyhub.people.picker import read_query
from safetyhub.text import N_
from safetyhub.web.forms import Csrf, FormErrors, read_text
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class DraftFields:
    """The fields every step's form carries: CSRF token, sealed draft, where to go next."""

    csrf_token: str
    draft: str
    signature: str
    return_to_check: bool


def draft_fields(
    csrf_token: Csrf = "",
    draft: Annotated[str, Form(max_length=MAX_SEALED_DRAFT)] = "",
    signature: Annotated[str, Form(max_length=128)] = "",
    return_to_check: Annotated[str, Form(max_length=1)] = "",
) -> DraftFields:
    """Read the carried fields of a step's form."""
    return DraftFields(csrf_token, draft, signature, return_to_check == "1")


Carried = Annotated[DraftFields, Depends(draft_fields)]


def _opened(user: PageUser, fields: DraftFields) -> IncidentDraft:
    """Check the CSRF token first, then who may record, then the draft's seal."""
    check_csrf(user.csrf_token, fields.csrf_token)
    _require_recorder(user)
    return unseal(fields.draft, fields.signature, user)


def _require_recorder(user: PageUser) -> None:
    if not may_record_incident(user.actor):
        raise PermissionDenied(N_("Only practitioners and supervisors record incidents."))


def _values_of(draft: IncidentDraft) -> dict[str, str]:
    """The draft's answers as the forms show them."""
    day, at = draft.occurred_on, draft.occurred_time
    place_choice = (steps.NO_FIXED_PLACE if draft.no_fixed_place
                    else str(draft.place_id) if draft.place_id else "")
    return {
        "category": draft.category.value if draft.category else "",
        "when-day": str(day.day) if day else "", "when-month": str(day.month) if day else "",
        "when-year": str(day.year) if day else "",
        "when-hour": f"{at.hour:02d}" if at else "",
        "when-minute": f"{at.minute:02d}" if at else "",
        "place_choice": place_choice, "district": draft.district or "",
        "narrative": draft.narrative,
        "sensitivity": draft.sensitivity.value if draft.sensitivity else "",
    }


def _show(
    request: Request, session: DbSession, user: PageUser, step: Step, draft: IncidentDraft, *,
    values: dict[str, str] | None = None, errors: FormErrors | None = None,
    return_to_check: bool = False, **extra: Any,
) -> Response:
    """Render one step of the form with the draft sealed into it."""
    payload, signature = seal(draft, user)
    context: dict[str, Any] = {
        "user": user, "step": step.value, "draft": draft, "payload": payload,
        "signature": signature, "return_to_check": return_to_check,
        "values": _values_of(draft) | (values or {}),
        "errors": errors or FormErrors(),
        "number": QUESTIONS.index(step) + 1 if step in QUESTIONS else None,
        "count": len(QUESTIONS),
        "previous": QUESTIONS[QUESTIONS.index(step) - 1].value
        if step in QUESTIONS[1:] else None,
    }
    if step == Step.what:
        context["category_groups"] = steps.CATEGORY_GROUPS
    elif step == Step.where:
        context["chosen"] = steps.chosen_place(session, user.actor, draft)
        context.setdefault("found_places", None)
    elif step == Step.who or step == Step.check:
        people = steps.visible_people(session, user.actor,
                                      [p.person_record_id for p in draft.parties])
        context["parties"] = [(p, people.get(p.person_record_id)) for p in draft.parties]
        context["roles"] = steps.ROLE_CHOICES
        context.setdefault("matches", None)
        if step == Step.check:
            context["place"] = steps.chosen_place(session, user.actor, draft)
            # Every "Change" on this page comes back here once that question is answered.
            context["return_to_check"] = True
    elif step == Step.details:
        context["sensitivities"] = steps.SENSITIVITY_CHOICES
    context.update(extra)
    return render(request, f"incidents/new_{step.value}.html",
                  status_code=422 if errors else 200, **context)


def _advance(
    request: Request, session: DbSession, user: PageUser, draft: IncidentDraft, done: Step,
    return_to_check: bool,
) -> Response:
    """After a step is answered: the next question, or the check page when coming back to it."""
    if return_to_check and draft.complete:
        return _show(request, session, user, Step.check, draft)
    position = QUESTIONS.index(done)
    following = QUESTIONS[position + 1] if position + 1 < len(QUESTIONS) else Step.check
    if following == Step.check and not draft.complete:
        following = draft.next_question()
    return _show(request, session, user, following, draft)


def _next_or_again(
    request: Request, session: DbSession, user: PageUser, step: Step, fields: DraftFields,
    draft: IncidentDraft, updated: IncidentDraft, values: dict[str, str], errors: FormErrors,
) -> Response:
    """A question answered: the same question with its problems, or the next one."""
    if errors:
        return _show(request, session, user, step, draft, values=values, errors=errors,
                     return_to_check=fields.return_to_check)
    return _advance(request, session, user, updated, step, fields.return_to_check)


@router.get("/incidents/new")
def start(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The first question: what happened and when."""
    _require_recorder(user)
    return _show(request, session, user, Step.what, IncidentDraft())


@router.get("/incidents/new/{step}")
def restart(step: str, user: SignedInUser) -> Response:
    """A step's address opened directly (a bookmark, a reload): the answers live in the form."""
    return redirect("/incidents/new")


@router.post("/incidents/new/what")
def answer_what(
    request: Request, session: DbSession, user: SignedInUser, fields: Carried,
    category: Annotated[str, Form(max_length=40)] = "",
    when_day: Annotated[str, Form(alias="when-day", max_length=10)] = "",
    when_month: Annotated[str, Form(alias="when-month", max_length=10)] = "",
    when_year: Annotated[str, Form(alias="when-year", max_length=10)] = "",
    when_hour: Annotated[str, Form(alias="when-hour", max_length=10)] = "",
    when_minute: Annotated[str, Form(alias="when-minute", max_length=10)] = "",
) -> Response:
    """Step 1 answered: check it and ask where."""
    draft = _opened(user, fields)
    values = {"category": category, "when-day": when_day, "when-month": when_month,
              "when-year": when_year, "when-hour": when_hour, "when-minute": when_minute}
    errors = FormErrors()
    updated = steps.answer_what(draft, values, errors)
    return _next_or_again(request, session, user, Step.what, fields, draft, updated, values,
                          errors)


@router.post("/incidents/new/where")
def answer_where(
    request: Request, session: DbSession, user: SignedInUser, fields: Carried,
    action: Annotated[str, Form(max_length=20)] = "continue",
    place_query: Annotated[str, Form(max_length=300)] = "",
    place_choice: Annotated[str, Form(max_length=40)] = "",
    district: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Step 2: look a place up, or take the chosen place and ask who was involved."""
    draft = _opened(user, fields)
    errors = FormErrors()
    if action == "search":
        query = read_text("place_query", place_query, errors, max_length=300,
                          missing=N_("Enter a postcode or part of the address"))
        found = steps.find_places(session, user.actor, query) if query else None
        return _show(request, session, user, Step.where, draft, errors=errors,
                     values={"place_query": place_query}, found_places=found,
                     return_to_check=fields.return_to_check)
    values = {"place_choice": place_choice, "district": district}
    updated = steps.answer_where(session, user.actor, draft, values, errors)
    return _next_or_again(request, session, user, Step.where, fields, draft, updated, values,
                          errors)


@router.post("/incidents/new/who")
def answer_who(
    request: Request, session: DbSession, user: SignedInUser, fields: Carried,
    action: Annotated[str, Form(max_length=20)] = "continue",
    person_query: Annotated[str, Form(max_length=100)] = "",
    person: Annotated[str, Form(max_length=40)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    remove: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """Step 3: look people up, add or remove parties, or go on to the details."""
    draft = _opened(user, fields)
    errors = FormErrors()
    keep = fields.return_to_check
    if remove:
        return _show(request, session, user, Step.who, steps.remove_party(draft, remove),
                     return_to_check=keep)
    if action == "search":
        query = read_query("person_query", person_query, errors)
        matches = steps.people_matching(session, user.actor, query) if query else None
        return _show(request, session, user, Step.who, draft, errors=errors,
                     values={"person_query": person_query}, matches=matches, return_to_check=keep)
    if action == "add":
        values = {"person": person, "role": role, "person_query": person_query}
        updated = steps.add_party(session, user.actor, draft, values, errors)
        if errors:
            matches = steps.people_matching(session, user.actor, person_query)
            return _show(request, session, user, Step.who, draft, values=values,
                         errors=errors, matches=matches, return_to_check=keep)
        return _show(request, session, user, Step.who, updated, added=True, return_to_check=keep)
    return _advance(request, session, user, draft.with_answered(Step.who), Step.who,
                    fields.return_to_check)


@router.post("/incidents/new/details")
def answer_details(
    request: Request, session: DbSession, user: SignedInUser, fields: Carried,
    narrative: Annotated[str, Form(max_length=MAX_NARRATIVE * 2)] = "",
    sensitivity: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Step 4: the account and its sensitivity; then check the answers."""
    draft = _opened(user, fields)
    values = {"narrative": narrative, "sensitivity": sensitivity}
    errors = FormErrors()
    updated = steps.answer_details(draft, values, errors)
    return _next_or_again(request, session, user, Step.details, fields, draft, updated, values,
                          errors)


@router.post("/incidents/new/go")
def go_to(
    request: Request, session: DbSession, user: SignedInUser, fields: Carried,
    step: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """A "Change" or "Back" button: show that question again with the answers kept."""
    draft = _opened(user, fields)
    if step not in {s.value for s in Step}:
        raise DraftRefused(N_("There is no such question in this form."))
    target = Step(step)
    if target == Step.check and not draft.complete:
        target = draft.next_question()
    return _show(request, session, user, target, draft,
                 return_to_check=fields.return_to_check and draft.complete)


@router.post("/incidents/new/check")
def submit(request: Request, session: DbSession, user: SignedInUser, fields: Carried) -> Response:
    """Record the incident the answers describe, then show it."""
    draft = _opened(user, fields)
    if not draft.complete:
        return _show(request, session, user, draft.next_question(), draft)
    errors = FormErrors()
    try:
        incident = service.record_incident(session, actor=user.actor, data=draft.to_create())
    except NotFound:
        # The purpose may have changed, or a partner withdrawn: nothing was written.
        errors.add("parties", N_(
            "A person or place you chose is no longer visible to you. Change it and try again."))
    except (InvalidInput, ValidationError):
        errors.add("when", N_(
            "Check when it happened: it must be in the past. Change it and try again."))
    if errors:
        return _show(request, session, user, Step.check, draft, errors=errors)
    return redirect(f"/incidents/{incident.id}?recorded=1")

