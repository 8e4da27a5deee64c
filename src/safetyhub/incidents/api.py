"""Incidents API routes (thin: they call incidents.service)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.incidents import service
from safetyhub.incidents.models import IncidentCategory
from safetyhub.incidents.schemas import (
    IncidentCreate,
    IncidentPage,
    IncidentRead,
)
from safetyhub.pagination import page_request

router = APIRouter(tags=["incidents"])


@router.post("/incidents", response_model=IncidentRead, status_code=201)
def record_incident(session: DbSession, actor: CurrentActor, body: IncidentCreate) -> IncidentRead:
    """Record an incident for your own agency; parties must be person records you may see."""
    incident = service.record_incident(session, actor=actor, data=body)
    detail = service.get_incident(session, actor=actor, incident_id=incident.id)
    return IncidentRead.of_detail(detail)


@router.get("/incidents", response_model=IncidentPage)
def list_incidents(
    session: DbSession,
    actor: CurrentActor,
    date_from: date | None = None,
    date_to: date | None = None,
    category: IncidentCategory | None = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int | None, Query(ge=1)] = None,
) -> IncidentPage:
    """Incidents you may see (dates are London days, inclusive); hidden ones are not counted."""
    return IncidentPage.of(service.list_incidents(
        session, actor=actor, date_from=date_from, date_to=date_to, category=category,
        district=district, page=page_request(page, page_size),
    ))


@router.get("/incidents/{incident_id}", response_model=IncidentRead)
def get_incident(session: DbSession, actor: CurrentActor, incident_id: uuid.UUID) -> IncidentRead:
    """One incident with the parties you may see; the others are only counted."""
    detail = service.get_incident(session, actor=actor, incident_id=incident_id)
    return IncidentRead.of_detail(detail)
