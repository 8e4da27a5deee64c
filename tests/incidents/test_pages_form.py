"""The multi-step "record an incident" form, step by step, through the pages."""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.incidents.models import Incident, IncidentParty
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import local, utcnow
from tests.conftest import PageClient
from tests.factories import make_agreement, make_person_record, make_user
from tests.incidents.support import World

MakeClient = Callable[..., PageClient]


def carried(page_html: str) -> dict[str, str]:
    """The sealed draft and the CSRF token a step's page carries (from its first form)."""
    fields = {}
    for name in ("csrf_token", "draft", "signature", "return_to_check"):
        match = re.search(rf'name="{name}" value="([^"]*)"', page_html)
        assert match, f"no {name} field on the page"
        fields[name] = html.unescape(match.group(1))
    return fields


def heading(page_html: str) -> str:
    """The page's h1 (or the label that is the h1) as text."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page_html, re.S)
    assert match, "no h1"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def incident_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Incident.id))) or 0)


def post_step(client: PageClient, address: str, page_html: str, **answers: str) -> str:
    """Answer one step of the form the page shows, carrying its draft; the next page's HTML."""
    response = client.post(f"/incidents/new/{address}", data=carried(page_html) | answers)
    assert response.status_code == 200, response.text[:2000]
    return response.text


def when_answers(hours_ago: int = 3) -> dict[str, str]:
    moment = local(utcnow() - timedelta(hours=hours_ago))
    return {"when-day": str(moment.day), "when-month": str(moment.month),
            "when-year": str(moment.year), "when-hour": f"{moment.hour:02d}",
            "when-minute": f"{moment.minute:02d}"}


def test_the_whole_form_records_one_incident_with_its_parties(
    session: Session, page_client: MakeClient, world: World
) -> None:
    make_agreement(session, [world.police, world.council], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.person_identifiers], title="Guildford CSP ISA")
    client = page_client(world.officer, Purpose.safeguarding)
    before = incident_count(session)

    page = client.get("/incidents/new")
    assert page.status_code == 200
    assert heading(page.text) == "What happened?"
    assert "question 1 of 4" in page.text

    # (a) what happened, first with a mistake
    bad = client.post("/incidents/new/what",
                      data=carried(page.text) | {"category": ""} | when_answers())
    assert bad.status_code == 422
    assert "Error: What happened?" in bad.text
    assert 'href="#category">Choose what happened' in bad.text
    where = post_step(client, "what", bad.text, category="asb_personal", **when_answers())
    assert heading(where) == "Where did it happen?"

    # (b) where: look the place up by postcode, choose it
    found = post_step(client, "where", where, action="search", place_query="gu1 4rr")
    assert "Elm Court, Guildford" in found
    who = post_step(client, "where", found, place_choice=str(world.place.id))
    assert heading(who) == "Who was involved?"

    # (c) who: two people added (one shared by the council), one removed again
    matches = post_step(client, "who", who, action="search", person_query="Okafor")
    assert "Sam Okafor" in matches
    added = post_step(client, "who", matches, action="add",
                      person=str(world.police_person.id), role="victim", person_query="Okafor")
    matches = post_step(client, "who", added, action="search", person_query="Hale")
    assert "Guildford Borough Council" in matches
    added = post_step(client, "who", matches, action="add",
                      person=str(world.council_person.id), role="witness", person_query="Hale")
    added = post_step(client, "who", added, action="add",
                      person=str(world.council_person.id), role="complainant", person_query="Hale")
    removed = post_step(client, "who", added, remove=f"{world.council_person.id}:complainant")
    assert "Complainant" not in removed.split("People added")[1].split("Find a person")[0]
    details = post_step(client, "who", removed, action="continue")
    assert heading(details) == "Describe what happened"

    # (d) narrative and sensitivity, first left blank
    blank = client.post("/incidents/new/details",
                        data=carried(details) | {"narrative": "  ", "sensitivity": "standard"})
    assert blank.status_code == 422
    assert 'href="#narrative">Describe what happened' in blank.text
    check = post_step(client, "details", blank.text, narrative="Threats shouted at a neighbour.",
                      sensitivity="sensitive")
    assert heading(check) == "Check your answers before recording the incident"
    assert "Sam Okafor" in check and "Morgan Hale" in check and "Elm Court" in check

    # (e) Change the place from the check page: back to that question, then straight back
    change = post_step(client, "go", check, step="where")
    assert heading(change) == "Where did it happen?"
    assert carried(change)["return_to_check"] == "1"
    back = post_step(client, "where", change, place_choice="none", district="Woking")
    assert heading(back) == "Check your answers before recording the incident"
    assert "No fixed place, Woking" in back
    assert incident_count(session) == before  # nothing is written before the last step

    response = client.post("/incidents/new/check", data=carried(back), follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/incidents/[0-9a-f-]{36}\?recorded=1", location)
    assert incident_count(session) == before + 1
    incident = session.scalars(select(Incident).where(
        Incident.organisation_id == world.police.id).order_by(Incident.created_at.desc())).first()
    assert incident is not None and incident.place_id is None and incident.district == "Woking"
    assert incident.narrative == "Threats shouted at a neighbour."
    assert incident.sensitivity == "sensitive" and incident.category == "asb_personal"
    parties = {(p.person_record_id, p.role) for p in session.scalars(
        select(IncidentParty).where(IncidentParty.incident_id == incident.id))}
    assert parties == {(world.police_person.id, "victim"), (world.council_person.id, "witness")}
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "create_incident", AuditEvent.object_id == str(incident.id))).all()
    assert len(events) == 1
    assert "Threats shouted" not in events[0].summary

    shown = client.get(location)
    assert shown.status_code == 200
    assert "Incident recorded" in shown.text and "govuk-notification-banner--success" in shown.text


