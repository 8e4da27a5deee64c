"""The public application for an ASB Case Review: a question per page, then check your answers.

No sign-in. Answers travel with each page as hidden fields and nothing is stored until the
applicant sends the checked application; every post carries a double-submit CSRF token (a
cookie set before any session, as on the sign-in page). The confirmation shows the reference
and whether the complaints partners hold meet the threshold, never which complaints.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select

from safetyhub.auth.dependencies import DbSession
from safetyhub.casereview import service, throttle
from safetyhub.casereview.models import CaseReview
from safetyhub.casereview.parameters import case_review_parameters
from safetyhub.casereview.schemas import (
    MAX_DESCRIPTION,
    PHONE_PATTERN,
    POSTCODE_PATTERN,
    AgencyTold,
    CaseReviewApplication,
)
from safetyhub.config import get_settings
from safetyhub.text import N_
from safetyhub.web import i18n
from safetyhub.web.forms import Csrf, DateQuestion, FormErrors, read_date, read_text
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import check_csrf

router = APIRouter(include_in_schema=False)

CSRF_COOKIE = "safetyhub_public_csrf"
RECEIPT_COOKIE = "safetyhub_case_review_receipt"
PATH = "/asb-case-review"
STEPS = ("who", "victim", "contact", "problem")
STEP_FIELDS = {
    "who": ("who",),
    "victim": ("given_name", "family_name", "dob-day", "dob-month", "dob-year", "address",
               "postcode"),
    "contact": ("applicant_name", "relationship", "consent", "email", "phone"),
    "problem": ("description", "location", "agencies"),
}
WHO_CHOICES = (
    ("myself", N_("Myself"), None),
    ("someone_else", N_("Someone else"), N_("They must agree to you applying for them")),
)
AGENCY_CHOICES = (
    (AgencyTold.police.value, N_("The police")),
    (AgencyTold.council.value, N_("The council")),
    (AgencyTold.housing.value, N_("A housing provider or landlord")),
    (AgencyTold.other.value, N_("Someone else")),
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
BIRTH = DateQuestion(missing=N_("Enter the date of birth"), past_only=True,
                     not_real=N_("The date of birth must be a real date"))

Text = Annotated[str, Form(max_length=1000)]


@dataclass
class ApplicationDraft:
    """The answers so far, as typed."""

    who: str = ""
    given_name: str = ""
    family_name: str = ""
    dob_day: str = ""
    dob_month: str = ""
    dob_year: str = ""
    address: str = ""
    postcode: str = ""
    applicant_name: str = ""
    relationship: str = ""
    consent: str = ""
    email: str = ""
    phone: str = ""
    description: str = ""
    location: str = ""
    agencies: list[str] = field(default_factory=list)

    @property
    def on_behalf(self) -> bool:
        """A third party applies for the victim."""
        return self.who == "someone_else"

    def values(self) -> dict[str, str | list[str]]:
        """The answers by input name (dates as name-day/-month/-year)."""
        data: dict[str, str | list[str]] = {
            key.replace("dob_", "dob-"): value for key, value in asdict(self).items()}
        return data

    def carried(self, step: str) -> list[tuple[str, str]]:
        """Hidden (name, value) pairs for every answer the page `step` does not ask."""
        asked = set(STEP_FIELDS.get(step, ()))
        pairs: list[tuple[str, str]] = []
        for name, value in self.values().items():
            if name in asked:
                continue
            for item in value if isinstance(value, list) else [value]:
                if item:
                    pairs.append((name, item))
        return pairs

    def problems(self, step: str) -> FormErrors:
        """What is wrong with the answers of `step`."""
        errors = FormErrors()
        if step == "who" and self.who not in ("myself", "someone_else"):
            errors.add("who", N_("Select who you are applying for"))
        if step == "victim":
            read_text("given_name", self.given_name, errors, max_length=100,
                      missing=N_("Enter the first name"))
            read_text("family_name", self.family_name, errors, max_length=100,
                      missing=N_("Enter the last name"))
            read_date("dob", self.dob_day, self.dob_month, self.dob_year, errors, BIRTH)
            read_text("address", self.address, errors, max_length=300,
                      missing=N_("Enter the address"))
            postcode = read_text("postcode", self.postcode, errors, max_length=10,
                                 missing=N_("Enter the postcode"))
            if postcode and not re.match(POSTCODE_PATTERN, postcode):
                errors.add("postcode", N_("Enter a real postcode, like GU1 4RR"))
        if step == "contact":
            self._contact_problems(errors)
        if step == "problem":
            read_text("description", self.description, errors, max_length=MAX_DESCRIPTION,
                      missing=N_("Describe what has been happening"))
            read_text("location", self.location, errors, max_length=300,
                      missing=N_("Enter where it happens"))
            if any(a not in {v for v, _ in AGENCY_CHOICES} for a in self.agencies):
                errors.add("agencies", N_("Select the organisations you have told"))
        return errors

    def _contact_problems(self, errors: FormErrors) -> None:
        if self.on_behalf:
            read_text("applicant_name", self.applicant_name, errors, max_length=200,
                      missing=N_("Enter your name"))
            read_text("relationship", self.relationship, errors, max_length=100)
            if self.consent != "yes":
                errors.add("consent", N_(
                    "You can only apply for someone else if they agree to it"))
        email = read_text("email", self.email, errors, max_length=254)
        if email and not EMAIL.match(email):
            errors.add("email", N_(
                "Enter an email address in the correct format, like name@example.com"))
        phone = read_text("phone", self.phone, errors, max_length=30)
        if phone and not re.match(PHONE_PATTERN, phone):
            errors.add("phone", N_("Enter a phone number, like 01632 960 001"))
        if not email and not phone and "email" not in errors and "phone" not in errors:
            errors.add("email", N_("Enter an email address or a phone number"))

    def first_problem(self) -> tuple[str, FormErrors] | None:
        """The first step with a problem, and its problems."""
        for step in STEPS:
            errors = self.problems(step)
            if errors:
                return step, errors
        return None

    def application(self, language: str) -> CaseReviewApplication:
        """The checked answers as an application (raises ValidationError if still wrong)."""
        errors = FormErrors()
        born = read_date("dob", self.dob_day, self.dob_month, self.dob_year, errors, BIRTH)
        return CaseReviewApplication.model_validate({
            "on_behalf": self.on_behalf, "victim_given_name": self.given_name,
            "victim_family_name": self.family_name, "victim_date_of_birth": born,
            "victim_postcode": self.postcode, "victim_address": self.address,
            "applicant_name": self.applicant_name if self.on_behalf else "",
            "applicant_relationship": self.relationship if self.on_behalf else "",
            "victim_consent": self.on_behalf and self.consent == "yes",
            "contact_email": self.email.strip() or None,
            "contact_phone": self.phone.strip() or None,
            "problem_description": self.description, "problem_location": self.location,
            "agencies_told": list(dict.fromkeys(self.agencies)),
            "language": language,
        })


def read_draft(
    who: Annotated[str, Form(max_length=20)] = "", given_name: Text = "",
    family_name: Text = "", dob_day: Annotated[str, Form(alias="dob-day", max_length=10)] = "",
    dob_month: Annotated[str, Form(alias="dob-month", max_length=10)] = "",
    dob_year: Annotated[str, Form(alias="dob-year", max_length=10)] = "",
    address: Text = "", postcode: Text = "", applicant_name: Text = "", relationship: Text = "",
    consent: Annotated[str, Form(max_length=10)] = "", email: Text = "", phone: Text = "",
    description: Annotated[str, Form(max_length=4 * MAX_DESCRIPTION)] = "",
    location: Text = "", agencies: Annotated[list[str] | None, Form(max_length=4)] = None,
) -> ApplicationDraft:
    """The answers posted with a page (generous limits here; the steps give clear messages)."""
    return ApplicationDraft(
        who, given_name, family_name, dob_day, dob_month, dob_year, address, postcode,
        applicant_name, relationship, consent, email, phone, description, location,
        [a[:20] for a in agencies or []][:10],
    )


Draft = Annotated[ApplicationDraft, Depends(read_draft)]
Action = Annotated[str, Form(max_length=40)]


def public_page(request: Request, template: str, status_code: int = 200,
                **context: object) -> Response:
    """A public page with a form: the double-submit CSRF token in a cookie and the form."""
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, template, status_code=status_code, csrf_token=token, **context)
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path=PATH,
                        secure=get_settings().secure_cookies, max_age=3600)
    return response


def _step(request: Request, draft: ApplicationDraft, step: str,
          errors: FormErrors | None = None, returning: bool = False) -> Response:
    if step == "check":
        return public_page(request, "casereview/apply_check.html", draft=draft,
                           carried=draft.carried("check"), agency_choices=AGENCY_CHOICES)
    return public_page(
        request, f"casereview/apply_{step}.html", status_code=422 if errors else 200,
        draft=draft, values=draft.values(), errors=errors or FormErrors(), step=step,
        number=STEPS.index(step) + 1, steps=len(STEPS), carried=draft.carried(step),
        returning=returning, agency_choices=AGENCY_CHOICES, who_choices=WHO_CHOICES,
    )


@router.get(PATH)
def start_page(request: Request) -> Response:
    """The start page: what an ASB Case Review is and who can apply."""
    deadlines = case_review_parameters().deadlines
    return render(request, "casereview/start.html", params=case_review_parameters().threshold,
                  deadlines=deadlines)


@router.get(f"{PATH}/apply")
def first_question(request: Request) -> Response:
    """The first question."""
    return _step(request, ApplicationDraft(), "who")


@router.post(f"{PATH}/apply")
def answer(request: Request, draft: Draft, csrf_token: Csrf = "", step: Action = "who",
           action: Action = "continue", returning: Annotated[str, Form(max_length=1)] = ""
           ) -> Response:
    """Check the page's answers and show the next question, or the answers to check."""
    check_csrf(request.cookies.get(CSRF_COOKIE), csrf_token)
    if action.startswith("change-") and action.removeprefix("change-") in STEPS:
        return _step(request, draft, action.removeprefix("change-"), returning=True)
    if step not in STEPS:
        return _step(request, draft, "who")
    if action == "back":
        previous = STEPS[max(STEPS.index(step) - 1, 0)]
        return _step(request, draft, previous, returning=returning == "1")
    errors = draft.problems(step)
    if errors:
        return _step(request, draft, step, errors, returning=returning == "1")
    position = STEPS.index(step)
    if returning == "1" or position == len(STEPS) - 1:
        pending = draft.first_problem()
        if pending:
            return _step(request, draft, pending[0], pending[1], returning=True)
        return _step(request, draft, "check")
    return _step(request, draft, STEPS[position + 1])


