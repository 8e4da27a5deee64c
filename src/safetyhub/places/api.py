"""Places API routes (thin: they call places.service)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.incidents import service as incidents
from safetyhub.incidents.schemas import IncidentPage
from safetyhub.pagination import page_request
from safetyhub.places import service
from safetyhub.places.models import Place
from safetyhub.places.schemas import PlaceCreate, PlacePage, PlaceRead

router = APIRouter(tags=["places"])


@router.post("/places", response_model=PlaceRead, status_code=201)
def create_place(session: DbSession, actor: CurrentActor, body: PlaceCreate) -> Place:
    """Add a place to the shared gazetteer."""
    return service.create_place(session, actor=actor, data=body)


@router.get("/places", response_model=PlacePage)
def search_places(
    session: DbSession,
    actor: CurrentActor,
    q: Annotated[str | None, Query(max_length=300, description="Part of the address")] = None,
    postcode: Annotated[str | None, Query(max_length=12)] = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> PlacePage:
    """Places by address text, postcode (or outward code, like GU1) and district."""
    result = service.search_places(
        session, actor=actor, text=q, postcode=postcode, district=district,
        page=page_request(page, page_size),
    )
    return PlacePage(items=[PlaceRead.model_validate(place) for place in result.items],
                     total=result.total, page=result.page, page_size=result.page_size)


@router.get("/places/{place_id}", response_model=PlaceRead)
def get_place(session: DbSession, actor: CurrentActor, place_id: uuid.UUID) -> Place:
    """One place."""
    return service.get_place(session, actor=actor, place_id=place_id)


@router.get("/places/{place_id}/incidents", response_model=IncidentPage)
def incidents_at_place(
    session: DbSession,
    actor: CurrentActor,
    place_id: uuid.UUID,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> IncidentPage:
    """Incidents at the place that you may see (nothing is said about the others)."""
    return IncidentPage.of(incidents.incidents_at_place(
        session, actor=actor, place_id=place_id, page=page_request(page, page_size)
    ))
