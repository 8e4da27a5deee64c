"""Trying to break in: what a conference reveals is audited with its purpose, notes never leak
through counts, other conferences' ids or error messages, and audit summaries hold no free text."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.conferences import service
from safetyhub.conferences.models import ConferenceActionStatus, ConferenceKind
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.timeutil import london_today
from tests.conferences.conftest import World, convene, make_dash, police_case_item
from tests.conftest import PageClient
from tests.factories import actor, headers_for, make_person_record_row

Clients = Callable[..., PageClient]
SECRET = "Disclosed at panel: the victim is staying with her sister at 9 Oak Row"
MINUTES = "Minutes: Jo Bloggs, born 1 May 1990, moved to 9 Oak Row"
DESCRIPTION = "Tell Jo Bloggs about the injunction"


def _reads(session: Session, object_type: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.object_type == object_type)))


def test_reading_the_minutes_is_a_disclosure_with_the_conference_purpose(
    client: TestClient, session: Session, world: World
) -> None:
    conference = convene(session, world)
    service.record_minutes(session, actor=actor(world.chair), conference_id=conference.id,
                           minutes=MINUTES)
    url = f"/api/conferences/{conference.id}"
    client.get(url, headers=headers_for(session, world.chair))
    assert _reads(session, "conference_minutes") == []  # the chair's own record
    council = client.get(url, headers=headers_for(session, world.council_officer)).json()
    assert council["minutes"] == MINUTES
    [event] = _reads(session, "conference_minutes")
    assert event.purpose == "asb_case_management"
    assert event.owner_organisation_id == world.police.id
    housing = client.get(url, headers=headers_for(session, world.housing_officer))
    assert MINUTES not in housing.text and housing.json()["minutes"] is None
    assert len(_reads(session, "conference_minutes")) == 1


def test_listing_another_agencys_marac_referral_to_choose_from_is_audited(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world, kind=ConferenceKind.marac, purpose=Purpose.safeguarding)
    victim = make_person_record_row(session, world.police, given_name="Dana", family_name="Reed")
    assessment = make_dash(session, world.police, victim)
    page = page_client(world.council_officer).get(f"/conferences/{conference.id}")
    assert f"dash:{assessment.id}" in page.text
    [event] = _reads(session, "dash_assessment")
    assert event.object_id == str(assessment.id) and event.purpose == "safeguarding"
    # An agency that may not add to the agenda is shown (and audited) nothing to choose.
    admin_view = page_client(world.council_admin).get(f"/conferences/{conference.id}")
    assert admin_view.status_code == 404
    assert len(_reads(session, "dash_assessment")) == 1


def test_an_absent_agency_learns_nothing_of_the_discussion(
    client: TestClient, page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    _, item = police_case_item(session, world, conference)
    for _ in range(3):
        service.add_note(session, actor=actor(world.council_officer),
                         conference_id=conference.id, item_id=item.id, text=SECRET)
    service.add_action(session, actor=actor(world.council_officer), conference_id=conference.id,
                       organisation_id=world.council.id, description=DESCRIPTION,
                       due_date=london_today() + timedelta(days=3))
    housing = headers_for(session, world.housing_officer)
    detail = client.get(f"/api/conferences/{conference.id}", headers=housing)
    listing = client.get("/api/conferences", headers=housing)
    page = page_client(world.housing_officer).get(f"/conferences/{conference.id}")
    for text in (detail.text, listing.text, page.text):
        assert SECRET not in text and DESCRIPTION not in text
    body = detail.json()
    assert body["items"][0]["notes"] == [] and body["actions"] == []
    assert body["may_read_discussion"] is False
    assert "note_count" not in json.dumps(listing.json())
    agenda = page.text.split('id="agenda"')[1].split('id="actions"')[0]
    assert "govuk-inset-text" not in agenda and "note" not in agenda.lower()
    assert _reads(session, "conference_note") == []


def test_another_conferences_items_and_actions_are_404_without_content(
    client: TestClient, page_client: Clients, session: Session, world: World
) -> None:
    theirs = convene(session, world)
    _, their_item = police_case_item(session, world, theirs)
    service.add_note(session, actor=actor(world.council_officer), conference_id=theirs.id,
                     item_id=their_item.id, text=SECRET)
    their_action = service.add_action(
        session, actor=actor(world.council_officer), conference_id=theirs.id,
        organisation_id=world.council.id, description=DESCRIPTION,
        due_date=london_today() + timedelta(days=3))
    # Health convenes its own conference and aims at the other one's ids through it.
    mine = service.create_conference(
        session, actor=actor(world.chair), kind=ConferenceKind.community_marac,
        title="Other panel", held_on=london_today() + timedelta(days=3),
        agreement_id=world.agreement.id, purpose=Purpose.asb_case_management,
        member_organisation_ids=[world.health.id])
    service.record_attendance(session, actor=actor(world.chair), conference_id=mine.id,
                              organisation_id=world.health.id, attended=True)
    health = headers_for(session, world.health_officer)
    base = f"/api/conferences/{mine.id}"
    note = client.post(f"{base}/items/{their_item.id}/notes", headers=health, json={"text": "x"})
    status = client.post(f"{base}/actions/{their_action.id}/status", headers=health,
                         json={"status": "done"})
    direct = client.get(f"/api/conferences/{theirs.id}", headers=health)
    for response in (note, status, direct):
        assert response.status_code == 404
        assert SECRET not in response.text and DESCRIPTION not in response.text
    outsider = page_client(world.health_officer)
    page = outsider.post(f"/conferences/{mine.id}/actions/{their_action.id}/status",
                         data={"status": "done", "csrf_token": outsider.csrf_token})
    assert page.status_code == 404 and DESCRIPTION not in page.text


def test_no_audit_summary_holds_free_text_or_personal_data(
    client: TestClient, session: Session, world: World
) -> None:
    title = "Panel about Jo Bloggs"
    conference = service.create_conference(
        session, actor=actor(world.chair), kind=ConferenceKind.community_marac, title=title,
        held_on=london_today() + timedelta(days=3), agreement_id=world.agreement.id,
        purpose=Purpose.asb_case_management, member_organisation_ids=[world.council.id])
    service.record_attendance(session, actor=actor(world.chair), conference_id=conference.id,
                              organisation_id=world.council.id, attended=True)
    _, item = police_case_item(session, world, conference, title="Jo Bloggs at 9 Oak Row")
    service.add_note(session, actor=actor(world.council_officer), conference_id=conference.id,
                     item_id=item.id, text=SECRET)
    action = service.add_action(
        session, actor=actor(world.council_officer), conference_id=conference.id,
        organisation_id=world.council.id, description=DESCRIPTION, item_id=item.id,
        due_date=london_today() + timedelta(days=3), create_case_action=True)
    service.update_action_status(session, actor=actor(world.council_officer),
                                 conference_id=conference.id, action_id=action.id,
                                 status=ConferenceActionStatus.done)
    service.record_minutes(session, actor=actor(world.chair), conference_id=conference.id,
                           minutes=MINUTES)
    service.close_conference(session, actor=actor(world.chair), conference_id=conference.id)
    client.get(f"/api/conferences/{conference.id}",
               headers=headers_for(session, world.council_officer))
    summaries = [e.summary or "" for e in session.scalars(select(AuditEvent))]
    assert len(summaries) > 8
    for text in summaries:
        for secret in ("Jo Bloggs", "Oak Row", "sister", "injunction", "1990", title):
            assert secret not in text, text
