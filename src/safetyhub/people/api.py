"""People API routes (thin: they call people.service)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.pagination import page_request
from safetyhub.people import service
from safetyhub.people.schemas import PersonRecordCreate, PersonRecordPage, PersonRecordRead

router = APIRouter(tags=["people"])


def _read(view: service.PersonRecordView) -> PersonRecordRead:
    return PersonRecordRead.of(view.record, view.organisation_name)


@router.post("/people", response_model=PersonRecordRead, status_code=201)
def create_person_record(
    session: DbSession, actor: CurrentActor, body: PersonRecordCreate
) -> PersonRecordRead:
    """Record a person for your own agency (practitioners and supervisors)."""
    return _read(service.create_person_record(session, actor=actor, data=body))


@router.get("/people", response_model=PersonRecordPage)
def search_person_records(
    session: DbSession,
    actor: CurrentActor,
    name: Annotated[str | None, Query(max_length=100)] = None,
    date_of_birth: date | None = None,
    postcode: Annotated[str | None, Query(max_length=12)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> PersonRecordPage:
    """Search person records you may see; other agencies' hidden matches are only counted."""
    result = service.search_person_records(
        session, actor=actor, name=name, date_of_birth=date_of_birth, postcode=postcode,
        page=page_request(page, page_size),
    )
    return PersonRecordPage(
        items=[_read(view) for view in result.items], total=result.total, page=result.page,
        page_size=result.page_size, known_to_other_agencies=result.known_to_other_agencies,
    )


@router.get("/people/{person_record_id}", response_model=PersonRecordRead)
def get_person_record(
    session: DbSession, actor: CurrentActor, person_record_id: uuid.UUID
) -> PersonRecordRead:
    """One person record; another agency's needs X-Purpose and a covering agreement."""
    return _read(service.get_person_record(session, actor=actor, person_record_id=person_record_id))
