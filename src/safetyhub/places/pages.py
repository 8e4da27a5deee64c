"""Places pages: a place's profile and adding a place (thin routes over places.service)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import PermissionDenied
from safetyhub.pagination import page_request
from safetyhub.people.forms import read_postcode
from safetyhub.places import service
from safetyhub.places.permissions import may_create_place
from safetyhub.places.profile import place_profile
from safetyhub.places.schemas import PlaceCreate
from safetyhub.text import N_
from safetyhub.web.forms import Csrf, FormErrors, list_links, read_text
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

INCIDENTS_PAGE_SIZE = 20


def _new_place_form(
    request: Request, user: SignedInUser, values: dict[str, str], errors: FormErrors
) -> Response:
    return render(request, "places/new.html", status_code=422 if errors else 200, user=user,
                  values=values, errors=errors)


@router.get("/places/new")
def new_place(request: Request, user: SignedInUser) -> Response:
    """The form to add a place to the shared gazetteer."""
    if not may_create_place(user.actor):
        raise PermissionDenied(N_("Only practitioners, supervisors and analysts add places."))
    return _new_place_form(request, user, {}, FormErrors())


@router.post("/places/new")
def create_place(
    request: Request,
    session: DbSession,
    user: SignedInUser,
    csrf_token: Csrf = "",
    address: Annotated[str, Form(max_length=600)] = "",
    postcode: Annotated[str, Form(max_length=20)] = "",
    district: Annotated[str, Form(max_length=200)] = "",
    uprn: Annotated[str, Form(max_length=24)] = "",
) -> Response:
    """Add a place, then show it."""
    check_csrf(user.csrf_token, csrf_token)
    values = {"address": address, "postcode": postcode, "district": district, "uprn": uprn}
    errors = FormErrors()
    text = read_text("address", address, errors, max_length=300,
                     missing=N_("Enter the address or a description of the place"))
    normalised = read_postcode("postcode", postcode, errors)
    area = read_text("district", district, errors, max_length=100)
    reference = read_text("uprn", uprn, errors, max_length=12,
                          too_long=N_("Enter a UPRN of up to 12 numbers"))
    if reference is not None and not reference.isdigit():
        errors.add("uprn", N_("Enter a UPRN of up to 12 numbers"))
    if errors:
        return _new_place_form(request, user, values, errors)
    place = service.create_place(
        session, actor=user.actor,
        data=PlaceCreate(address=text or "", postcode=normalised, district=area, uprn=reference),
    )
    return redirect(f"/places/{place.id}?created=1")


@router.get("/places/{place_id}")
def place(
    request: Request,
    session: DbSession,
    user: SignedInUser,
    place_id: uuid.UUID,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    created: bool = False,
) -> Response:
    """A place: incidents there by month and as a list, and cases about it."""
    profile = place_profile(session, actor=user.actor, place_id=place_id,
                            page=page_request(page, INCIDENTS_PAGE_SIZE))
    links = list_links(profile.incidents, f"/places/{place_id}", {})
    return render(request, "places/place.html", user=user, profile=profile, links=links,
                  created=created)
