"""Who may complete DASH assessments, refer to MARAC and read the MARAC list (reading an
assessment is decided by sharing.policy alone)."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.dash.models import DashAssessment

ASSESSOR_ROLES: frozenset[Role] = frozenset({Role.practitioner, Role.supervisor})
# The MARAC chair's list: supervisors and the partnership office (which sees only counts of
# the special category cases its role may not read).
MARAC_LIST_ROLES: frozenset[Role] = frozenset({Role.supervisor, Role.partnership_office})


def may_assess(actor: Actor) -> bool:
    """Practitioners and supervisors complete the checklist for their agency."""
    return actor.organisation_id is not None and actor.role in ASSESSOR_ROLES


def may_refer_to_marac(actor: Actor, assessment: DashAssessment) -> bool:
    """The assessing agency's practitioners and supervisors refer to MARAC."""
    return may_assess(actor) and actor.organisation_id == assessment.organisation_id


def may_read_marac_list(actor: Actor) -> bool:
    """The MARAC chair's list is for supervisors and the partnership office."""
    return actor.organisation_id is not None and actor.role in MARAC_LIST_ROLES
