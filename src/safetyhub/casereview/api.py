"""ASB Case Review API: public application and appeal; the rest for signed-in partnership staff."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.casereview import letter, reads, service, throttle
from safetyhub.casereview.models import ReviewStatus
from safetyhub.casereview.schemas import (
    Acknowledge,
    AppealCreate,
    AppealDecision,
    AppealReceipt,
    CaseReviewApplication,
    CaseReviewPage,
    CaseReviewRead,
    CaseReviewReceipt,
    MeetingRecord,
    RecommendationCreate,
    RecommendationRead,
    ThresholdDecision,
    YearlyFiguresRead,
)
from safetyhub.errors import NotFound

router = APIRouter(tags=["ASB case reviews"])


@router.post("/asb-case-reviews", response_model=CaseReviewReceipt, status_code=201)
def apply(
    request: Request, session: DbSession, body: CaseReviewApplication
) -> CaseReviewReceipt:
    """Apply for an ASB Case Review (public, no sign-in); answers the automatic threshold check.

    The check counts qualifying complaints held by every partner agency; the answer says only
    whether the threshold is met and how many complaints were counted, never which.
    """
    throttle.admit_public_submission(session, form="application",
                                     client_address=throttle.client_address(request))
    review, result = service.apply_for_case_review(session, application=body)
    return CaseReviewReceipt(
        id=review.id, reference=review.reference, received_on=review.received_on,
        threshold_met=result.met, qualifying_complaints=result.qualifying_complaints,
        complaints_needed=result.needed, acknowledge_by=review.acknowledge_by,
        decide_by=review.decide_by,
    )


@router.post("/asb-case-reviews/appeals", response_model=AppealReceipt, status_code=201)
def appeal(request: Request, session: DbSession, body: AppealCreate) -> AppealReceipt:
    """Appeal a "threshold not met" decision (public: your reference and the victim's postcode)."""
    throttle.admit_public_submission(session, form="appeal",
                                     client_address=throttle.client_address(request))
    try:
        review = service.lodge_appeal(session, appeal=body)
    except NotFound:
        session.commit()  # keep the count: guessing references is throttled
        raise
    assert review.appealed_at is not None
    return AppealReceipt(reference=review.reference, appealed_at=review.appealed_at)


@router.get("/asb-case-reviews", response_model=CaseReviewPage)
def list_case_reviews(
    session: DbSession, actor: CurrentActor, status: ReviewStatus | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> CaseReviewPage:
    """Case reviews you may see (the partnership office: all; agencies: those they take part in)."""
    return reads.list_case_reviews(session, actor=actor, status=status, page=page,
                                   page_size=page_size)


@router.get("/asb-case-reviews/figures", response_model=YearlyFiguresRead)
def figures(
    session: DbSession, actor: CurrentActor, year: Annotated[int, Query(ge=2014, le=2100)],
) -> YearlyFiguresRead:
    """The yearly figures partners publish, for the year starting in `year`."""
    return reads.yearly_figures(session, actor=actor, year=year)


@router.get("/asb-case-reviews/{case_review_id}", response_model=CaseReviewRead)
def get_case_review(
    session: DbSession, actor: CurrentActor, case_review_id: uuid.UUID
) -> CaseReviewRead:
    """A case review (404 if you may not see it)."""
    return reads.get_case_review(session, actor=actor, case_review_id=case_review_id)


@router.post("/asb-case-reviews/{case_review_id}/acknowledgement", response_model=CaseReviewRead)
def acknowledge(session: DbSession, actor: CurrentActor, case_review_id: uuid.UUID,
                body: Acknowledge) -> CaseReviewRead:
    """Acknowledge the application and name the lead agency."""
    service.acknowledge(session, actor=actor, case_review_id=case_review_id,
                        lead_organisation_id=body.lead_organisation_id)
    return reads.get_case_review(session, actor=actor, case_review_id=case_review_id)


@router.post("/asb-case-reviews/{case_review_id}/decision", response_model=CaseReviewRead)
def decide(session: DbSession, actor: CurrentActor, case_review_id: uuid.UUID,
           body: ThresholdDecision) -> CaseReviewRead:
    """Decide whether the threshold is met, with reasons."""
    service.decide_threshold(session, actor=actor, case_review_id=case_review_id,
                             decision=body.decision, reasons=body.reasons)
    return reads.get_case_review(session, actor=actor, case_review_id=case_review_id)


@router.post("/asb-case-reviews/{case_review_id}/appeal-decision",
             response_model=CaseReviewRead)
def decide_appeal(session: DbSession, actor: CurrentActor, case_review_id: uuid.UUID,
                  body: AppealDecision) -> CaseReviewRead:
    """The partnership office upholds or dismisses an appeal."""
    service.decide_appeal(session, actor=actor, case_review_id=case_review_id,
                          outcome=body.outcome, reasons=body.reasons)
    return reads.get_case_review(session, actor=actor, case_review_id=case_review_id)


@router.post("/asb-case-reviews/{case_review_id}/meeting", response_model=CaseReviewRead)
def record_meeting(session: DbSession, actor: CurrentActor, case_review_id: uuid.UUID,
                   body: MeetingRecord) -> CaseReviewRead:
    """Record the review meeting (date, agencies there, summary)."""
    service.record_meeting(
        session, actor=actor, case_review_id=case_review_id, held_on=body.held_on,
        attendees=[(a.organisation_id, a.names) for a in body.attendees], summary=body.summary,
    )
    return reads.get_case_review(session, actor=actor, case_review_id=case_review_id)


@router.post("/asb-case-reviews/{case_review_id}/recommendations",
             response_model=RecommendationRead, status_code=201)
def add_recommendation(session: DbSession, actor: CurrentActor, case_review_id: uuid.UUID,
                       body: RecommendationCreate) -> RecommendationRead:
    """Add a recommendation for an agency."""
    made = service.add_recommendation(
        session, actor=actor, case_review_id=case_review_id,
        organisation_id=body.organisation_id, text=body.text, due_on=body.due_on,
    )
    view = reads.get_case_review(session, actor=actor, case_review_id=case_review_id)
    return next(r for r in view.recommendations if r.id == made.id)


@router.post("/asb-case-reviews/{case_review_id}/recommendations/{recommendation_id}/completion",
             response_model=RecommendationRead)
def complete_recommendation(session: DbSession, actor: CurrentActor, case_review_id: uuid.UUID,
                            recommendation_id: uuid.UUID) -> RecommendationRead:
    """Mark a recommendation done."""
    service.complete_recommendation(session, actor=actor, case_review_id=case_review_id,
                                    recommendation_id=recommendation_id)
    view = reads.get_case_review(session, actor=actor, case_review_id=case_review_id)
    return next(r for r in view.recommendations if r.id == recommendation_id)


@router.post("/asb-case-reviews/{case_review_id}/outcome-sent", response_model=CaseReviewRead)
def outcome_sent(session: DbSession, actor: CurrentActor,
                 case_review_id: uuid.UUID) -> CaseReviewRead:
    """Record that the outcome letter went to the applicant (the review closes)."""
    service.record_outcome_sent(session, actor=actor, case_review_id=case_review_id)
    return reads.get_case_review(session, actor=actor, case_review_id=case_review_id)


@router.get("/asb-case-reviews/{case_review_id}/letter.pdf",
            responses={200: {"content": {"application/pdf": {}}}})
def letter_pdf(session: DbSession, actor: CurrentActor, case_review_id: uuid.UUID) -> Response:
    """The outcome letter as a PDF."""
    content = letter.outcome_letter(session, actor=actor, case_review_id=case_review_id)
    return Response(letter.letter_pdf(content), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="case-review-{case_review_id}.pdf"'})
