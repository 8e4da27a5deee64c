"""The incident page and the incident list, through the access policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from safetyhub.incidents.models import IncidentCategory, PartyRole
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from tests.conftest import PageClient
from tests.factories import make_agreement, make_incident, make_person_record, make_user
from tests.incidents.support import World, reads_of

MakeClient = Callable[..., PageClient]


def _share_incidents(session: Session, world: World) -> None:
    make_agreement(session, [world.police, world.council], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.incidents], title="Guildford CSP incident sharing")


# One incident


def test_the_recording_agency_sees_its_incident(
    session: Session, page_client: MakeClient, world: World
) -> None:
    worker = make_user(session, world.council)
    response = page_client(worker).get(f"/incidents/{world.council_incident.id}")
    assert response.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">ASB – nuisance</h1>" in response.text
    assert "Loud music and shouting after midnight." in response.text
    assert "Morgan Hale" in response.text and "Victim" in response.text
    assert f'href="/places/{world.place.id}"' in response.text
    assert "Incident recorded by Guildford Borough Council" in response.text


def test_another_agency_gets_404_and_sees_nothing(
    page_client: MakeClient, world: World
) -> None:
    for purpose in (None, Purpose.safeguarding):
        client = page_client(world.officer, purpose)
        response = client.get(f"/incidents/{world.council_incident.id}")
        assert response.status_code == 404
        assert "Loud music" not in response.text and "Morgan" not in response.text


def test_a_shared_incident_shows_only_the_parties_the_reader_may_see(
    session: Session, page_client: MakeClient, world: World
) -> None:
    _share_incidents(session, world)  # incidents, not person identifiers
    response = page_client(world.officer, Purpose.safeguarding).get(
        f"/incidents/{world.council_incident.id}")
    assert response.status_code == 200
    assert "Loud music" in response.text
    assert "Morgan" not in response.text
    assert "1 other person recorded by another agency" in response.text
    assert len(reads_of(session, world.council_incident.id)) == 1


def test_a_narrative_with_a_script_is_shown_as_text(
    session: Session, page_client: MakeClient, world: World
) -> None:
    incident = make_incident(session, world.police,
                             narrative="<script>alert(1)</script>\nSecond line & more")
    response = page_client(world.officer).get(f"/incidents/{incident.id}")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line &amp; more" in response.text


def test_the_success_banner_shows_only_after_recording(
    page_client: MakeClient, session: Session, world: World
) -> None:
    incident = make_incident(session, world.police)
    client = page_client(world.officer)
    assert "Incident recorded" in client.get(f"/incidents/{incident.id}?recorded=1").text
    assert "govuk-notification-banner--success" not in client.get(f"/incidents/{incident.id}").text


def test_an_unknown_incident_is_404(page_client: MakeClient, world: World) -> None:
    response = page_client(world.officer).get("/incidents/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


# The list


def test_the_list_shows_only_incidents_the_reader_may_see(
    session: Session, page_client: MakeClient, world: World
) -> None:
    own = make_incident(session, world.police, category=IncidentCategory.burglary)
    client = page_client(world.officer, Purpose.safeguarding)
    response = client.get("/incidents")
    assert response.status_code == 200
    assert f"/incidents/{own.id}" in response.text
    assert f"/incidents/{world.council_incident.id}" not in response.text
    assert "1 incident" in response.text
    _share_incidents(session, world)
    shared = client.get("/incidents")
    assert f"/incidents/{world.council_incident.id}" in shared.text
    assert "2 incidents" in shared.text


def test_the_list_filters_by_category_dates_and_district(
    session: Session, page_client: MakeClient, world: World
) -> None:
    old = make_incident(session, world.police, category=IncidentCategory.burglary,
                        occurred_at=datetime(2025, 1, 10, 12, tzinfo=UTC))
    recent = make_incident(session, world.police, category=IncidentCategory.drugs)
    client = page_client(world.officer)
    by_category = client.get("/incidents", params={"category": "burglary"}).text
    assert f"/incidents/{old.id}" in by_category and f"/incidents/{recent.id}" not in by_category
    january = client.get("/incidents", params={
        "from-day": "1", "from-month": "1", "from-year": "2025",
        "to-day": "31", "to-month": "1", "to-year": "2025"}).text
    assert f"/incidents/{old.id}" in january and f"/incidents/{recent.id}" not in january
    elsewhere = client.get("/incidents", params={"district": "Woking"}).text
    assert "0 incidents" in elsewhere


def test_bad_filters_show_the_error_summary(page_client: MakeClient, world: World) -> None:
    client = page_client(world.officer)
    response = client.get("/incidents", params={
        "from-day": "1", "from-month": "2", "from-year": "2025",
        "to-day": "1", "to-month": "1", "to-year": "2025", "category": "gossip"})
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "The end date must be the same as or after the start date" in response.text
    assert "Choose a category from the list" in response.text


def test_the_list_is_paginated(session: Session, page_client: MakeClient, world: World) -> None:
    start = datetime.now(UTC) - timedelta(days=60)
    for day in range(30):
        make_incident(session, world.police, occurred_at=start + timedelta(days=day))
    client = page_client(world.officer)
    first = client.get("/incidents").text
    assert "30 incidents" in first and 'class="govuk-pagination"' in first
    assert 'href="/incidents?page=2"' in first
    second = client.get("/incidents?page=2").text
    assert second.count('class="govuk-table__row"') == 1 + 5  # header row and five incidents


def test_the_htmx_filter_answers_only_the_results(
    page_client: MakeClient, session: Session, world: World
) -> None:
    make_incident(session, world.police)
    response = page_client(world.officer).get("/incidents", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="incident-results"')
    assert "<html" not in response.text


def test_the_incident_page_in_german(
    session: Session, page_client: MakeClient, world: World
) -> None:
    hidden = make_person_record(session, world.council, given_name="Kim", family_name="Ray",
                                sensitivity=Sensitivity.standard)
    incident = make_incident(session, world.police, parties=[(hidden, PartyRole.witness)])
    client = page_client(world.officer)
    client.cookies.set("safetyhub_lang", "de")
    response = client.get(f"/incidents/{incident.id}")
    assert response.status_code == 200
    assert 'lang="de"' in response.text
    assert "Beteiligte Personen" in response.text
    assert "Kim" not in response.text
