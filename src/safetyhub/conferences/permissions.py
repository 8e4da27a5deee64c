"""Who may create and run case conferences (reading is decided by sharing.policy alone)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.conferences.models import Conference

# Chairs are supervisors of a partner agency or the partnership office (which convenes
# community MARACs and complex-case panels).
CHAIR_ROLES: frozenset[Role] = frozenset({Role.supervisor, Role.partnership_office})
# Professionals who bring cases to a conference and take part in the discussion.
TAKING_PART_ROLES: frozenset[Role] = frozenset(
    {Role.practitioner, Role.supervisor, Role.partnership_office}
)


def may_create_conference(actor: Actor) -> bool:
    """Supervisors and the partnership office convene conferences for their agency."""
    return actor.organisation_id is not None and actor.role in CHAIR_ROLES


def may_run_conference(actor: Actor, conference: Conference) -> bool:
    """The chair, or a supervisor/partnership office user of the chair's agency, runs it."""
    if actor.user_id is not None and actor.user_id == conference.chair_user_id:
        return True
    chair_agency = actor.organisation_id == conference.chair_organisation_id
    return may_create_conference(actor) and chair_agency


def may_add_item(actor: Actor, member_organisation_ids: Collection[uuid.UUID]) -> bool:
    """A professional of an invited agency brings a case, alert or MARAC referral."""
    return actor.role in TAKING_PART_ROLES and actor.organisation_id in member_organisation_ids


def may_take_part(actor: Actor, attending_organisation_ids: Collection[uuid.UUID]) -> bool:
    """A professional of an attending agency writes notes and agrees actions."""
    return actor.role in TAKING_PART_ROLES and actor.organisation_id in attending_organisation_ids


def may_update_action(actor: Actor, conference: Conference, owner_id: uuid.UUID) -> bool:
    """The owning agency's professionals, or whoever runs the conference, update an action."""
    owns = actor.role in TAKING_PART_ROLES and actor.organisation_id == owner_id
    return owns or may_run_conference(actor, conference)
