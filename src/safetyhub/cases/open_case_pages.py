"""Opening a case in three steps: details, subjects (people the user may see), check answers.

The answers travel between the steps in the form itself (hidden fields), so nothing is stored
until the user confirms on the "check your answers" page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.cases import permissions, service
from safetyhub.cases.choices import KIND_CHOICES, RISK_CHOICES
from safetyhub.cases.models import CaseKind, RiskLevel
from safetyhub.cases.schemas import MAX_SUBJECTS_AT_OPENING
from safetyhub.errors import PermissionDenied
from safetyhub.people import service as people
from safetyhub.people.picker import find_people, read_query
from safetyhub.text import N_
from safetyhub.web.forms import Csrf, FormErrors, Small, read_text, required_uuid
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

SEARCH_RESULTS = 20
Title = Annotated[str, Form(max_length=4000)]
Subjects = Annotated[list[str], Form(max_length=64)]


@dataclass
class CaseDraft:
    """What the user has answered so far."""

    title: str = ""
    kind: str = ""
    risk_level: str = ""
    subjects: list[uuid.UUID] = field(default_factory=list)

    def problems(self) -> FormErrors:
        """What is wrong with the case details."""
        errors = FormErrors()
        read_text("title", self.title, errors, max_length=200,
                  missing=N_("Enter a title for the case"),
                  too_long=N_("The title must be 200 characters or fewer"))
        if self.kind not in {k.value for k in CaseKind}:
            errors.add("kind", N_("Select what the case is about"))
        if self.risk_level not in {r.value for r in RiskLevel}:
            errors.add("risk_level", N_("Select the risk level"))
        return errors


def _draft(title: str, kind: str, risk_level: str, subject: list[str] | None) -> CaseDraft:
    ids = list(dict.fromkeys(required_uuid(s, "person record") for s in subject or []))
    return CaseDraft(title=title, kind=kind, risk_level=risk_level, subjects=ids)


def _chosen(session: Session, user: PageUser, draft: CaseDraft) -> list[people.PersonRecordView]:
    """The chosen subjects, read through the policy (an invisible one answers 404)."""
    return [people.get_person_record(session, actor=user.actor, person_record_id=record_id)
            for record_id in draft.subjects]


def _require_case_worker(user: PageUser) -> None:
    if not permissions.may_open_case(user.actor):
        raise PermissionDenied(N_("Only practitioners and supervisors open cases."))


def _details(request: Request, session: Session, user: PageUser, draft: CaseDraft,
             errors: FormErrors | None = None) -> Response:
    return render(
        request, "cases/new_details.html", status_code=422 if errors else 200, user=user,
        draft=draft, errors=errors or FormErrors(), kinds=KIND_CHOICES, risks=RISK_CHOICES,
        chosen=_chosen(session, user, draft),
    )


def _subjects(
    request: Request, session: Session, user: PageUser, draft: CaseDraft, query: str = "",
    errors: FormErrors | None = None,
) -> Response:
    matches = (find_people(session, user.actor, query, limit=SEARCH_RESULTS,
                           exclude=draft.subjects) if query and not errors else None)
    return render(
        request, "cases/new_subjects.html", status_code=422 if errors else 200, user=user,
        draft=draft, errors=errors or FormErrors(), chosen=_chosen(session, user, draft),
        matches=matches, query=query,
    )


def _check(request: Request, session: Session, user: PageUser, draft: CaseDraft) -> Response:
    return render(request, "cases/new_check.html", user=user, draft=draft,
                  chosen=_chosen(session, user, draft))


@router.get("/cases/new")
def new_case(
    request: Request, session: DbSession, user: SignedInUser, person_record_id: str = ""
) -> Response:
    """Step 1: the case details (a person may come preselected from their profile)."""
    _require_case_worker(user)
    draft = _draft("", "", "", [person_record_id] if person_record_id else [])
    return _details(request, session, user, draft)


@router.post("/cases/new")
def new_case_step(
    request: Request, session: DbSession, user: SignedInUser, csrf_token: Csrf = "",
    step: Small = "details", action: Small = "", title: Title = "", kind: Small = "",
    risk_level: Small = "", subject: Subjects | None = None,
    q: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Move between the steps, keeping the answers: details -> subjects -> check answers."""
    check_csrf(user.csrf_token, csrf_token)
    _require_case_worker(user)
    draft = _draft(title, kind, risk_level, subject)
    if step == "details":
        errors = draft.problems()
        if errors:
            return _details(request, session, user, draft, errors)
        return _subjects(request, session, user, draft)
    if step == "subjects" and action == "search":
        errors = FormErrors()
        query = read_query("q", q, errors) or ""
        return _subjects(request, session, user, draft, query, errors)
    if step == "subjects" and action == "continue":
        errors = draft.problems()
        if errors:
            return _details(request, session, user, draft, errors)
        if len(draft.subjects) > MAX_SUBJECTS_AT_OPENING:
            errors.add("q", N_("Choose 50 people or fewer; add more from the case page later"))
            return _subjects(request, session, user, draft, errors=errors)
        return _check(request, session, user, draft)
    if step == "change_subjects":
        return _subjects(request, session, user, draft)
    return _details(request, session, user, draft)


@router.post("/cases")
def open_case(
    request: Request, session: DbSession, user: SignedInUser, csrf_token: Csrf = "",
    title: Title = "", kind: Small = "", risk_level: Small = "", subject: Subjects | None = None,
) -> Response:
    """Open the case as checked, led by the user's agency; then show it."""
    check_csrf(user.csrf_token, csrf_token)
    _require_case_worker(user)
    draft = _draft(title, kind, risk_level, subject)
    errors = draft.problems()
    if errors or len(draft.subjects) > MAX_SUBJECTS_AT_OPENING:
        return _details(request, session, user, draft, errors or None)
    case = service.open_case(
        session, actor=user.actor, title=draft.title.strip(), kind=CaseKind(draft.kind),
        risk_level=RiskLevel(draft.risk_level), subject_person_record_ids=draft.subjects,
    )
    return redirect(f"/cases/{case.id}?done=opened")
