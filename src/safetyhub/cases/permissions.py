"""Who may change a case (reading is decided by sharing.policy alone)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.cases.models import Case

# Case work is done by practitioners and supervisors; analysts, admins and the partnership
# office read (where the policy lets them) but never change a case.
CASE_WORKER_ROLES: frozenset[Role] = frozenset({Role.practitioner, Role.supervisor})


def may_work_cases(actor: Actor) -> bool:
    """The actor's role does case work at all."""
    return actor.organisation_id is not None and actor.role in CASE_WORKER_ROLES


def may_open_case(actor: Actor) -> bool:
    """Practitioners and supervisors open cases for their own agency."""
    return may_work_cases(actor)


def may_change_case(actor: Actor, member_organisation_ids: Collection[uuid.UUID]) -> bool:
    """A practitioner or supervisor of a member agency changes the case."""
    return may_work_cases(actor) and actor.organisation_id in member_organisation_ids


def may_close_case(actor: Actor, case: Case) -> bool:
    """Only the lead agency's practitioners and supervisors close a case."""
    return may_work_cases(actor) and actor.organisation_id == case.lead_organisation_id
