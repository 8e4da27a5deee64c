"""Who may see the analysts' picture."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role

PICTURE_ROLES = (Role.analyst, Role.partnership_office)


def may_see_picture(actor: Actor) -> bool:
    """Analysts and the partnership office (the Commissioner's office) see the picture."""
    return actor.is_system or actor.role in PICTURE_ROLES
