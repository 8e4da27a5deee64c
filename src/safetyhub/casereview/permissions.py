"""Who may change a case review (reading is decided by sharing.policy alone)."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.casereview.models import CaseReview, CaseReviewRecommendation

CASE_WORKER_ROLES: frozenset[Role] = frozenset({Role.practitioner, Role.supervisor})


def is_partnership_office(actor: Actor) -> bool:
    """The partnership office runs the process and decides appeals."""
    return actor.organisation_id is not None and actor.role == Role.partnership_office


def may_manage_case_review(actor: Actor, review: CaseReview) -> bool:
    """The partnership office, or a practitioner or supervisor of the lead agency."""
    if is_partnership_office(actor):
        return True
    return (
        actor.role in CASE_WORKER_ROLES
        and review.lead_organisation_id is not None
        and actor.organisation_id == review.lead_organisation_id
    )


def may_decide_appeal(actor: Actor, review: CaseReview) -> bool:
    """Only the partnership office, and not the person who made the decision appealed against."""
    return is_partnership_office(actor) and actor.user_id != review.decided_by_id


def may_complete_recommendation(
    actor: Actor, review: CaseReview, recommendation: CaseReviewRecommendation
) -> bool:
    """Whoever manages the review, or a case worker of the agency that owns the recommendation."""
    if may_manage_case_review(actor, review):
        return True
    return actor.role in CASE_WORKER_ROLES and (
        actor.organisation_id == recommendation.organisation_id)


def may_read_figures(actor: Actor) -> bool:
    """Any signed-in partnership user reads the yearly figures (they are published)."""
    return actor.is_system or actor.organisation_id is not None
