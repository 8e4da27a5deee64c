"""Case review verbs: apply and appeal (public), acknowledge, decide, meet, recommend, close.

Audit summaries carry ids, states and dates only, never names or free text (the audit log
cannot be pruned, so it must not become a second copy of personal data).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
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
from safetyhub.casereview.schemas import AppealCreate, CaseReviewApplication
from safetyhub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.timeutil import add_working_days, local, london_today, utcnow

# The public applicant has no account: events they cause are labelled, not attributed.
PUBLIC_APPLICANT = Actor(user_id=None, organisation_id=None, role=None, label="public applicant")
# No vowels (no words) and no look-alikes (0/O, 1/I).
REFERENCE_ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXZ"
NO_APPEALABLE_DECISION = N_(
    "We could not find a decision that can be appealed with that reference and postcode."
)


def _state(review: CaseReview) -> dict[str, Any]:
    return {
        "status": review.status, "lead_organisation_id": review.lead_organisation_id,
        "decision": review.decision, "appeal_outcome": review.appeal_outcome,
        "meeting_on": review.meeting_on, "acknowledge_by": review.acknowledge_by,
        "decide_by": review.decide_by, "meet_by": review.meet_by,
        "outcome_sent_at": review.outcome_sent_at,
    }


def _audit(session: Session, actor: Actor, action: str, review: CaseReview, *,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="asb_case_review",
        object_id=review.id, owner_organisation_id=review.lead_organisation_id,
        purpose=actor.purpose, before=before, after=after,
    )


def _postcode(value: str) -> str:
    """A postcode as written on letters: capitals, one space before the inward code."""
    compact = queries.normalise_postcode(value)
    return f"{compact[:-3]} {compact[-3:]}"


def _new_reference(session: Session) -> str:
    while True:
        reference = "CR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        taken = session.scalar(select(CaseReview.id).where(CaseReview.reference == reference))
        if taken is None:
            return reference


def check_threshold(
    session: Session, application: CaseReviewApplication, *, now: datetime
) -> rules.ThresholdResult:
    """The threshold check over the complaints held by every partner agency (system-level)."""
    params = case_review_parameters().threshold
    records = queries.matching_person_record_ids(
        session, given_name=application.victim_given_name,
        family_name=application.victim_family_name,
        date_of_birth=application.victim_date_of_birth, postcode=application.victim_postcode,
    )
    own = queries.victim_complaints(session, records, now=now, params=params)
    community = queries.community_complaints(session, application.victim_postcode, now=now,
                                             params=params)
    return rules.check_threshold(own, now=now, params=params, community=community)


def apply_for_case_review(
    session: Session, *, application: CaseReviewApplication, now: datetime | None = None
) -> tuple[CaseReview, rules.ThresholdResult]:
    """Record a public application with its threshold check and deadlines, all or nothing."""
    now = now or utcnow()
    params = case_review_parameters()
    result = check_threshold(session, application, now=now)
    received_on = local(now).date()
    due = rules.due_dates(received_on, params.deadlines)
    review = CaseReview(
        id=uuid.uuid4(), reference=_new_reference(session), status=ReviewStatus.received.value,
        received_on=received_on, on_behalf=application.on_behalf,
        victim_given_name=application.victim_given_name,
        victim_family_name=application.victim_family_name,
        victim_date_of_birth=application.victim_date_of_birth,
        victim_postcode=_postcode(application.victim_postcode),
        victim_address=application.victim_address,
        applicant_name=application.applicant_name or None,
        applicant_relationship=application.applicant_relationship or None,
        victim_consent=application.victim_consent or not application.on_behalf,
        contact_email=application.contact_email, contact_phone=application.contact_phone,
        problem_description=application.problem_description,
        problem_location=application.problem_location,
        agencies_told=",".join(a.value for a in application.agencies_told),
        language=application.language, threshold_met_on_application=result.met,
        qualifying_complaints=result.qualifying_complaints,
        threshold_rule=result.rule.value if result.rule else None,
        acknowledge_by=due.acknowledge_by, decide_by=due.decide_by, meet_by=due.meet_by,
    )
    session.add(review)
    session.flush()
    session.add_all(CaseReviewComplaint(case_review_id=review.id, incident_id=incident_id)
                    for incident_id in dict.fromkeys(result.counted_incident_ids))
    session.flush()
    _audit(session, PUBLIC_APPLICANT, "apply_case_review", review, after={
        **_state(review), "on_behalf": review.on_behalf, "victim_consent": review.victim_consent,
        "threshold_met_on_application": result.met,
        "qualifying_complaints": result.qualifying_complaints, "threshold_rule": result.rule,
    })
    return review, result


def lodge_appeal(session: Session, *, appeal: AppealCreate) -> CaseReview:
    """The applicant appeals a "threshold not met" decision (public: reference and postcode)."""
    review = session.scalar(
        select(CaseReview).where(CaseReview.reference == appeal.reference.strip().upper())
    )
    # The same answer for every failure, so the form reveals nothing about other applications.
    if (
        review is None
        or queries.normalise_postcode(review.victim_postcode)
        != queries.normalise_postcode(appeal.victim_postcode)
        or review.decision != Decision.not_met
        or review.appealed_at is not None
    ):
        raise NotFound(NO_APPEALABLE_DECISION)
    before = _state(review)
    review.status = ReviewStatus.appealed.value
    review.appeal_grounds = appeal.grounds
    review.appealed_at = utcnow()
    review.outcome_sent_at = None  # a new letter is due once the appeal is decided
    session.flush()
    _audit(session, PUBLIC_APPLICANT, "appeal_case_review", review, before=before,
           after=_state(review))
    return review


def _review_for_change(session: Session, actor: Actor, case_review_id: uuid.UUID) -> CaseReview:
    """Invisible -> 404; visible but not the actor's to run -> 403."""
    review = policy.get_visible(session, queries.case_review_by_id(actor, case_review_id),
                                "case review")
    if not permissions.may_manage_case_review(actor, review):
        raise PermissionDenied(
            "Only the partnership office and the lead agency's case workers change a case review."
        )
    return review