def _through_to_check(client: PageClient, world: World) -> str:
    page = client.get("/incidents/new").text
    page = post_step(client, "what", page, category="asb_nuisance", **when_answers())
    page = post_step(client, "where", page, place_choice=str(world.place.id))
    page = post_step(client, "who", page, action="continue")
    return post_step(client, "details", page, narrative="Loud music.", sensitivity="standard")


def test_a_tampered_draft_is_refused_and_nothing_is_written(
    session: Session, page_client: MakeClient, world: World
) -> None:
    client = page_client(world.officer)
    check = _through_to_check(client, world)
    fields = carried(check)
    draft = json.loads(base64.urlsafe_b64decode(fields["draft"]))
    draft["parties"] = [{"person_record_id": str(world.council_person.id), "role": "victim"}]
    forged = base64.urlsafe_b64encode(json.dumps(draft).encode()).decode()
    before = incident_count(session)
    response = client.post("/incidents/new/check", data=fields | {"draft": forged})
    assert response.status_code == 400
    assert "could not be checked" in response.text
    assert client.post("/incidents/new/check",
                       data=fields | {"signature": "0" * 64}).status_code == 400
    assert incident_count(session) == before


def test_a_draft_from_another_session_is_refused(
    session: Session, page_client: MakeClient, world: World
) -> None:
    check = _through_to_check(page_client(world.officer), world)
    other = page_client(world.officer)  # the same user, signed in elsewhere
    before = incident_count(session)
    data = carried(check) | {"csrf_token": other.csrf_token}
    assert other.post("/incidents/new/check", data=data).status_code == 400
    assert incident_count(session) == before


def test_a_forged_csrf_token_is_refused_and_nothing_is_written(
    session: Session, page_client: MakeClient, world: World
) -> None:
    client = page_client(world.officer)
    check = _through_to_check(client, world)
    before = incident_count(session)
    for token in ("forged", ""):
        response = client.post("/incidents/new/check",
                               data=carried(check) | {"csrf_token": token})
        assert response.status_code == 403
    assert incident_count(session) == before


def test_a_person_the_user_may_not_see_cannot_be_added(
    session: Session, page_client: MakeClient, world: World
) -> None:
    client = page_client(world.officer, Purpose.safeguarding)  # no agreement with the council
    page = client.get("/incidents/new").text
    page = post_step(client, "what", page, category="asb_nuisance", **when_answers())
    who = post_step(client, "where", page, place_choice=str(world.place.id))
    hidden = post_step(client, "who", who, action="search", person_query="Hale")
    assert "Morgan" not in hidden
    assert "Also known to 1 other agency" in hidden
    response = client.post("/incidents/new/who", data=carried(who) | {
        "action": "add", "person": str(world.council_person.id), "role": "victim"})
    assert response.status_code == 422
    assert "Morgan" not in response.text


def test_a_future_time_is_refused_at_the_first_step(
    page_client: MakeClient, world: World
) -> None:
    client = page_client(world.officer)
    page = client.get("/incidents/new").text
    tomorrow = local(utcnow() + timedelta(days=1))
    response = client.post("/incidents/new/what", data=carried(page) | {
        "category": "asb_nuisance", "when-day": str(tomorrow.day),
        "when-month": str(tomorrow.month), "when-year": str(tomorrow.year),
        "when-hour": "10", "when-minute": "00"})
    assert response.status_code == 422
    assert "The date must be today or in the past" in response.text
    nonsense = client.post("/incidents/new/what", data=carried(page) | {
        "category": "asb_nuisance", "when-day": "31", "when-month": "2", "when-year": "2024",
        "when-hour": "25", "when-minute": "00"})
    assert nonsense.status_code == 422
    assert "Enter a real date" in nonsense.text and "Enter a real time" in nonsense.text


def test_a_step_opened_directly_starts_the_form_again(
    page_client: MakeClient, world: World
) -> None:
    response = page_client(world.officer).get("/incidents/new/check", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/incidents/new"


@pytest.mark.parametrize("role", [Role.analyst, Role.admin])
def test_only_recording_roles_see_the_form(
    session: Session, page_client: MakeClient, world: World, role: Role
) -> None:
    user = make_user(session, world.police, role)
    assert page_client(user).get("/incidents/new").status_code == 403


def test_the_form_in_german(page_client: MakeClient, world: World) -> None:
    client = page_client(world.officer)
    client.cookies.set("safetyhub_lang", "de")
    page = client.get("/incidents/new")
    assert page.status_code == 200
    assert heading(page.text) == "Was ist passiert?"


def test_names_in_the_person_look_up_are_escaped(
    session: Session, page_client: MakeClient, world: World
) -> None:
    make_person_record(session, world.police, given_name="<script>alert(1)</script>",
                       family_name="Smith")
    client = page_client(world.officer)
    page = client.get("/incidents/new").text
    page = post_step(client, "what", page, category="asb_nuisance", **when_answers())
    who = post_step(client, "where", page, place_choice=str(world.place.id))
    found = post_step(client, "who", who, action="search", person_query="Smith")
    assert "<script>alert(1)</script>" not in found
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in found
