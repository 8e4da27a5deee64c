"""Reading case reviews through the access policy, and the yearly figures partners publish."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.casereview import permissions, queries, rules
from safetyhub.casereview.models import (
    AppealOutcome,
    CaseReview,
    CaseReviewAttendee,
    CaseReviewComplaint,
    CaseReviewRecommendation,
    Decision,
    RecommendationState,
    ReviewStatus,
)
from safetyhub.casereview.parameters import case_review_parameters
from safetyhub.casereview.schemas import (
    AttendeeRead,
    CaseReviewPage,
    CaseReviewRead,
    CaseReviewSummary,
    ComplaintsSeen,
    OrganisationRef,
    RecommendationRead,
    YearlyFiguresRead,
)
from safetyhub.errors import PermissionDenied
from safetyhub.incidents.models import Incident
from safetyhub.organisations.models import Organisation
from safetyhub.pagination import count_of, page_request
from safetyhub.sharing import policy
from safetyhub.timeutil import LONDON, local, utcnow


def _names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_(ids)))
    return {row.id: row.name for row in rows}


def _ref(names: dict[uuid.UUID, str], organisation_id: uuid.UUID | None) -> OrganisationRef | None:
    if organisation_id is None:
        return None
    return OrganisationRef(id=organisation_id, name=names.get(organisation_id, ""))


def next_deadline(review: CaseReview) -> date | None:
    """The deadline the review is working towards now (None once nothing is due)."""
    if review.status == ReviewStatus.received:
        return review.acknowledge_by
    if review.status == ReviewStatus.acknowledged:
        return review.decide_by
    if review.status == ReviewStatus.threshold_met:
        return review.meet_by
    return None


def _disclose(session: Session, actor: Actor, review: CaseReview) -> None:
    if review.lead_organisation_id is not None:
        policy.record_disclosures(session, actor, [
            policy.Disclosure("asb_case_review", review.id, review.lead_organisation_id)])


def complaints_seen(session: Session, actor: Actor, review_id: uuid.UUID) -> ComplaintsSeen:
    """The counted complaints: those the actor may read (audited), the rest only counted."""
    counted = select(CaseReviewComplaint.incident_id).where(
        CaseReviewComplaint.case_review_id == review_id)
    visible = session.execute(
        policy.visible_incidents(actor).with_only_columns(Incident.id, Incident.organisation_id)
        .where(Incident.id.in_(counted)).order_by(Incident.occurred_at)
    ).all()
    policy.record_disclosures(session, actor, [
        policy.Disclosure("incident", row.id, row.organisation_id) for row in visible])
    seen = {row.id for row in visible}
    every = session.execute(
        select(Incident.id, Incident.organisation_id).where(Incident.id.in_(counted))
    ).all()
    hidden = [row for row in every if row.id not in seen]
    return ComplaintsSeen(
        counted=len(every), visible_incident_ids=[row.id for row in visible],
        hidden=len(hidden), hidden_agencies=len({row.organisation_id for row in hidden}),
    )


def visible_review(session: Session, actor: Actor, case_review_id: uuid.UUID) -> CaseReview:
    """The case review row, if the actor may read it (404 otherwise)."""
    return policy.get_visible(session, queries.case_review_by_id(actor, case_review_id),
                              "case review")


def visible_complaint_incidents(session: Session, actor: Actor,
                                incident_ids: list[uuid.UUID]) -> list[tuple[Incident, str]]:
    """The counted incidents the actor may read (already disclosed), with the agency's name."""
    if not incident_ids:
        return []
    rows = session.execute(
        policy.visible_incidents(actor).add_columns(Organisation.name)
        .join(Organisation, Organisation.id == Incident.organisation_id)
        .where(Incident.id.in_(incident_ids)).order_by(Incident.occurred_at)
    ).all()
    return [(incident, name) for incident, name in rows]


