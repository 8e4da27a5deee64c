"""Places: add one to the shared gazetteer, read one, search them."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.errors import InvalidInput, PermissionDenied
from safetyhub.pagination import Page, PageRequest, count_of
from safetyhub.places import queries
from safetyhub.places.models import Place
from safetyhub.places.permissions import may_create_place
from safetyhub.places.schemas import PlaceCreate, postcode_filter_value
from safetyhub.sharing import policy

OBJECT_TYPE = "place"


def create_place(session: Session, *, actor: Actor, data: PlaceCreate) -> Place:
    """Add a place to the shared gazetteer (practitioners, supervisors and analysts)."""
    if not may_create_place(actor):
        raise PermissionDenied("Only practitioners, supervisors and analysts add places.")
    # The address is free text (it may be someone's home): the log keeps its length only.
    fields = data.model_dump(mode="json", exclude={"address"}) | {
        "address_length": len(data.address)
    }
    place = Place(**data.model_dump(), created_by_organisation_id=actor.organisation_id)
    session.add(place)
    session.flush()
    audit.record(
        session, actor=actor, action="create_place", object_type=OBJECT_TYPE,
        object_id=place.id, owner_organisation_id=actor.organisation_id, after=fields,
    )
    return place


def get_place(session: Session, *, actor: Actor, place_id: uuid.UUID) -> Place:
    """One place (gazetteer data: no disclosure to audit), or 404."""
    return policy.get_visible(session, queries.place_by_id(actor, place_id), "place")


def search_places(
    session: Session,
    *,
    actor: Actor,
    text: str | None = None,
    postcode: str | None = None,
    district: str | None = None,
    page: PageRequest,
) -> Page[Place]:
    """Places by address text, postcode (or outward code) and district, in address order."""
    postcode = (postcode or "").strip() or None
    try:
        postcode_criterion = None if postcode is None else postcode_filter_value(postcode)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    statement = queries.places_matching(
        actor, text=(text or "").strip() or None, postcode=postcode_criterion,
        district=(district or "").strip() or None,
    )
    total = count_of(session, statement)
    rows = session.scalars(
        statement.order_by(Place.address, Place.id).limit(page.page_size).offset(page.offset)
    )
    return Page(items=list(rows), total=total, page=page.page, page_size=page.page_size)
