"""Who may run meetings and update meeting actions (reading is decided by sharing.policy)."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.partnership.meetings.models import MeetingAction


def may_run_meetings(actor: Actor) -> bool:
    """The partnership office convenes meetings, invites, records attendance, minutes, decisions."""
    return actor.is_system or actor.role == Role.partnership_office


def may_update_action(actor: Actor, action: MeetingAction) -> bool:
    """The partnership office, or a user of the organisation that owns the action."""
    return may_run_meetings(actor) or (
        actor.organisation_id is not None
        and actor.organisation_id == action.owner_organisation_id
    )
