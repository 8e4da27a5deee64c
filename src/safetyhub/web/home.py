"""The home page's content: the signed-in user's own work."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor


def my_work(session: Session, actor: Actor) -> dict[str, Any]:
    """Open cases, recent incidents and waiting referrals of the actor's agency."""
    return {"cases": [], "incidents": [], "referrals": []}
