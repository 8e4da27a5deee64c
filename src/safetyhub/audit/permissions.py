"""Who may read the audit log."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role


def may_read_audit_log(actor: Actor) -> bool:
    """An agency's admin reads their own agency's part of the log (admins manage their own)."""
    return actor.role == Role.admin and actor.organisation_id is not None
