"""Who may review linkage pairs and run linkage."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role


def may_review_pairs(actor: Actor) -> bool:
    """Analysts review candidate pairs (DESIGN.md: the analyst runs linkage)."""
    return actor.role == Role.analyst and actor.organisation_id is not None


def may_run_linkage(actor: Actor) -> bool:
    """Batch runs and training are the hub's jobs: the system actor of the CLI."""
    return actor.is_system
