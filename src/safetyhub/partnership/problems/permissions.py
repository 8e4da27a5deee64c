"""Who may open and change problems (reading is decided by sharing.policy alone)."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.partnership.problems.models import Problem
from safetyhub.sharing.policy import PROBLEM_ROLES


def may_open_problem(actor: Actor) -> bool:
    """Professionals of any agency open problems their agency leads."""
    return actor.organisation_id is not None and actor.role in PROBLEM_ROLES


def may_work_on_problem(actor: Actor, problem: Problem, partner_ids: set[object]) -> bool:
    """The lead's and the partners' professionals scan, analyse, respond and assess."""
    if actor.organisation_id is None or actor.role not in PROBLEM_ROLES:
        return False
    return actor.organisation_id == problem.lead_organisation_id or (
        actor.organisation_id in partner_ids
    )


def may_lead_problem(actor: Actor, problem: Problem) -> bool:
    """Only the lead agency moves the stage, names the owner and invites partners."""
    return (
        actor.organisation_id is not None
        and actor.role in PROBLEM_ROLES
        and actor.organisation_id == problem.lead_organisation_id
    )
