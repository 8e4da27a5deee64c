"""Who may draft, sign and revoke information-sharing agreements."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role


def is_party_admin(actor: Actor, party_organisation_ids: Collection[uuid.UUID]) -> bool:
    """An admin of one of the parties: agreements bind agencies, so only their admins act."""
    return (
        actor.role == Role.admin
        and actor.organisation_id is not None
        and actor.organisation_id in party_organisation_ids
    )


def may_draft_agreement(actor: Actor) -> bool:
    """An agency's admin may draft agreements (their own agency must be a party to each)."""
    return actor.role == Role.admin and actor.organisation_id is not None


def may_sign_agreement(actor: Actor, party_organisation_ids: Collection[uuid.UUID]) -> bool:
    """An admin signs for their own agency, and only if it is a party."""
    return is_party_admin(actor, party_organisation_ids)


def may_revoke_agreement(actor: Actor, party_organisation_ids: Collection[uuid.UUID]) -> bool:
    """An admin of any party may withdraw from, and so revoke, the agreement."""
    return is_party_admin(actor, party_organisation_ids)
