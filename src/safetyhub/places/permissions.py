"""Who may add places to the shared gazetteer."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role

# Analysts add places too: they geocode imported police.uk and partner data.
GAZETTEER_ROLES = frozenset({Role.practitioner, Role.supervisor, Role.analyst})


def may_create_place(actor: Actor) -> bool:
    """A practitioner, supervisor or analyst of any agency adds places."""
    return actor.organisation_id is not None and actor.role in GAZETTEER_ROLES
