"""Case conference pages: the list, convening, the conference page, and its forms."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.conferences import service
from safetyhub.conferences.models import Conference, ConferenceKind, ConferenceNote
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.timeutil import london_today
from tests.conferences.conftest import World, convene, make_alert, police_case_item
from tests.conftest import PageClient
from tests.factories import actor, make_user

Clients = Callable[..., PageClient]
SECRET = "Disclosed at panel: the victim is staying with her sister"
SCRIPT = "<script>alert('x')</script>"


def _written(session: Session) -> list[int]:
    return [int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Conference, ConferenceNote, AuditEvent)]


def _new_form(world: World, **changes: object) -> dict[str, object]:
    day = london_today() + timedelta(days=7)
    return {"kind": "community_marac", "title": "Guildford community MARAC",
            "held-day": str(day.day), "held-month": str(day.month), "held-year": str(day.year),
            "agreement": str(world.agreement.id), "purpose": "asb_case_management",
            "members": [str(world.council.id), str(world.housing.id)], **changes}


def test_a_supervisor_convenes_a_conference_through_the_form(
    page_client: Clients, session: Session, world: World
) -> None:
    chair = page_client(world.chair)
    form = chair.get("/conferences/new")
    assert form.status_code == 200 and "Community MARAC protocol" in form.text
    response = chair.post("/conferences/new", data={**_new_form(world),
                                                    "csrf_token": chair.csrf_token},
                          follow_redirects=False)
    assert response.status_code == 303, response.text
    page = chair.get(response.headers["location"])
    assert page.status_code == 200 and "Guildford community MARAC" in page.text
    assert "Elm Housing Association" in page.text and "Mark as attended" in page.text
    listing = chair.get("/conferences")
    assert "Guildford community MARAC" in listing.text and "1 conference" in listing.text
    assert 'href="/conferences"' in listing.text  # the navigation item


def test_the_form_says_what_is_wrong_and_writes_nothing(
    page_client: Clients, session: Session, world: World
) -> None:
    chair = page_client(world.chair)
    before = _written(session)
    response = chair.post("/conferences/new", data={
        **_new_form(world, title="", purpose="nonsense"), "csrf_token": chair.csrf_token})
    assert response.status_code == 422
    assert "Enter a title for the conference" in response.text
    assert "Choose the purpose of the conference" in response.text
    marac = chair.post("/conferences/new", data={
        **_new_form(world, kind="marac"), "csrf_token": chair.csrf_token})
    assert marac.status_code == 422 and "special category" in marac.text
    assert _written(session) == before


def test_forms_without_a_valid_csrf_token_are_refused(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    _, item = police_case_item(session, world, conference)
    chair = page_client(world.chair)
    before = _written(session)
    for token in ("", "forged"):
        data = {**_new_form(world), "csrf_token": token} if token else _new_form(world)
        assert chair.post("/conferences/new", data=data).status_code == 403
        note = chair.post(f"/conferences/{conference.id}/items/{item.id}/notes",
                          data={"text": "x", "csrf_token": token})
        assert note.status_code == 403
        closing = chair.post(f"/conferences/{conference.id}/close", data={"csrf_token": token})
        assert closing.status_code == 403
    assert _written(session) == before


def test_wrong_role_cannot_convene(page_client: Clients, session: Session, world: World) -> None:
    officer = page_client(world.police_officer)
    assert officer.get("/conferences/new").status_code == 403
    before = _written(session)
    response = officer.post("/conferences/new",
                            data={**_new_form(world), "csrf_token": officer.csrf_token})
    assert response.status_code == 403 and _written(session) == before
    assert "Convene a conference" not in officer.get("/conferences").text


def test_notes_show_only_to_attending_agencies_and_outsiders_get_404(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    _, item = police_case_item(session, world, conference)
    council = page_client(world.council_officer)
    response = council.post(f"/conferences/{conference.id}/items/{item.id}/notes",
                            data={"text": SECRET, "csrf_token": council.csrf_token},
                            follow_redirects=False)
    assert response.status_code == 303
    assert SECRET in council.get(f"/conferences/{conference.id}").text
    absent = page_client(world.housing_officer).get(f"/conferences/{conference.id}")
    assert absent.status_code == 200 and SECRET not in absent.text
    assert "cannot read the discussion notes" in absent.text
    for user in (world.health_officer, world.health_admin, world.council_admin):
        outsider = page_client(user)
        page = outsider.get(f"/conferences/{conference.id}")
        assert page.status_code == 404 and SECRET not in page.text
        listing = outsider.get("/conferences")
        assert "Guildford community MARAC" not in listing.text
        assert "0 conferences" in listing.text


def test_another_agencys_alert_shows_as_not_visible(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    alert = make_alert(session, world.police, indicator="cuckooing_signs")
    service.add_item(session, actor=actor(world.police_officer), conference_id=conference.id,
                     alert_id=alert.id)
    council = page_client(world.council_officer).get(f"/conferences/{conference.id}")
    assert "not visible to you" in council.text and str(alert.id) not in council.text
    police = page_client(world.police_officer).get(f"/conferences/{conference.id}")
    assert f"/alerts/{alert.id}" in police.text


def test_text_is_escaped(page_client: Clients, session: Session, world: World) -> None:
    chair = page_client(world.chair)
    response = chair.post("/conferences/new", data={
        **_new_form(world, title=f"Panel {SCRIPT}"), "csrf_token": chair.csrf_token},
        follow_redirects=False)
    url = response.headers["location"]
    conference = session.get(Conference, uuid.UUID(url.rsplit("/", 1)[1]))
    assert conference is not None
    _, item = police_case_item(session, world, conference)
    chair.post(f"{url}/items/{item.id}/notes", data={"text": SCRIPT,
                                                    "csrf_token": chair.csrf_token})
    chair.post(f"{url}/minutes", data={"minutes": SCRIPT, "csrf_token": chair.csrf_token})
    page = chair.get(url)
    assert SCRIPT not in page.text and "&lt;script&gt;" in page.text
    assert SCRIPT not in chair.get("/conferences").text


def test_the_chair_records_attendance_actions_minutes_and_closes(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    police_case_item(session, world, conference)
    chair = page_client(world.chair)
    url = f"/conferences/{conference.id}"
    token = chair.csrf_token
    assert chair.post(f"{url}/attendance", data={
        "organisation": str(world.housing.id), "attended": "yes", "csrf_token": token},
        follow_redirects=False).status_code == 303
    due = london_today() + timedelta(days=10)
    assert chair.post(f"{url}/actions", data={
        "organisation": str(world.housing.id), "description": "Check the tenancy",
        "due-day": str(due.day), "due-month": str(due.month), "due-year": str(due.year),
        "csrf_token": token}, follow_redirects=False).status_code == 303
    housing = page_client(world.housing_officer).get(url)
    assert "Check the tenancy" in housing.text
    assert chair.post(f"{url}/close", data={"csrf_token": token}).status_code == 422
    chair.post(f"{url}/minutes", data={"minutes": "Joint visit agreed.", "csrf_token": token})
    assert chair.post(f"{url}/close", data={"csrf_token": token},
                      follow_redirects=False).status_code == 303
    closed = chair.get(url)
    assert "Joint visit agreed." in closed.text and "Save the minutes" not in closed.text


def test_the_chair_invites_a_party_to_the_agreement(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    chair = page_client(world.chair)
    url = f"/conferences/{conference.id}"
    page = chair.get(url)
    assert "Invite another agency" in page.text and "Surrey Heartlands Health" in page.text
    outsider = page_client(world.health_officer)
    assert outsider.get(url).status_code == 404
    response = chair.post(f"{url}/members", data={
        "organisation": str(world.health.id), "csrf_token": chair.csrf_token},
        follow_redirects=False)
    assert response.status_code == 303
    assert outsider.get(url).status_code == 200
    council = page_client(world.council_supervisor)
    assert "Invite another agency" not in council.get(url).text
    refused = council.post(f"{url}/members", data={
        "organisation": str(world.health.id), "csrf_token": council.csrf_token})
    assert refused.status_code == 403


def test_the_marac_list_links_the_coming_marac(
    page_client: Clients, session: Session, world: World
) -> None:
    chair = page_client(world.chair)
    assert 'id="next-conference"' not in chair.get("/marac").text
    convene(session, world)  # a community MARAC is not the MARAC
    marac = convene(session, world, kind=ConferenceKind.marac, purpose=Purpose.safeguarding)
    page = chair.get("/marac")
    assert page.status_code == 200
    assert f'href="/conferences/{marac.id}"' in page.text
    # A supervisor of an agency not invited to it gets no link (nor its title).
    outsider = page_client(make_user(session, world.health, Role.supervisor)).get("/marac")
    assert outsider.status_code == 200 and "next-conference" not in outsider.text
    assert "Guildford community MARAC" not in outsider.text
