"""People pages: search people and places, a person's profile, record a person (thin routes)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import PermissionDenied
from safetyhub.pagination import Page, page_request
from safetyhub.people import service
from safetyhub.people.forms import read_postcode
from safetyhub.people.permissions import may_create_person_record
from safetyhub.people.profile import person_profile
from safetyhub.people.schemas import PersonRecordCreate
from safetyhub.places import service as places
from safetyhub.places.models import Place
from safetyhub.places.schemas import postcode_filter_value
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.text import N_
from safetyhub.web.forms import (
    Csrf,
    DateQuestion,
    FormErrors,
    list_links,
    page_or_results,
    read_date,
    read_text,
)
from safetyhub.web.labels import LABELS
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

SEARCH_PAGE_SIZE = 20
PAGE_NUMBER = Query(ge=1, le=100_000)
# The record's sensitivity, as radios (value, label message id, no hint).
SENSITIVITY_CHOICES = [(s.value, LABELS[s.value], None) for s in Sensitivity]
PHONE_CHARACTERS = set("0123456789+() -")
DATE_OF_BIRTH = DateQuestion(past_only=True)


@router.get("/search")
def search(
    request: Request,
    session: DbSession,
    user: SignedInUser,
    name: Annotated[str, Query(max_length=100)] = "",
    dob_day: Annotated[str, Query(alias="dob-day", max_length=4)] = "",
    dob_month: Annotated[str, Query(alias="dob-month", max_length=4)] = "",
    dob_year: Annotated[str, Query(alias="dob-year", max_length=6)] = "",
    postcode: Annotated[str, Query(max_length=20)] = "",
    place: Annotated[str, Query(max_length=300)] = "",
    page: Annotated[int, PAGE_NUMBER] = 1,
    places_page: Annotated[int, PAGE_NUMBER] = 1,
) -> Response:
    """Search person records and places; hidden matches are only counted by agency."""
    values = {"name": name.strip(), "dob-day": dob_day.strip(), "dob-month": dob_month.strip(),
              "dob-year": dob_year.strip(), "postcode": postcode.strip(), "place": place.strip()}
    errors = FormErrors()
    date_of_birth = read_date("dob", dob_day, dob_month, dob_year, errors, DATE_OF_BIRTH)
    if values["postcode"]:
        try:
            postcode_filter_value(values["postcode"])
        except ValueError:
            errors.add("postcode", N_(
                "Enter a real postcode, or the first part of one, like GU1 4RR or GU1"))
    searched = any(values.values())
    people_found: service.PersonSearchResult | None = None
    places_found: Page[Place] | None = None
    if searched and not errors:
        if values["name"] or date_of_birth or values["postcode"]:
            people_found = service.search_person_records(
                session, actor=user.actor, name=values["name"], date_of_birth=date_of_birth,
                postcode=values["postcode"], page=page_request(page, SEARCH_PAGE_SIZE),
            )
        if values["place"] or values["postcode"]:
            places_found = places.search_places(
                session, actor=user.actor, text=values["place"], postcode=values["postcode"],
                page=page_request(places_page, SEARCH_PAGE_SIZE),
            )

    params: dict[str, str | int] = {**values, "page": page, "places_page": places_page}
    return page_or_results(
        request, "search/search.html", "search/_results.html", invalid=bool(errors), user=user,
        values=values, errors=errors, searched=searched, people=people_found,
        places=places_found,
        people_links=list_links(people_found, "/search", params) if people_found else None,
        places_links=list_links(places_found, "/search", params, key="places_page")
        if places_found else None,
    )


def _new_person_form(
    request: Request, user: SignedInUser, values: dict[str, str], errors: FormErrors
) -> Response:
    return render(
        request, "people/new.html", status_code=422 if errors else 200, user=user,
        values=values, errors=errors, sensitivities=SENSITIVITY_CHOICES,
    )


@router.get("/people/new")
def new_person(request: Request, user: SignedInUser) -> Response:
    """The form to record a person for your agency."""
    if not may_create_person_record(user.actor):
        raise PermissionDenied(N_("Only practitioners and supervisors record people."))
    return _new_person_form(request, user, {"sensitivity": Sensitivity.standard.value},
                            FormErrors())


def _person_from_form(values: dict[str, str], errors: FormErrors) -> PersonRecordCreate | None:
    """The new record the form describes, or None with the problems found."""
    given = read_text("given_name", values["given_name"], errors, max_length=100,
                      missing=N_("Enter the given name"))
    family = read_text("family_name", values["family_name"], errors, max_length=100,
                       missing=N_("Enter the family name"))
    date_of_birth = read_date("dob", values["dob-day"], values["dob-month"], values["dob-year"],
                              errors, DATE_OF_BIRTH)
    address = read_text("address", values["address"], errors, max_length=300)
    postcode = read_postcode("postcode", values["postcode"], errors)
    phone = read_text("phone", values["phone"], errors, max_length=30)
    if phone is not None and not set(phone) <= PHONE_CHARACTERS:
        errors.add("phone", N_(
            "Enter a phone number using numbers, spaces, brackets, plus and minus signs only"))
    identifier = read_text("agency_identifier", values["agency_identifier"], errors,
                           max_length=60)
    if values["sensitivity"] not in {s.value for s in Sensitivity}:
        errors.add("sensitivity", N_("Choose how sensitive the record is"))
    if errors:
        return None
    try:
        return PersonRecordCreate(
            given_name=given or "", family_name=family or "", date_of_birth=date_of_birth,
            address=address, postcode=postcode, phone=phone, agency_identifier=identifier,
            sensitivity=Sensitivity(values["sensitivity"]),
        )
    except ValidationError:
        errors.add("given_name", N_("Check the answers and try again"))
        return None


@router.post("/people/new")
def create_person(
    request: Request,
    session: DbSession,
    user: SignedInUser,
    csrf_token: Csrf = "",
    given_name: Annotated[str, Form(max_length=200)] = "",
    family_name: Annotated[str, Form(max_length=200)] = "",
    dob_day: Annotated[str, Form(alias="dob-day", max_length=10)] = "",
    dob_month: Annotated[str, Form(alias="dob-month", max_length=10)] = "",
    dob_year: Annotated[str, Form(alias="dob-year", max_length=10)] = "",
    address: Annotated[str, Form(max_length=600)] = "",
    postcode: Annotated[str, Form(max_length=20)] = "",
    phone: Annotated[str, Form(max_length=60)] = "",
    agency_identifier: Annotated[str, Form(max_length=120)] = "",
    sensitivity: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Record a person for your agency, then show their profile."""
    check_csrf(user.csrf_token, csrf_token)
    values = {"given_name": given_name, "family_name": family_name, "dob-day": dob_day,
              "dob-month": dob_month, "dob-year": dob_year, "address": address,
              "postcode": postcode, "phone": phone, "agency_identifier": agency_identifier,
              "sensitivity": sensitivity}
    errors = FormErrors()
    data = _person_from_form(values, errors)
    if data is None:
        return _new_person_form(request, user, values, errors)
    view = service.create_person_record(session, actor=user.actor, data=data)
    return redirect(f"/people/{view.record.id}?created=1")


@router.get("/people/{person_record_id}")
def person(
    request: Request, session: DbSession, user: SignedInUser, person_record_id: uuid.UUID,
    created: bool = False,
) -> Response:
    """A person's profile: the record, other records of the person, and their timeline."""
    profile = person_profile(session, actor=user.actor, person_record_id=person_record_id)
    return render(request, "people/person.html", user=user, profile=profile,
                  created=created and profile.own)
