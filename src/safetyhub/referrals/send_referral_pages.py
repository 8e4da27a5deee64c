"""Sending a referral: who it is about, to whom and why, then check answers and send.

The answers travel between the steps in the form itself (hidden fields), so nothing is stored
until the user sends the referral from the "check your answers" page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.config import get_settings
from safetyhub.errors import PermissionDenied
from safetyhub.people import service as people
from safetyhub.people.picker import find_people, read_query
from safetyhub.referrals import permissions, service
from safetyhub.referrals.directory import service as directory
from safetyhub.referrals.referral_page import (
    CONSENT_CHOICES,
    LAWFUL_BASIS_CHOICES,
    LAWFUL_BASIS_LABELS,
    case_being_referred,
    other_organisations,
)
from safetyhub.referrals.schemas import MAX_REFERRAL_TEXT
from safetyhub.sharing.vocabulary import LawfulBasis
from safetyhub.text import N_
from safetyhub.web.forms import Csrf, FormErrors, Small, parse_uuid, read_text, required_uuid
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

SEARCH_RESULTS = 20
LongText = Annotated[str, Form(max_length=MAX_REFERRAL_TEXT * 2)]


@dataclass
class ReferralDraft:
    """What the user has answered so far (ids already checked to be well-formed)."""

    person_record_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None
    to_organisation_id: str = ""
    reason: str = ""
    lawful_basis: str = ""
    consent: str = ""

    def about_problems(self) -> FormErrors:
        """A referral is about a person, a case, or both."""
        errors = FormErrors()
        if self.person_record_id is None and self.case_id is None:
            # With neither, no person is on the page to choose yet: the search comes first.
            errors.add("q", N_("Search for and choose the person the referral is about"))
        return errors

    def detail_problems(self, organisations: list[tuple[uuid.UUID, str]]) -> FormErrors:
        """What is wrong with the recipient, reason, lawful basis and consent."""
        errors = FormErrors()
        # To a listed service, the service decides the receiving agency.
        if self.service_id is None and parse_uuid(self.to_organisation_id) not in {
                org_id for org_id, _ in organisations}:
            errors.add("to-organisation-id", N_("Select the agency to refer to"))
        read_text("reason", self.reason, errors, max_length=MAX_REFERRAL_TEXT,
                  missing=N_("Enter the reason for the referral"),
                  too_long=N_("The reason must be 5,000 characters or fewer"))
        if self.lawful_basis not in LAWFUL_BASIS_LABELS:
            errors.add("lawful_basis", N_("Select the lawful basis for sharing"))
        if self.consent not in {"yes", "no"}:
            errors.add("consent", N_("Select yes if the person has consented"))
        elif self.lawful_basis == LawfulBasis.consent.name and self.consent != "yes":
            errors.add("consent", N_("A referral made on consent needs the person's consent"))
        return errors


def _draft(person_record_id: str, case_id: str, service_id: str = "",
           **answers: str) -> ReferralDraft:
    return ReferralDraft(
        person_record_id=required_uuid(person_record_id, "person record")
        if person_record_id else None,
        case_id=required_uuid(case_id, "case") if case_id else None,
        service_id=required_uuid(service_id, "service") if service_id else None,
        **answers,
    )


def _about(session: Session, user: PageUser, draft: ReferralDraft) -> dict[str, Any]:
    """The chosen person and case, read through the policy (hidden ones answer 404)."""
    return {
        "person": people.get_person_record(session, actor=user.actor,
                                           person_record_id=draft.person_record_id)
        if draft.person_record_id else None,
        "case": case_being_referred(session, user.actor, draft.case_id)
        if draft.case_id else None,
        "listed": directory.get_service(session, actor=user.actor, service_id=draft.service_id)
        if draft.service_id else None,
    }


def _person_step(
    request: Request, session: Session, user: PageUser, draft: ReferralDraft,
    query: str = "", errors: FormErrors | None = None,
) -> Response:
    chosen = [draft.person_record_id] if draft.person_record_id else []
    matches = (find_people(session, user.actor, query, limit=SEARCH_RESULTS, exclude=chosen)
               if query and not errors else None)
    return render(
        request, "referrals/new_person.html", status_code=422 if errors else 200, user=user,
        draft=draft, errors=errors or FormErrors(), matches=matches, query=query,
        **_about(session, user, draft),
    )


def _details_step(
    request: Request, session: Session, user: PageUser, draft: ReferralDraft,
    errors: FormErrors | None = None,
) -> Response:
    return render(
        request, "referrals/new_details.html", status_code=422 if errors else 200, user=user,
        draft=draft, errors=errors or FormErrors(),
        organisations=other_organisations(session, user.actor),
        bases=LAWFUL_BASIS_CHOICES, consents=CONSENT_CHOICES, **_about(session, user, draft),
    )


def _require_referrer(user: PageUser) -> None:
    if not permissions.may_send_referral(user.actor):
        raise PermissionDenied(N_("Only practitioners and supervisors send referrals."))


@router.get("/referrals/new")
def new_referral(
    request: Request, session: DbSession, user: SignedInUser, person_record_id: str = "",
    case_id: str = "", service_id: str = "",
) -> Response:
    """Start a referral; from a person, a case or a listed service, that comes chosen."""
    _require_referrer(user)
    draft = _draft(person_record_id, case_id, service_id)
    if draft.person_record_id or draft.case_id:
        return _details_step(request, session, user, draft)
    return _person_step(request, session, user, draft)


@router.post("/referrals/new")
def new_referral_step(
    request: Request, session: DbSession, user: SignedInUser, csrf_token: Csrf = "",
    step: Small = "", action: Small = "", person_record_id: Small = "", case_id: Small = "",
    to_organisation_id: Small = "", reason: LongText = "", lawful_basis: Small = "",
    consent: Small = "", q: Annotated[str, Form(max_length=200)] = "", service_id: Small = "",
) -> Response:
    """Move between the steps, keeping the answers: person -> details -> check answers."""
    check_csrf(user.csrf_token, csrf_token)
    _require_referrer(user)
    draft = _draft(person_record_id, case_id, service_id, to_organisation_id=to_organisation_id,
                   reason=reason, lawful_basis=lawful_basis, consent=consent)
    if step == "person" and action == "search":
        errors = FormErrors()
        query = read_query("q", q, errors) or ""
        return _person_step(request, session, user, draft, query, errors)
    if step == "person":
        errors = draft.about_problems()
        if errors:
            return _person_step(request, session, user, draft, errors=errors)
        return _details_step(request, session, user, draft)
    if step == "details":
        errors = draft.about_problems()
        if errors:
            return _person_step(request, session, user, draft, errors=errors)
        errors = draft.detail_problems(other_organisations(session, user.actor))
        if errors:
            return _details_step(request, session, user, draft, errors)
        return render(
            request, "referrals/new_check.html", user=user, draft=draft,
            organisations=dict(other_organisations(session, user.actor)),
            basis_labels=LAWFUL_BASIS_LABELS,
            response_days=get_settings().referral_response_working_days,
            **_about(session, user, draft),
        )
    if step == "change_person":
        return _person_step(request, session, user, draft)
    return _details_step(request, session, user, draft)


@router.post("/referrals")
def send(
    request: Request, session: DbSession, user: SignedInUser, csrf_token: Csrf = "",
    person_record_id: Small = "", case_id: Small = "", to_organisation_id: Small = "",
    reason: LongText = "", lawful_basis: Small = "", consent: Small = "", service_id: Small = "",
) -> Response:
    """Send the referral as checked; then show it."""
    check_csrf(user.csrf_token, csrf_token)
    _require_referrer(user)
    draft = _draft(person_record_id, case_id, service_id, to_organisation_id=to_organisation_id,
                   reason=reason, lawful_basis=lawful_basis, consent=consent)
    errors = draft.about_problems()
    if errors:
        return _person_step(request, session, user, draft, errors=errors)
    errors = draft.detail_problems(other_organisations(session, user.actor))
    recipient = parse_uuid(draft.to_organisation_id) if draft.service_id is None else None
    if errors or (recipient is None and draft.service_id is None):
        return _details_step(request, session, user, draft, errors)
    referral = service.send_referral(
        session, actor=user.actor, to_organisation_id=recipient, service_id=draft.service_id,
        reason=draft.reason.strip(), lawful_basis=LawfulBasis[draft.lawful_basis],
        consent_obtained=draft.consent == "yes", person_record_id=draft.person_record_id,
        case_id=draft.case_id,
    )
    return redirect(f"/referrals/{referral.id}?done=sent")
