"""What the problem forms offer: places found by words, other agencies by name."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.organisations.models import Organisation
from safetyhub.places.models import Place
from safetyhub.sharing import policy


def find_places(session: Session, actor: Actor, words: str, limit: int = 20) -> list[Place]:
    """Places whose address or postcode contains `words` (places are shared gazetteer data)."""
    text = words.replace("%", "").replace("_", "").strip().lower()
    if not text:
        return []
    compact = text.replace(" ", "").upper()
    return list(session.scalars(
        policy.visible_places(actor)
        .where(or_(func.lower(Place.address).contains(text),
                   func.replace(Place.postcode, " ", "").startswith(compact)))
        .order_by(Place.address).limit(limit)
    ))


def other_organisations(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """Every partner agency but the actor's own, by name: (id, name)."""
    rows = session.execute(select(Organisation.id, Organisation.name)
                           .where(Organisation.id != actor.organisation_id)
                           .order_by(Organisation.name))
    return [(str(oid), name) for oid, name in rows]
