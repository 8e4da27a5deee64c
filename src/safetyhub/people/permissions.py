"""Who may do what with person records."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role

# Practitioners and supervisors hold the casework; analysts, admins and the partnership
# office read or manage, they do not record people.
RECORDING_ROLES = frozenset({Role.practitioner, Role.supervisor})


def may_create_person_record(actor: Actor) -> bool:
    """A practitioner or supervisor records people for their own agency."""
    return actor.organisation_id is not None and actor.role in RECORDING_ROLES
