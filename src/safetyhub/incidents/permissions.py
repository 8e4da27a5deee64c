"""Who may record incidents."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role

# Practitioners and supervisors record concerns; analysts bring in bulk data through the
# import jobs (as the system), admins and the partnership office do not record casework.
RECORDING_ROLES = frozenset({Role.practitioner, Role.supervisor})


def may_record_incident(actor: Actor) -> bool:
    """A practitioner or supervisor records incidents for their own agency."""
    return actor.organisation_id is not None and actor.role in RECORDING_ROLES
