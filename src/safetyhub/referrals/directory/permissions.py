"""Who may change the service directory (everyone signed in reads it: not personal data)."""

from __future__ import annotations

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role

# The partnership office keeps the county's directory; admins may load it on set-up.
DIRECTORY_EDITORS: frozenset[Role] = frozenset({Role.partnership_office, Role.admin})


def may_manage_directory(actor: Actor) -> bool:
    """The partnership office (and admins) import the directory and match organisations."""
    return actor.is_system or (actor.organisation_id is not None
                               and actor.role in DIRECTORY_EDITORS)


def may_read_directory(actor: Actor) -> bool:
    """Every signed-in user of a partner agency (and the system) reads the directory."""
    return actor.is_system or actor.organisation_id is not None
