"""Who may set and update commitments (reading is decided by sharing.policy)."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.partnership.commitments.models import Commitment


def may_manage_commitments(actor: Actor) -> bool:
    """The partnership office records commitments (and priorities) for any organisation."""
    return actor.is_system or actor.role == Role.partnership_office


def may_update_commitment(actor: Actor, commitment: Commitment) -> bool:
    """The partnership office, or a user of the organisation that made the commitment."""
    return may_manage_commitments(actor) or (
        actor.organisation_id is not None
        and actor.organisation_id == commitment.organisation_id
    )
