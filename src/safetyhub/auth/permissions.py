"""Who may manage users."""

from __future__ import annotations

import uuid

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role


def may_manage_users_of(actor: Actor, organisation_id: uuid.UUID) -> bool:
    """An admin manages the users of their own agency only."""
    return actor.is_system or (
        actor.role == Role.admin and actor.organisation_id == organisation_id
    )
