"""The place profile and adding a place, through the pages and the access policy."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.places.models import Place
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from tests.conftest import PageClient
from tests.factories import (
    make_agreement,
    make_case,
    make_incident,
    make_org,
    make_place,
    make_user,
)

MakeClient = Callable[..., PageClient]


def _month_rows(page_html: str) -> dict[str, str]:
    """The incidents-by-month table as month -> count."""
    table = page_html.split('id="incidents-by-month"')[1].split("</table>")[0]
    return dict(re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]+)</td>', table))


@pytest.fixture
def police(session: Session) -> Organisation:
    return make_org(session, "Surrey Police")


@pytest.fixture
def council(session: Session) -> Organisation:
    return make_org(session, "Guildford Borough Council", kind=OrganisationKind.council)


@pytest.fixture
def officer(session: Session, police: Organisation) -> User:
    return make_user(session, police)


@pytest.fixture
def place(session: Session) -> Place:
    return make_place(session, address="Elm Court, Guildford")


def _places(session: Session) -> int:
    return int(session.scalar(select(func.count(Place.id))) or 0)


def test_the_place_shows_incidents_by_month_and_cases(
    session: Session, page_client: MakeClient, police: Organisation, officer: User, place: Place
) -> None:
    march = [make_incident(session, police, place=place,
                           occurred_at=datetime(2025, 3, day, 12, tzinfo=UTC)) for day in (2, 9)]
    april = make_incident(session, police, place=place,
                          occurred_at=datetime(2025, 4, 30, 23, 30, tzinfo=UTC))  # 1 May in London
    case = make_case(session, police, title="Elm Court problem-solving")
    case.place_id = place.id
    session.flush()
    response = page_client(officer).get(f"/places/{place.id}")
    assert response.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">Elm Court, Guildford</h1>" in response.text
    assert _month_rows(response.text) == {"May 2025": "1", "March 2025": "2"}
    for incident in [*march, april]:
        assert f"/incidents/{incident.id}" in response.text
    assert f'href="/cases/{case.id}"' in response.text
    assert "Elm Court problem-solving" in response.text


def test_another_agencys_hidden_incidents_and_cases_are_neither_listed_nor_counted(
    session: Session, page_client: MakeClient, police: Organisation, council: Organisation,
    officer: User, place: Place,
) -> None:
    own = make_incident(session, police, place=place,
                        occurred_at=datetime(2025, 3, 2, 12, tzinfo=UTC))
    hidden = make_incident(session, council, place=place,
                           occurred_at=datetime(2025, 3, 3, 12, tzinfo=UTC))
    hidden_case = make_case(session, council, title="Council-only case")
    hidden_case.place_id = place.id
    session.flush()
    for purpose in (None, Purpose.safeguarding):
        response = page_client(officer, purpose).get(f"/places/{place.id}")
        assert response.status_code == 200
        assert _month_rows(response.text) == {"March 2025": "1"}
        assert f"/incidents/{own.id}" in response.text
        assert f"/incidents/{hidden.id}" not in response.text
        assert "1 incident you may see" in response.text
        assert "Council-only case" not in response.text
    make_agreement(session, [police, council], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.incidents, DataCategory.case_notes])
    shared = page_client(officer, Purpose.safeguarding).get(f"/places/{place.id}")
    assert _month_rows(shared.text) == {"March 2025": "2"}
    assert f"/incidents/{hidden.id}" in shared.text and "Council-only case" in shared.text
    assert session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "read", AuditEvent.object_id == str(hidden_case.id))) == 1


def test_an_unknown_place_is_404(page_client: MakeClient, officer: User) -> None:
    response = page_client(officer).get("/places/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


def test_incidents_at_a_place_are_paginated(
    session: Session, page_client: MakeClient, police: Organisation, officer: User, place: Place
) -> None:
    for day in range(1, 26):
        make_incident(session, police, place=place,
                      occurred_at=datetime(2025, 1, day, 12, tzinfo=UTC))
    client = page_client(officer)
    first = client.get(f"/places/{place.id}").text
    assert _month_rows(first) == {"January 2025": "25"}
    assert f'href="/places/{place.id}?page=2"' in first
    second = client.get(f"/places/{place.id}?page=2").text
    assert len(re.findall(r'href="/incidents/[0-9a-f-]{36}"', second)) == 5


def test_an_address_with_a_script_is_shown_as_text(
    session: Session, page_client: MakeClient, officer: User
) -> None:
    place = make_place(session, address="<script>alert(1)</script> Court")
    response = page_client(officer).get(f"/places/{place.id}")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Court" in response.text


def test_the_place_in_german(page_client: MakeClient, officer: User, place: Place) -> None:
    client = page_client(officer)
    client.cookies.set("safetyhub_lang", "de")
    response = client.get(f"/places/{place.id}")
    assert "Vorfälle an diesem Ort im Zeitverlauf" in response.text


# Adding a place


def _new_place(client: PageClient, **changes: str) -> dict[str, str]:
    return {"csrf_token": client.csrf_token, "address": "3 Station Approach, Woking",
            "postcode": "gu22 7aa", "district": "Woking", "uprn": "100061"} | changes


def test_adding_a_place_shows_it(session: Session, page_client: MakeClient, officer: User) -> None:
    client = page_client(officer)
    assert client.get("/places/new").status_code == 200
    response = client.post("/places/new", data=_new_place(client), follow_redirects=False)
    assert response.status_code == 303
    place = session.scalars(select(Place).where(Place.uprn == "100061")).one()
    assert response.headers["location"] == f"/places/{place.id}?created=1"
    assert place.postcode == "GU22 7AA" and place.district == "Woking"
    event = session.scalar(select(AuditEvent).where(AuditEvent.object_id == str(place.id)))
    assert event is not None and event.action == "create_place"
    assert "Place added" in client.get(response.headers["location"]).text


@pytest.mark.parametrize(("changes", "anchor", "message"), [
    ({"address": ""}, "address", "Enter the address or a description of the place"),
    ({"postcode": "12345"}, "postcode", "Enter a real postcode"),
    ({"uprn": "12a"}, "uprn", "Enter a UPRN of up to 12 numbers"),
    ({"district": "x" * 101}, "district", "Enter 100 characters or fewer"),
])
def test_adding_a_place_with_mistakes_writes_nothing(
    session: Session, page_client: MakeClient, officer: User,
    changes: dict[str, str], anchor: str, message: str,
) -> None:
    client = page_client(officer)
    before = _places(session)
    response = client.post("/places/new", data=_new_place(client, **changes))
    assert response.status_code == 422
    assert f'href="#{anchor}">{message}' in response.text
    assert _places(session) == before


def test_adding_a_place_needs_the_csrf_token(
    session: Session, page_client: MakeClient, officer: User
) -> None:
    client = page_client(officer)
    before = _places(session)
    assert client.post("/places/new", data=_new_place(client, csrf_token="x")).status_code == 403
    assert _places(session) == before


def test_admins_do_not_add_places(
    session: Session, page_client: MakeClient, police: Organisation
) -> None:
    admin = page_client(make_user(session, police, Role.admin))
    assert admin.get("/places/new").status_code == 403
    before = _places(session)
    assert admin.post("/places/new", data=_new_place(admin)).status_code == 403
    assert _places(session) == before
