"""Who may send and answer referrals (reading is decided by sharing.policy alone)."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.referrals.models import Referral

# Referrals are professional work: practitioners and supervisors send and answer them.
REFERRAL_ROLES: frozenset[Role] = frozenset({Role.practitioner, Role.supervisor})


def may_send_referral(actor: Actor) -> bool:
    """Practitioners and supervisors refer on behalf of their own agency."""
    return actor.organisation_id is not None and actor.role in REFERRAL_ROLES


def may_answer_referral(actor: Actor, referral: Referral) -> bool:
    """Only the receiving agency's practitioners and supervisors accept, decline or complete."""
    return (
        actor.organisation_id is not None
        and actor.role in REFERRAL_ROLES
        and actor.organisation_id == referral.to_organisation_id
    )
