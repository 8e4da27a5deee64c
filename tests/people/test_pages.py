"""Search, the person profile and recording a person, through the pages and the access policy."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.incidents.models import PartyRole
from safetyhub.organisations.models import OrganisationKind
from safetyhub.people.models import Identity, IdentityLink, PersonRecord
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import utcnow
from tests.conftest import PageClient
from tests.factories import (
    make_agreement,
    make_case,
    make_incident,
    make_org,
    make_person_record,
    make_place,
    make_referral,
    make_user,
)
from tests.people.support import World, reads_of

MakeClient = Callable[..., PageClient]
BORN = date(1985, 6, 15)  # the factories' date of birth


def _share_people(session: Session, world: World, title: str = "Guildford CSP ISA") -> None:
    make_agreement(session, [world.police, world.council], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.person_identifiers], title=title)


def _records(session: Session) -> int:
    return int(session.scalar(select(func.count(PersonRecord.id))) or 0)


# Search


def test_the_search_page_asks_for_a_purpose_and_explains(
    page_client: MakeClient, world: World
) -> None:
    response = page_client(world.officer).get("/search")
    assert response.status_code == 200
    assert "Search for people and places" in response.text
    assert "To see what partner agencies share with you, say why you need it." in response.text
    assert 'id="dob-day"' in response.text


def test_search_shows_shared_records_with_their_agency_and_counts_hidden_ones(
    session: Session, page_client: MakeClient, world: World
) -> None:
    _share_people(session, world)
    fire = make_org(session, "Surrey Fire and Rescue", kind=OrganisationKind.fire)
    make_person_record(session, fire, given_name="Morgan", family_name="Hale",
                       address="9 Secret Lane")
    response = page_client(world.officer, Purpose.safeguarding).get(
        "/search", params={"name": "hale"})
    assert response.status_code == 200
    assert f'href="/people/{world.record.id}"' in response.text
    assert "Guildford Borough Council" in response.text
    assert "Also known to 1 other agency." in response.text
    assert "Surrey Fire and Rescue" not in response.text and "Secret Lane" not in response.text
    assert len(reads_of(session, world.record.id)) == 1


def test_another_agency_finds_nothing_without_an_agreement(
    page_client: MakeClient, world: World
) -> None:
    for purpose in (None, Purpose.safeguarding):
        response = page_client(world.officer, purpose).get(
            "/search", params={"name": "Morgan Hale", "postcode": "GU1 4RR"})
        assert response.status_code == 200
        assert "Morgan" not in response.text.split('id="search-results"')[1]
        assert "No person records you may see match your search." in response.text
        assert "Also known to 1 other agency." in response.text


def test_search_by_date_of_birth_and_postcode(
    session: Session, page_client: MakeClient, world: World
) -> None:
    own = make_person_record(session, world.police, given_name="Ali", family_name="Reed",
                             date_of_birth=date(2001, 2, 3), postcode="GU2 7XH")
    client = page_client(world.officer)
    by_birth = client.get("/search", params={"dob-day": "3", "dob-month": "2", "dob-year": "2001"})
    assert f"/people/{own.id}" in by_birth.text
    by_district = client.get("/search", params={"postcode": "gu2"})
    assert f"/people/{own.id}" in by_district.text
    assert "Places found" in by_district.text


def test_search_finds_places_by_address(
    session: Session, page_client: MakeClient, world: World
) -> None:
    place = make_place(session, address="Stoke Park skate park, Guildford", postcode=None)
    response = page_client(world.officer).get("/search", params={"place": "skate"})
    assert f'href="/places/{place.id}"' in response.text
    assert "People found" not in response.text


@pytest.mark.parametrize(("params", "message"), [
    ({"dob-day": "31", "dob-month": "2", "dob-year": "1990"}, "Enter a real date"),
    ({"dob-day": "3", "dob-year": "1990"}, "The date must include a day, a month and a year"),
    ({"dob-day": "3", "dob-month": "2", "dob-year": "3000"},
     "The date must be today or in the past"),
    ({"postcode": "not a postcode"}, "Enter a real postcode"),
])
def test_bad_search_answers_show_the_error_summary(
    page_client: MakeClient, world: World, params: dict[str, str], message: str
) -> None:
    response = page_client(world.officer).get("/search", params=params)
    assert response.status_code == 422
    assert "<title>Error: Search for people and places" in response.text
    assert "There is a problem" in response.text and message in response.text
    assert "govuk-form-group--error" in response.text


def test_search_results_are_paginated(
    session: Session, page_client: MakeClient, world: World
) -> None:
    for number in range(25):
        make_person_record(session, world.police, given_name=f"Pat{number:02d}",
                           family_name="Quinlan")
    client = page_client(world.officer)
    first = client.get("/search", params={"name": "Quinlan"}).text
    assert "25 person records" in first and 'rel="next"' in first
    second = client.get("/search", params={"name": "Quinlan", "page": "2"}).text
    assert len(re.findall(r'href="/people/[0-9a-f-]{36}"', second)) == 5
    assert 'rel="prev"' in second


def test_the_htmx_search_answers_only_the_results(page_client: MakeClient, world: World) -> None:
    response = page_client(world.officer).get(
        "/search", params={"name": "Hale"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="search-results"')
    assert "<html" not in response.text


def test_the_search_page_in_german(page_client: MakeClient, world: World) -> None:
    client = page_client(world.officer)
    client.cookies.set("safetyhub_lang", "de")
    response = client.get("/search")
    assert "Nach Personen und Orten suchen" in response.text
    assert 'lang="de"' in response.text


# The person profile


def test_the_owner_sees_the_profile(page_client: MakeClient, world: World) -> None:
    response = page_client(world.council_worker).get(f"/people/{world.record.id}")
    assert response.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">Morgan Hale</h1>" in response.text
    assert "12 Elm Court, Guildford" in response.text
    assert "Person record held by Guildford Borough Council" in response.text
    assert "Why you can see it" not in response.text


def test_another_agency_gets_404_without_an_agreement(
    page_client: MakeClient, world: World
) -> None:
    for purpose in (None, Purpose.safeguarding, Purpose.crime_prevention):
        response = page_client(world.officer, purpose).get(f"/people/{world.record.id}")
        assert response.status_code == 404
        assert "Morgan" not in response.text and "Elm Court" not in response.text


def test_a_shared_record_shows_the_agreement_that_allows_it(
    session: Session, page_client: MakeClient, world: World
) -> None:
    _share_people(session, world, title="Guildford Community Safety ISA 2026")
    make_agreement(session, [world.police, world.council], purposes=[Purpose.crime_prevention],
                   categories=[DataCategory.person_identifiers], title="Not for this purpose")
    response = page_client(world.officer, Purpose.safeguarding).get(f"/people/{world.record.id}")
    assert response.status_code == 200
    assert "Why you can see it" in response.text
    assert "Agreement: Guildford Community Safety ISA 2026" in response.text
    assert "Not for this purpose" not in response.text
    assert len(reads_of(session, world.record.id)) == 1


def test_a_record_seen_through_a_shared_case_names_the_case(
    session: Session, page_client: MakeClient, world: World
) -> None:
    case = make_case(session, world.council, members=[world.police], subjects=[world.record],
                     title="Elm Court noise")
    response = page_client(world.officer, Purpose.asb_case_management).get(
        f"/people/{world.record.id}")
    assert response.status_code == 200
    assert "Shared case Elm Court noise" in response.text
    assert f'href="/cases/{case.id}"' in response.text


def test_other_records_of_the_person_with_their_agency_and_grounds(
    session: Session, page_client: MakeClient, world: World
) -> None:
    _share_people(session, world)
    own = make_person_record(session, world.police, given_name="Morgan", family_name="HALE")
    fire = make_org(session, "Surrey Fire and Rescue", kind=OrganisationKind.fire)
    make_person_record(session, fire, given_name="M", family_name="Hale", address="9 Secret Lane")
    other_birthday = make_person_record(session, world.council, given_name="Morgan",
                                        family_name="Hale", date_of_birth=date(1990, 1, 1))
    response = page_client(world.officer, Purpose.safeguarding).get(f"/people/{own.id}")
    assert response.status_code == 200
    others = response.text.split("Other records of this person you may see")[2]
    assert f'href="/people/{world.record.id}"' in others
    assert "Guildford Borough Council" in others and "Agreement: Guildford CSP ISA" in others
    assert f"/people/{other_birthday.id}" not in others
    assert "Also known to 1 other agency." in response.text
    assert "Surrey Fire and Rescue" not in response.text and "Secret Lane" not in response.text


def test_linked_records_and_the_timeline(
    session: Session, page_client: MakeClient, world: World
) -> None:
    _share_people(session, world)
    own = make_person_record(session, world.police, given_name="Morgan", family_name="Hale-Ross",
                             date_of_birth=None)
    identity = Identity(label="Morgan Hale")
    session.add(identity)
    session.flush()
    session.add_all([
        IdentityLink(identity_id=identity.id, person_record_id=own.id, method="human"),
        IdentityLink(identity_id=identity.id, person_record_id=world.record.id, method="human"),
    ])
    now = utcnow()
    older = make_incident(session, world.police, parties=[(own, PartyRole.victim)],
                          occurred_at=now - timedelta(days=30))
    newer = make_incident(session, world.police, parties=[(own, PartyRole.complainant)],
                          occurred_at=now - timedelta(days=1))
    hidden = make_incident(session, world.council, parties=[(world.record, PartyRole.victim)])
    case = make_case(session, world.police, subjects=[own], title="Hale-Ross support")
    referral = make_referral(session, world.police, world.council, person_record=own)
    response = page_client(world.officer, Purpose.safeguarding).get(f"/people/{own.id}")
    assert response.status_code == 200
    assert "Linked" in response.text and f"/people/{world.record.id}" in response.text
    timeline = response.text.split(">Timeline<")[1]
    assert timeline.index(f"/incidents/{newer.id}") < timeline.index(f"/incidents/{older.id}")
    assert f"/cases/{case.id}" in timeline and f"/referrals/{referral.id}" in timeline
    assert "Complainant" in timeline and "Victim" in timeline
    assert f"/incidents/{hidden.id}" not in response.text  # incidents are not shared


def test_a_name_with_a_script_is_shown_as_text(
    session: Session, page_client: MakeClient, world: World
) -> None:
    record = make_person_record(session, world.police, given_name="<script>alert(1)</script>")
    response = page_client(world.officer).get(f"/people/{record.id}")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Taylor" in response.text


def test_the_profile_in_german(page_client: MakeClient, world: World) -> None:
    client = page_client(world.council_worker)
    client.cookies.set("safetyhub_lang", "de")
    response = client.get(f"/people/{world.record.id}")
    assert "Geburtsdatum" in response.text and "Verlauf" in response.text


# Recording a person


def _new_person(client: PageClient, **changes: str) -> dict[str, str]:
    return {"csrf_token": client.csrf_token, "given_name": "Ali", "family_name": "Reed",
            "dob-day": "3", "dob-month": "2", "dob-year": "1990", "address": "1 High Street",
            "postcode": "gu1 1aa", "phone": "01483 111111", "agency_identifier": "P-9",
            "sensitivity": "standard"} | changes


def test_recording_a_person_returns_to_their_profile(
    session: Session, page_client: MakeClient, world: World
) -> None:
    client = page_client(world.officer)
    form = client.get("/people/new")
    assert form.status_code == 200 and "Record a person" in form.text
    response = client.post("/people/new", data=_new_person(client), follow_redirects=False)
    assert response.status_code == 303
    record = session.scalars(select(PersonRecord).where(PersonRecord.family_name == "Reed")).one()
    assert response.headers["location"] == f"/people/{record.id}?created=1"
    assert record.organisation_id == world.police.id and record.postcode == "GU1 1AA"
    assert record.date_of_birth == date(1990, 2, 3)
    event = session.scalar(select(AuditEvent).where(AuditEvent.object_id == str(record.id)))
    assert event is not None and event.action == "create_person_record"
    profile = client.get(response.headers["location"])
    assert "Person recorded" in profile.text


@pytest.mark.parametrize(("changes", "anchor", "message"), [
    ({"family_name": " "}, "family_name", "Enter the family name"),
    ({"given_name": "x" * 101}, "given_name", "Enter 100 characters or fewer"),
    ({"dob-year": "2999"}, "dob-day", "The date must be today or in the past"),
    ({"postcode": "nope"}, "postcode", "Enter a real postcode"),
    ({"phone": "call me"}, "phone", "Enter a phone number"),
    ({"sensitivity": "secret"}, "sensitivity", "Choose how sensitive the record is"),
])
def test_recording_a_person_with_mistakes_writes_nothing(
    session: Session, page_client: MakeClient, world: World,
    changes: dict[str, str], anchor: str, message: str,
) -> None:
    client = page_client(world.officer)
    before = _records(session)
    response = client.post("/people/new", data=_new_person(client, **changes))
    assert response.status_code == 422
    assert f'href="#{anchor}">{message}' in response.text
    assert 'value="1 High Street"' in response.text  # what was typed is kept
    assert _records(session) == before


def test_recording_a_person_needs_the_csrf_token(
    session: Session, page_client: MakeClient, world: World
) -> None:
    client = page_client(world.officer)
    before = _records(session)
    for token in ("forged", ""):
        response = client.post("/people/new", data=_new_person(client, csrf_token=token))
        assert response.status_code == 403
    assert _records(session) == before


def test_analysts_do_not_record_people(
    session: Session, page_client: MakeClient, world: World
) -> None:
    analyst = page_client(make_user(session, world.police, Role.analyst))
    assert analyst.get("/people/new").status_code == 403
    before = _records(session)
    assert analyst.post("/people/new", data=_new_person(analyst)).status_code == 403
    assert _records(session) == before