def _require_status(review: CaseReview, *allowed: ReviewStatus) -> None:
    if review.status not in {s.value for s in allowed}:
        raise Conflict(f"This case review is {review.status.replace('_', ' ')}; "
                       "that change is not possible now.")


def _organisation(session: Session, organisation_id: uuid.UUID) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No organisation with that id.")
    return organisation


def acknowledge(
    session: Session, *, actor: Actor, case_review_id: uuid.UUID,
    lead_organisation_id: uuid.UUID,
) -> CaseReview:
    """Acknowledge the application and name the agency that leads the review."""
    review = _review_for_change(session, actor, case_review_id)
    _require_status(review, ReviewStatus.received)
    lead = _organisation(session, lead_organisation_id)
    before = _state(review)
    review.lead_organisation_id = lead.id
    review.acknowledged_at = utcnow()
    review.status = ReviewStatus.acknowledged.value
    session.flush()
    _audit(session, actor, "acknowledge_case_review", review, before=before, after=_state(review))
    return review


def decide_threshold(
    session: Session, *, actor: Actor, case_review_id: uuid.UUID, decision: Decision,
    reasons: str,
) -> CaseReview:
    """Decide whether the threshold is met, with reasons (the applicant is told them)."""
    review = _review_for_change(session, actor, case_review_id)
    _require_status(review, ReviewStatus.acknowledged)
    before = _state(review)
    review.decision = decision.value
    review.decision_reasons = reasons
    review.decided_at = utcnow()
    review.decided_by_id = actor.user_id
    review.status = (ReviewStatus.threshold_met if decision == Decision.met
                     else ReviewStatus.threshold_not_met).value
    session.flush()
    _audit(session, actor, "decide_case_review_threshold", review, before=before,
           after=_state(review))
    return review


def decide_appeal(
    session: Session, *, actor: Actor, case_review_id: uuid.UUID, outcome: AppealOutcome,
    reasons: str,
) -> CaseReview:
    """The partnership office upholds (the review goes ahead) or dismisses an appeal."""
    review = policy.get_visible(session, queries.case_review_by_id(actor, case_review_id),
                                "case review")
    if not permissions.may_decide_appeal(actor, review):
        raise PermissionDenied("The partnership office decides appeals, by someone other than "
                               "the person who made the decision.")
    _require_status(review, ReviewStatus.appealed)
    before = _state(review)
    review.appeal_outcome = outcome.value
    review.appeal_reasons = reasons
    review.appeal_decided_at = utcnow()
    if outcome == AppealOutcome.upheld:
        review.status = ReviewStatus.threshold_met.value
        review.meet_by = add_working_days(london_today(), case_review_parameters().deadlines.meet)
    else:
        review.status = ReviewStatus.threshold_not_met.value
    session.flush()
    _audit(session, actor, "decide_case_review_appeal", review, before=before,
           after=_state(review))
    return review


