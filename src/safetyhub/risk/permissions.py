"""Who may read and work alerts (which alerts are visible is decided by sharing.policy)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.sharing.policy import ALERT_ROLES

# Alerts are professional work: the routed agency's practitioners, supervisors and analysts
# read them (and the partnership office's staff, who are the hub); the policy says so once.
ALERT_READER_ROLES: frozenset[Role] = ALERT_ROLES
# Analysts tune indicators and read alerts; those who act on them change their state.
ALERT_WORKER_ROLES: frozenset[Role] = frozenset(
    {Role.practitioner, Role.supervisor, Role.partnership_office}
)


def may_read_alerts(actor: Actor) -> bool:
    """Practitioners, supervisors, analysts and partnership office staff read their alerts."""
    return actor.organisation_id is not None and actor.role in ALERT_READER_ROLES


def may_work_alert(actor: Actor, routed_to: Iterable[uuid.UUID]) -> bool:
    """Acknowledge, action, dismiss or snooze: a worker of an agency the alert is routed to."""
    return (
        actor.organisation_id is not None
        and actor.role in ALERT_WORKER_ROLES
        and actor.organisation_id in set(routed_to)
    )


def may_run_indicators(actor: Actor) -> bool:
    """The batch run is an operator's job (the CLI's system actor)."""
    return actor.is_system
