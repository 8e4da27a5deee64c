"""Place selects, each starting from the access policy."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func

from safetyhub.auth.actor import Actor
from safetyhub.people.queries import postcode_matches
from safetyhub.places.models import Place
from safetyhub.sharing import policy


def place_by_id(actor: Actor, place_id: uuid.UUID) -> Select[tuple[Place]]:
    """One place the actor may read, or no row."""
    return policy.visible_places(actor).where(Place.id == place_id)


def places_matching(
    actor: Actor,
    *,
    text: str | None,
    postcode: tuple[str, bool] | None,
    district: str | None,
) -> Select[tuple[Place]]:
    """Places whose address contains `text`, in the postcode (or outward code) and district."""
    statement = policy.visible_places(actor)
    if text:
        statement = statement.where(
            func.lower(Place.address).contains(text.lower(), autoescape=True)
        )
    if postcode is not None:
        value, is_prefix = postcode
        statement = statement.where(postcode_matches(Place.postcode, value, is_prefix=is_prefix))
    if district:
        statement = statement.where(func.lower(Place.district) == district.lower())
    return statement
