"""Staff pages of case reviews: the list, a case review, its outcome letter and the figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from safetyhub.auth.dependencies import DbSession
from safetyhub.casereview import letter, permissions, reads
from safetyhub.casereview.models import ReviewStatus
from safetyhub.casereview.parameters import case_review_parameters
from safetyhub.casereview.rules import reporting_year
from safetyhub.text import N_
from safetyhub.timeutil import london_today
from safetyhub.web.forms import done_message, is_htmx, list_links, required_uuid
from safetyhub.web.rendering import harden, render
from safetyhub.web.session import SignedInUser

router = APIRouter(include_in_schema=False)

STATUS_LABELS = {
    ReviewStatus.received.value: N_("Received"),
    ReviewStatus.acknowledged.value: N_("Acknowledged"),
    ReviewStatus.threshold_met.value: N_("Threshold met"),
    ReviewStatus.threshold_not_met.value: N_("Threshold not met"),
    ReviewStatus.appealed.value: N_("Appealed"),
    ReviewStatus.reviewed.value: N_("Reviewed"),
    ReviewStatus.closed.value: N_("Closed"),
}
STATUS_COLOURS = {
    "received": "govuk-tag--blue", "acknowledged": "govuk-tag--light-blue",
    "threshold_met": "govuk-tag--green", "threshold_not_met": "govuk-tag--orange",
    "appealed": "govuk-tag--purple", "reviewed": "govuk-tag--turquoise",
    "closed": "govuk-tag--grey",
}
RULE_LABELS = {
    "complaints": N_("Qualifying complaints"),
    "hate_incident": N_("A hate incident"),
    "distinct_complainants": N_("Complaints from different people about the same problem"),
}
AGENCY_LABELS = {
    "police": N_("The police"), "council": N_("The council"),
    "housing": N_("A housing provider or landlord"), "other": N_("Someone else"),
}
DONE_MESSAGES = {
    "acknowledged": N_("Application acknowledged"),
    "decided": N_("Threshold decision recorded"),
    "appeal": N_("Appeal decision recorded"),
    "meeting": N_("Review meeting recorded"),
    "recommendation": N_("Recommendation added"),
    "completed": N_("Recommendation marked as done"),
    "sent": N_("Outcome letter recorded as sent; the case review is closed"),
}


def labels() -> dict[str, Any]:
    """Display labels every case review template uses."""
    return {"status_labels": STATUS_LABELS, "status_colours": STATUS_COLOURS,
            "rule_labels": RULE_LABELS, "agency_labels": AGENCY_LABELS}


@router.get("/case-reviews")
def case_review_list(
    request: Request, session: DbSession, user: SignedInUser, status: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The case reviews the user may see, with their next deadline."""
    chosen = ReviewStatus(status) if status in STATUS_LABELS else None
    listing = reads.list_case_reviews(session, actor=user.actor, status=chosen, page=page)
    code = chosen.value if chosen else ""
    context: dict[str, Any] = {
        "user": user, "listing": listing, "status": code,
        "links": list_links(listing, "/case-reviews", {"status": code}), **labels(),
    }
    if is_htmx(request):
        return render(request, "casereview/_list_results.html", **context)
    return render(request, "casereview/list.html", **context)


@router.get("/case-reviews/figures")
def figures(request: Request, session: DbSession, user: SignedInUser,
            year: Annotated[int | None, Query(ge=2014, le=2100)] = None) -> Response:
    """The yearly figures partners publish."""
    this_year = reporting_year(london_today(), case_review_parameters().year_starts_month)
    shown = year or this_year
    result = reads.yearly_figures(session, actor=user.actor, year=shown)
    years = list(range(this_year, max(this_year - 5, 2014) - 1, -1))
    return render(request, "casereview/figures.html", user=user, figures=result, years=years,
                  last_day=result.ends_on - timedelta(days=1))


@router.get("/case-reviews/{case_review_id}")
def case_review_page(request: Request, session: DbSession, user: SignedInUser,
                     case_review_id: str, done: str = "") -> Response:
    """A case review: the application, the check, deadlines, decision, meeting, outcome."""
    review_id = required_uuid(case_review_id, "case review")
    view = reads.get_case_review(session, actor=user.actor, case_review_id=review_id)
    record = reads.visible_review(session, user.actor, review_id)
    complaints = reads.visible_complaint_incidents(session, user.actor,
                                                   view.complaints.visible_incident_ids)
    return render(
        request, "casereview/review.html", user=user, review=view, complaints=complaints,
        may_manage=permissions.may_manage_case_review(user.actor, record),
        may_decide_appeal=permissions.may_decide_appeal(user.actor, record),
        next_deadline=reads.next_deadline(record), today=london_today(),
        done=done_message(DONE_MESSAGES, done), **labels(),
    )


@router.get("/case-reviews/{case_review_id}/letter")
def letter_page(request: Request, session: DbSession, user: SignedInUser,
                case_review_id: str) -> Response:
    """The outcome letter as a page, in the applicant's language, with a link to the PDF."""
    review_id = required_uuid(case_review_id, "case review")
    content = letter.outcome_letter(session, actor=user.actor, case_review_id=review_id)
    record = reads.visible_review(session, user.actor, review_id)
    can_close = permissions.may_manage_case_review(user.actor, record) and record.status in (
        ReviewStatus.reviewed, ReviewStatus.threshold_not_met)
    return render(request, "casereview/letter.html", user=user, letter=content,
                  can_close=can_close)


@router.get("/case-reviews/{case_review_id}/letter.pdf")
def letter_pdf(session: DbSession, user: SignedInUser, case_review_id: str) -> Response:
    """The outcome letter as a PDF."""
    review_id = required_uuid(case_review_id, "case review")
    content = letter.outcome_letter(session, actor=user.actor, case_review_id=review_id)
    return harden(Response(letter.letter_pdf(content), media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="case-review-{review_id}.pdf"'}))

