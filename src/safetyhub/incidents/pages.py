"""Incident pages: the list with filters, one incident, and the recording form (thin routes)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from safetyhub.auth.dependencies import DbSession
from safetyhub.incidents import form_pages, service
from safetyhub.incidents.models import IncidentCategory
from safetyhub.incidents.steps import CATEGORY_GROUPS
from safetyhub.pagination import page_request
from safetyhub.places import service as places
from safetyhub.text import N_
from safetyhub.web.forms import DateQuestion, FormErrors, list_links, page_or_results, read_date
from safetyhub.web.rendering import render
from safetyhub.web.session import SignedInUser

router = APIRouter(include_in_schema=False)
# The form's fixed addresses (/incidents/new...) come before /incidents/{incident_id}.
router.include_router(form_pages.router)

LIST_PAGE_SIZE = 25


@router.get("/incidents")
def incidents(
    request: Request,
    session: DbSession,
    user: SignedInUser,
    from_day: Annotated[str, Query(alias="from-day", max_length=4)] = "",
    from_month: Annotated[str, Query(alias="from-month", max_length=4)] = "",
    from_year: Annotated[str, Query(alias="from-year", max_length=6)] = "",
    to_day: Annotated[str, Query(alias="to-day", max_length=4)] = "",
    to_month: Annotated[str, Query(alias="to-month", max_length=4)] = "",
    to_year: Annotated[str, Query(alias="to-year", max_length=6)] = "",
    category: Annotated[str, Query(max_length=40)] = "",
    district: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Incidents the user may see, newest first, filtered by London dates, category, district."""
    values = {"from-day": from_day, "from-month": from_month, "from-year": from_year,
              "to-day": to_day, "to-month": to_month, "to-year": to_year,
              "category": category, "district": district.strip()}
    errors = FormErrors()
    date_from = read_date("from", from_day, from_month, from_year, errors, DateQuestion())
    date_to = read_date("to", to_day, to_month, to_year, errors, DateQuestion())
    if date_from and date_to and date_from > date_to:
        errors.add("to-day", N_("The end date must be the same as or after the start date"))
    chosen = None
    if category:
        if category in {c.value for c in IncidentCategory}:
            chosen = IncidentCategory(category)
        else:
            errors.add("category", N_("Choose a category from the list"))
    found = None
    links = None
    if not errors:
        found = service.list_incidents(
            session, actor=user.actor, date_from=date_from, date_to=date_to, category=chosen,
            district=values["district"] or None, page=page_request(page, LIST_PAGE_SIZE),
        )
        links = list_links(found, "/incidents", values)
    return page_or_results(
        request, "incidents/list.html", "incidents/_list_results.html", invalid=bool(errors),
        user=user, values=values, errors=errors, found=found, links=links,
        category_groups=CATEGORY_GROUPS,
    )


@router.get("/incidents/{incident_id}")
def incident(
    request: Request, session: DbSession, user: SignedInUser, incident_id: uuid.UUID,
    recorded: bool = False,
) -> Response:
    """One incident with the parties the user may see; the others are only counted."""
    detail = service.get_incident(session, actor=user.actor, incident_id=incident_id)
    place = (places.get_place(session, actor=user.actor, place_id=detail.incident.place_id)
             if detail.incident.place_id else None)
    return render(request, "incidents/incident.html", user=user, detail=detail, place=place,
                  recorded=recorded and detail.incident.organisation_id == user.organisation.id)