def record_meeting(
    session: Session, *, actor: Actor, case_review_id: uuid.UUID, held_on: date,
    attendees: list[tuple[uuid.UUID, str]], summary: str,
) -> CaseReview:
    """Record the review meeting: when, which agencies (and who), and what it found."""
    review = _review_for_change(session, actor, case_review_id)
    _require_status(review, ReviewStatus.threshold_met)
    if held_on > london_today() or held_on < review.received_on:
        raise InvalidInput("The meeting date must be between the application and today.")
    agencies = dict(attendees)  # one row per agency: a repeated agency keeps its last names
    for organisation_id in agencies:
        _organisation(session, organisation_id)
    before = _state(review)
    review.meeting_on = held_on
    review.meeting_summary = summary
    review.status = ReviewStatus.reviewed.value
    session.add_all(CaseReviewAttendee(case_review_id=review.id, organisation_id=org_id,
                                       attendee_names=names or None)
                    for org_id, names in agencies.items())
    session.flush()
    _audit(session, actor, "record_case_review_meeting", review, before=before,
           after={**_state(review), "attending_organisation_ids": list(agencies)})
    return review


def add_recommendation(
    session: Session, *, actor: Actor, case_review_id: uuid.UUID, organisation_id: uuid.UUID,
    text: str, due_on: date,
) -> CaseReviewRecommendation:
    """A recommendation of the review for an agency, due by a date."""
    review = _review_for_change(session, actor, case_review_id)
    _require_status(review, ReviewStatus.reviewed)
    owner = _organisation(session, organisation_id)
    if due_on < london_today():
        raise InvalidInput("The due date must be today or later.")
    recommendation = CaseReviewRecommendation(
        case_review_id=review.id, organisation_id=owner.id, text=text, due_on=due_on,
        state=RecommendationState.open.value,
    )
    session.add(recommendation)
    session.flush()
    audit.record(
        session, actor=actor, action="add_case_review_recommendation",
        object_type="asb_case_review_recommendation", object_id=recommendation.id,
        owner_organisation_id=review.lead_organisation_id, purpose=actor.purpose,
        after={"case_review_id": review.id, "organisation_id": owner.id, "due_on": due_on,
               "state": recommendation.state, "text_length": len(text)},
    )
    return recommendation


def complete_recommendation(
    session: Session, *, actor: Actor, case_review_id: uuid.UUID, recommendation_id: uuid.UUID,
) -> CaseReviewRecommendation:
    """The owner agency (or whoever runs the review) marks a recommendation done."""
    review = policy.get_visible(session, queries.case_review_by_id(actor, case_review_id),
                                "case review")
    recommendation = session.get(CaseReviewRecommendation, recommendation_id)
    if recommendation is None or recommendation.case_review_id != review.id:
        raise NotFound("No recommendation with that id is visible to you.")
    if not permissions.may_complete_recommendation(actor, review, recommendation):
        raise PermissionDenied("Only the owner agency or the review's lead completes this.")
    if recommendation.state == RecommendationState.done:
        raise Conflict("This recommendation is already done.")
    recommendation.state = RecommendationState.done.value
    recommendation.completed_at = utcnow()
    session.flush()
    audit.record(
        session, actor=actor, action="complete_case_review_recommendation",
        object_type="asb_case_review_recommendation", object_id=recommendation.id,
        owner_organisation_id=review.lead_organisation_id, purpose=actor.purpose,
        before={"state": RecommendationState.open.value},
        after={"state": recommendation.state, "completed_at": recommendation.completed_at},
    )
    return recommendation


def record_outcome_sent(
    session: Session, *, actor: Actor, case_review_id: uuid.UUID
) -> CaseReview:
    """The outcome letter went to the applicant: the review closes (an appeal may reopen it)."""
    review = _review_for_change(session, actor, case_review_id)
    _require_status(review, ReviewStatus.reviewed, ReviewStatus.threshold_not_met)
    before = _state(review)
    review.outcome_sent_at = utcnow()
    review.status = ReviewStatus.closed.value
    session.flush()
    _audit(session, actor, "send_case_review_outcome", review, before=before,
           after=_state(review))
    return review
