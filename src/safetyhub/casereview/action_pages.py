"""Staff forms of a case review: acknowledge, decide, decide an appeal, record the meeting, add
and complete recommendations, record the outcome letter as sent. Thin: each calls one verb."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.casereview import permissions, reads, service
from safetyhub.casereview.models import AppealOutcome, CaseReview, Decision
from safetyhub.casereview.schemas import MAX_REASONS, MAX_RECOMMENDATION
from safetyhub.errors import NotFound, PermissionDenied
from safetyhub.organisations.service import list_organisations
from safetyhub.text import N_
from safetyhub.timeutil import london_today
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
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

Long = Annotated[str, Form(max_length=4 * MAX_REASONS)]
HeldDay = Annotated[str, Form(alias="held-day", max_length=10)]
HeldMonth = Annotated[str, Form(alias="held-month", max_length=10)]
HeldYear = Annotated[str, Form(alias="held-year", max_length=10)]
DueDay = Annotated[str, Form(alias="due-day", max_length=10)]
DueMonth = Annotated[str, Form(alias="due-month", max_length=10)]
DueYear = Annotated[str, Form(alias="due-year", max_length=10)]

TITLES = {
    "acknowledge": N_("Acknowledge the application"),
    "decision": N_("Decide whether the threshold is met"),
    "appeal": N_("Decide the appeal"),
    "meeting": N_("Record the review meeting"),
    "recommendation": N_("Add a recommendation"),
}
DECISIONS = ((Decision.met.value, N_("The threshold is met"), None),
             (Decision.not_met.value, N_("The threshold is not met"),
              N_("The applicant is told the reasons and how to appeal")))
APPEAL_OUTCOMES = (
    (AppealOutcome.upheld.value, N_("Uphold the appeal"),
     N_("The case review goes ahead; a new meeting deadline starts today")),
    (AppealOutcome.dismissed.value, N_("Dismiss the appeal"), None),
)
MEETING_DATE = DateQuestion(missing=N_("Enter the date of the meeting"), past_only=True,
                            not_real=N_("The date of the meeting must be a real date"))
DUE_DATE = DateQuestion(missing=N_("Enter the due date"),
                        not_real=N_("The due date must be a real date"))


def _review(session: Session, user: PageUser, case_review_id: str) -> CaseReview:
    return reads.visible_review(session, user.actor, required_uuid(case_review_id,
                                                                   "case review"))


def _require_manager(user: PageUser, review: CaseReview) -> None:
    if not permissions.may_manage_case_review(user.actor, review):
        raise PermissionDenied(N_("Only the partnership office and the lead agency's case "
                                  "workers change a case review."))


def _form(request: Request, session: Session, user: PageUser, review: CaseReview, form: str,
          values: dict[str, Any] | None = None, errors: FormErrors | None = None) -> Response:
    organisations = [(str(o.id), o.name) for o in list_organisations(session)]
    return render(
        request, "casereview/action.html", status_code=422 if errors else 200, user=user,
        review=review, form=form, title=TITLES[form], values=values or {},
        errors=errors or FormErrors(), organisations=organisations, decisions=DECISIONS,
        appeal_outcomes=APPEAL_OUTCOMES,
    )


def _done(review: CaseReview, code: str) -> Response:
    return redirect(f"/case-reviews/{review.id}?done={code}")


@router.get("/case-reviews/{case_review_id}/{form}")
def action_form(request: Request, session: DbSession, user: SignedInUser, case_review_id: str,
                form: str) -> Response:
    """The form of one change (404 for an unknown change or an invisible review)."""
    review = _review(session, user, case_review_id)
    if form not in TITLES:
        raise NotFound("There is nothing at this address.")
    if form == "appeal":
        if not permissions.may_decide_appeal(user.actor, review):
            raise PermissionDenied(N_("The partnership office decides appeals, by someone "
                                      "other than the person who made the decision."))
    else:
        _require_manager(user, review)
    return _form(request, session, user, review, form)


@router.post("/case-reviews/{case_review_id}/acknowledge")
def acknowledge(request: Request, session: DbSession, user: SignedInUser, case_review_id: str,
                csrf_token: Csrf = "", lead_organisation_id: Small = "") -> Response:
    """Acknowledge the application and name the lead agency."""
    check_csrf(user.csrf_token, csrf_token)
    review = _review(session, user, case_review_id)
    _require_manager(user, review)
    lead = parse_uuid(lead_organisation_id)
    if lead is None:
        errors = FormErrors()
        errors.add("lead_organisation_id", N_("Select the agency that leads the review"))
        return _form(request, session, user, review, "acknowledge", errors=errors)
    service.acknowledge(session, actor=user.actor, case_review_id=review.id,
                        lead_organisation_id=lead)
    return _done(review, "acknowledged")


def _reasons(value: str, errors: FormErrors) -> str | None:
    return read_text("reasons", value, errors, max_length=MAX_REASONS,
                     missing=N_("Give the reasons"))


@router.post("/case-reviews/{case_review_id}/decision")
def decide(request: Request, session: DbSession, user: SignedInUser, case_review_id: str,
           csrf_token: Csrf = "", decision: Small = "", reasons: Long = "") -> Response:
    """Record the threshold decision with reasons."""
    check_csrf(user.csrf_token, csrf_token)
    review = _review(session, user, case_review_id)
    _require_manager(user, review)
    errors = FormErrors()
    if decision not in {d.value for d in Decision}:
        errors.add("decision", N_("Select whether the threshold is met"))
    text = _reasons(reasons, errors)
    if errors or text is None:
        return _form(request, session, user, review, "decision",
                     {"decision": decision, "reasons": reasons}, errors)
    service.decide_threshold(session, actor=user.actor, case_review_id=review.id,
                             decision=Decision(decision), reasons=text)
    return _done(review, "decided")


@router.post("/case-reviews/{case_review_id}/appeal")
def decide_appeal(request: Request, session: DbSession, user: SignedInUser,
                  case_review_id: str, csrf_token: Csrf = "", outcome: Small = "",
                  reasons: Long = "") -> Response:
    """The partnership office upholds or dismisses the appeal."""
    check_csrf(user.csrf_token, csrf_token)
    review = _review(session, user, case_review_id)
    errors = FormErrors()
    if outcome not in {o.value for o in AppealOutcome}:
        errors.add("outcome", N_("Select whether you uphold the appeal"))
    text = _reasons(reasons, errors)
    if errors or text is None:
        return _form(request, session, user, review, "appeal",
                     {"outcome": outcome, "reasons": reasons}, errors)
    service.decide_appeal(session, actor=user.actor, case_review_id=review.id,
                          outcome=AppealOutcome(outcome), reasons=text)
    return _done(review, "appeal")


@router.post("/case-reviews/{case_review_id}/meeting")
def record_meeting(
    request: Request, session: DbSession, user: SignedInUser, case_review_id: str,
    csrf_token: Csrf = "", day: HeldDay = "", month: HeldMonth = "", year: HeldYear = "",
    attendees: Annotated[list[str] | None, Form()] = None, summary: Long = "",
) -> Response:
    """Record the review meeting: date, agencies there, what it found."""
    check_csrf(user.csrf_token, csrf_token)
    review = _review(session, user, case_review_id)
    _require_manager(user, review)
    errors = FormErrors()
    held = read_date("held", day, month, year, errors, MEETING_DATE)
    if held is not None and held < review.received_on:
        errors.add("held-day", N_("The meeting must be on or after the day the application "
                                  "arrived"))
    chosen = [org for org in (parse_uuid(a) for a in (attendees or [])[:100]) if org]
    if not chosen:
        errors.add("attendees", N_("Select the agencies at the meeting"))
    text = read_text("summary", summary, errors, max_length=MAX_REASONS,
                     missing=N_("Summarise what the review found"))
    if errors or held is None or text is None:
        values = {"held-day": day, "held-month": month, "held-year": year, "summary": summary,
                  "attendees": [str(a) for a in chosen]}
        return _form(request, session, user, review, "meeting", values, errors)
    service.record_meeting(session, actor=user.actor, case_review_id=review.id, held_on=held,
                           attendees=[(org, "") for org in chosen], summary=text)
    return _done(review, "meeting")


@router.post("/case-reviews/{case_review_id}/recommendation")
def add_recommendation(
    request: Request, session: DbSession, user: SignedInUser, case_review_id: str,
    csrf_token: Csrf = "", organisation_id: Small = "",
    text: Annotated[str, Form(max_length=4 * MAX_RECOMMENDATION)] = "",
    day: DueDay = "", month: DueMonth = "", year: DueYear = "",
) -> Response:
    """Add a recommendation for an agency, due by a date."""
    check_csrf(user.csrf_token, csrf_token)
    review = _review(session, user, case_review_id)
    _require_manager(user, review)
    errors = FormErrors()
    owner = parse_uuid(organisation_id)
    if owner is None:
        errors.add("organisation_id", N_("Select the agency that will do it"))
    wording = read_text("text", text, errors, max_length=MAX_RECOMMENDATION,
                        missing=N_("Enter the recommendation"))
    due = read_date("due", day, month, year, errors, DUE_DATE)
    if due is not None and due < london_today():
        errors.add("due-day", N_("The due date must be today or in the future"))
    if errors or owner is None or wording is None or due is None:
        values = {"organisation_id": organisation_id, "text": text, "due-day": day,
                  "due-month": month, "due-year": year}
        return _form(request, session, user, review, "recommendation", values, errors)
    service.add_recommendation(session, actor=user.actor, case_review_id=review.id,
                               organisation_id=owner, text=wording, due_on=due)
    return _done(review, "recommendation")


@router.post("/case-reviews/{case_review_id}/recommendations/{recommendation_id}/complete")
def complete_recommendation(session: DbSession, user: SignedInUser, case_review_id: str,
                            recommendation_id: str, csrf_token: Csrf = "") -> Response:
    """Mark a recommendation done."""
    check_csrf(user.csrf_token, csrf_token)
    review = _review(session, user, case_review_id)
    service.complete_recommendation(
        session, actor=user.actor, case_review_id=review.id,
        recommendation_id=required_uuid(recommendation_id, "recommendation"))
    return _done(review, "completed")


@router.post("/case-reviews/{case_review_id}/outcome-sent")
def outcome_sent(session: DbSession, user: SignedInUser, case_review_id: str,
                 csrf_token: Csrf = "") -> Response:
    """Record that the outcome letter went to the applicant."""
    check_csrf(user.csrf_token, csrf_token)
    review = _review(session, user, case_review_id)
    service.record_outcome_sent(session, actor=user.actor, case_review_id=review.id)
    return _done(review, "sent")