def get_case_review(session: Session, *, actor: Actor, case_review_id: uuid.UUID
                    ) -> CaseReviewRead:
    """A case review for partnership staff (404 when the policy hides it)."""
    review = policy.get_visible(session, queries.case_review_by_id(actor, case_review_id),
                                "case review")
    attendees = list(session.scalars(select(CaseReviewAttendee).where(
        CaseReviewAttendee.case_review_id == review.id)))
    recommendations = list(session.scalars(
        select(CaseReviewRecommendation)
        .where(CaseReviewRecommendation.case_review_id == review.id)
        .order_by(CaseReviewRecommendation.due_on, CaseReviewRecommendation.created_at)
    ))
    names = _names(session, {
        *(a.organisation_id for a in attendees), *(r.organisation_id for r in recommendations),
        *([review.lead_organisation_id] if review.lead_organisation_id else []),
    })
    _disclose(session, actor, review)
    data = {name: getattr(review, name) for name in CaseReviewRead.model_fields
            if hasattr(review, name)}
    data.update(
        agencies_told=[a for a in review.agencies_told.split(",") if a],
        lead_organisation=_ref(names, review.lead_organisation_id),
        complaints=complaints_seen(session, actor, review.id),
        attendees=[AttendeeRead(organisation=OrganisationRef(id=a.organisation_id,
                                                             name=names.get(a.organisation_id,
                                                                            "")),
                                names=a.attendee_names) for a in attendees],
        recommendations=[RecommendationRead(
            id=r.id, organisation=OrganisationRef(id=r.organisation_id,
                                                  name=names.get(r.organisation_id, "")),
            text=r.text, due_on=r.due_on, state=RecommendationState(r.state),
            completed_at=r.completed_at) for r in recommendations],
    )
    return CaseReviewRead.model_validate(data)


def list_case_reviews(
    session: Session, *, actor: Actor, status: ReviewStatus | None = None, page: int = 1,
    page_size: int | None = None,
) -> CaseReviewPage:
    """A page of the case reviews the actor may read; the total counts only those."""
    request = page_request(page, page_size)
    statement = queries.case_reviews_for(actor, status=status.value if status else None)
    total = count_of(session, statement)
    reviews = list(session.scalars(statement.limit(request.page_size).offset(request.offset)))
    for review in reviews:
        _disclose(session, actor, review)
    names = _names(session, {r.lead_organisation_id for r in reviews if r.lead_organisation_id})
    today = local(utcnow()).date()
    items = []
    for review in reviews:
        due = next_deadline(review)
        items.append(CaseReviewSummary(
            id=review.id, reference=review.reference, status=review.status,
            received_on=review.received_on,
            lead_organisation=_ref(names, review.lead_organisation_id),
            next_deadline=due, overdue=due is not None and due < today,
        ))
    return CaseReviewPage(items=items, total=total, page=request.page,
                          page_size=request.page_size)


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)


def yearly_figures(session: Session, *, actor: Actor, year: int) -> YearlyFiguresRead:
    """The figures partners publish for the year starting in `year` (by event dates)."""
    if not permissions.may_read_figures(actor):
        raise PermissionDenied("Sign in to read the figures.")
    starts_on, ends_on = rules.year_bounds(year, case_review_parameters().year_starts_month)
    start, end = _start_of(starts_on), _start_of(ends_on)

    def count(*conditions: ColumnElement[bool]) -> int:
        found = session.scalar(select(func.count(CaseReview.id)).where(*conditions))
        return int(found or 0)

    has_recommendation = exists().where(
        CaseReviewRecommendation.case_review_id == CaseReview.id)
    held = (CaseReview.meeting_on >= starts_on, CaseReview.meeting_on < ends_on)
    return YearlyFiguresRead(
        year=year, starts_on=starts_on, ends_on=ends_on,
        applications_received=count(CaseReview.received_on >= starts_on,
                                    CaseReview.received_on < ends_on),
        # A "not met" decision counts unless an appeal later overturned it.
        threshold_not_met=count(
            CaseReview.decision == Decision.not_met, CaseReview.decided_at >= start,
            CaseReview.decided_at < end,
            CaseReview.appeal_outcome.is_distinct_from(AppealOutcome.upheld.value),
        ),
        reviews_carried_out=count(*held),
        reviews_with_recommendations=count(*held, has_recommendation),
        appeals_lodged=count(CaseReview.appealed_at >= start, CaseReview.appealed_at < end),
        appeals_upheld=count(CaseReview.appeal_outcome == AppealOutcome.upheld,
                             CaseReview.appeal_decided_at >= start,
                             CaseReview.appeal_decided_at < end),
    )