@router.post(f"{PATH}/apply/send")
def send(request: Request, session: DbSession, draft: Draft, csrf_token: Csrf = "") -> Response:
    """Send the checked application: all of it is stored, or nothing."""
    check_csrf(request.cookies.get(CSRF_COOKIE), csrf_token)
    pending = draft.first_problem()
    if pending:
        return _step(request, draft, pending[0], pending[1], returning=True)
    try:
        application = draft.application(i18n.locale_from_request(request))
    except ValidationError:
        errors = FormErrors()
        errors.add("who", N_("Check your answers: some could not be accepted"))
        return _step(request, draft, "who", errors, returning=True)
    throttle.admit_public_submission(session, form="application",
                                     client_address=throttle.client_address(request))
    review, _ = service.apply_for_case_review(session, application=application)
    response = redirect(f"{PATH}/apply/confirmation")
    response.set_cookie(RECEIPT_COOKIE, review.reference, httponly=True, samesite="strict",
                        path=PATH, secure=get_settings().secure_cookies, max_age=3600)
    response.delete_cookie(CSRF_COOKIE, path=PATH)
    return response


@router.get(f"{PATH}/apply/confirmation")
def confirmation(request: Request, session: DbSession) -> Response:
    """The reference and the threshold check (from the receipt cookie: not in the address)."""
    reference = (request.cookies.get(RECEIPT_COOKIE) or "")[:20]
    review = session.scalar(select(CaseReview).where(CaseReview.reference == reference)
                            ) if reference else None
    if review is None:
        return redirect(PATH)
    return render(request, "casereview/apply_confirmation.html", review=review,
                  needed=case_review_parameters().threshold.complaints)
