"""Who is acting: the user, their organisation and role, and the purpose they declared."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from safetyhub.auth.models import Role
from safetyhub.sharing.vocabulary import Purpose


@dataclass(frozen=True)
class Actor:
    """The subject of every access decision and audit event."""

    user_id: uuid.UUID | None
    organisation_id: uuid.UUID | None
    role: Role | None
    label: str
    purpose: Purpose | None = None
    # Only CLI jobs (seed, import, linkage) run as the system; no HTTP route can build one.
    is_system: bool = False

    def with_purpose(self, purpose: Purpose | None) -> Actor:
        """Return the same actor having declared `purpose`."""
        return replace(self, purpose=purpose)

    @classmethod
    def system(cls, label: str) -> Actor:
        """An actor for command-line jobs run by an operator of the hub."""
        return cls(user_id=None, organisation_id=None, role=None, label=label, is_system=True)
