"""The case conference API: who sees what, who may do what, and what is audited."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.cases.models import CaseAction
from safetyhub.conferences import service
from safetyhub.conferences.models import Conference, ConferenceKind, ConferenceNote
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.timeutil import london_today
from tests.conferences.conftest import World, convene, make_alert, make_dash, police_case_item
from tests.factories import (
    actor,
    headers_for,
    make_agreement,
    make_case,
    make_person_record_row,
    make_user,
)

SECRET = "Disclosed at panel: the victim is staying with her sister"


def _body(world: World, **changes: object) -> dict[str, object]:
    return {"kind": "community_marac", "title": "Guildford community MARAC",
            "held_on": str(london_today() + timedelta(days=7)),
            "agreement_id": str(world.agreement.id), "purpose": "asb_case_management",
            "member_organisation_ids": [str(world.council.id), str(world.housing.id)],
            **changes}


def _counts(session: Session) -> tuple[int, int]:
    return (int(session.scalar(select(func.count()).select_from(Conference)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def _with_note(session: Session, world: World) -> tuple[Conference, str]:
    conference = convene(session, world)
    _, item = police_case_item(session, world, conference)
    service.add_note(session, actor=actor(world.police_officer), conference_id=conference.id,
                     item_id=item.id, text=SECRET)
    return conference, str(item.id)


def test_a_supervisor_convenes_a_conference_and_it_is_audited(
    client: TestClient, session: Session, world: World
) -> None:
    response = client.post("/api/conferences", json=_body(world),
                           headers=headers_for(session, world.chair))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["chair_organisation"]["name"] == "Surrey Police"
    members = {m["organisation"]["name"]: m["attended"] for m in body["members"]}
    assert members == {"Surrey Police": True, "Guildford Borough Council": False,
                       "Elm Housing Association": False}
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "create_conference")).one()
    assert event.purpose == "asb_case_management" and "Guildford" not in event.summary


def test_wrong_roles_cannot_convene_and_nothing_is_written(
    client: TestClient, session: Session, world: World
) -> None:
    analyst = make_user(session, world.police, Role.analyst)
    for user in (world.police_officer, world.council_admin, analyst):
        before = _counts(session)
        response = client.post("/api/conferences", json=_body(world),
                               headers=headers_for(session, user))
        assert response.status_code == 403
        assert _counts(session) == before


def test_the_agreement_must_be_in_force_cover_every_member_and_the_purpose(
    client: TestClient, session: Session, world: World
) -> None:
    headers = headers_for(session, world.chair)
    two_party = make_agreement(session, [world.police, world.council])
    revoked = make_agreement(session, [world.police, world.council, world.housing],
                             status=AgreementStatus.revoked)
    before = _counts(session)
    for body in (_body(world, agreement_id=str(two_party.id)),
                 _body(world, agreement_id=str(revoked.id)),
                 _body(world, purpose="crime_prevention"),
                 _body(world, kind="marac", purpose="asb_case_management")):
        assert client.post("/api/conferences", json=body, headers=headers).status_code == 422
    assert client.post("/api/conferences", json=_body(world, title="x" * 201),
                       headers=headers).status_code == 422
    assert _counts(session) == before


def test_another_agency_gets_404_and_sees_no_conference_in_the_list(
    client: TestClient, session: Session, world: World
) -> None:
    conference, item_id = _with_note(session, world)
    for user in (world.health_officer, world.health_admin):
        headers = headers_for(session, user)
        assert client.get(f"/api/conferences/{conference.id}", headers=headers).status_code == 404
        listing = client.get("/api/conferences", headers=headers).json()
        assert listing == {"items": [], "total": 0}
        note = client.post(f"/api/conferences/{conference.id}/items/{item_id}/notes",
                           json={"text": "x"}, headers=headers)
        assert note.status_code == 404


def test_notes_are_read_only_by_attending_agencies(
    client: TestClient, session: Session, world: World
) -> None:
    conference, item_id = _with_note(session, world)
    council = client.get(f"/api/conferences/{conference.id}",
                         headers=headers_for(session, world.council_officer))
    assert council.status_code == 200 and SECRET in council.text
    assert council.json()["items"][0]["notes"][0]["organisation"]["name"] == "Surrey Police"
    absent = client.get(f"/api/conferences/{conference.id}",
                        headers=headers_for(session, world.housing_officer))
    assert absent.status_code == 200 and SECRET not in absent.text
    assert absent.json()["items"][0]["notes"] == [] and not absent.json()["may_read_discussion"]
    write = client.post(f"/api/conferences/{conference.id}/items/{item_id}/notes",
                        json={"text": "Housing view"},
                        headers=headers_for(session, world.housing_officer))
    assert write.status_code == 403
    # An admin of an attending agency does not read casework either.
    admin = client.get(f"/api/conferences/{conference.id}",
                       headers=headers_for(session, world.council_admin))
    assert admin.status_code == 404


def test_notes_disappear_when_attendance_is_withdrawn_or_the_agreement_revoked(
    session: Session, world: World
) -> None:
    conference, _ = _with_note(session, world)
    from safetyhub.conferences import reads

    def notes_seen() -> int:
        detail = reads.get_conference(session, actor=actor(world.council_officer),
                                      conference_id=conference.id)
        return sum(len(i.notes) for i in detail.items)

    assert notes_seen() == 1
    service.record_attendance(session, actor=actor(world.chair), conference_id=conference.id,
                              organisation_id=world.council.id, attended=False)
    assert notes_seen() == 0
    service.record_attendance(session, actor=actor(world.chair), conference_id=conference.id,
                              organisation_id=world.council.id, attended=True)
    world.agreement.status = AgreementStatus.revoked.value
    session.flush()
    assert notes_seen() == 0


def test_an_alert_on_the_agenda_is_shown_only_to_agencies_it_is_routed_to(
    client: TestClient, session: Session, world: World
) -> None:
    conference = convene(session, world)
    alert = make_alert(session, world.police, indicator="cuckooing_signs")
    service.add_item(session, actor=actor(world.police_officer), conference_id=conference.id,
                     alert_id=alert.id)
    police = client.get(f"/api/conferences/{conference.id}",
                        headers=headers_for(session, world.police_officer)).json()
    assert police["items"][0]["subject"]["title"] == "cuckooing_signs"
    council = client.get(f"/api/conferences/{conference.id}",
                         headers=headers_for(session, world.council_officer))
    subject = council.json()["items"][0]["subject"]
    assert subject == {"visible": False, "kind": "alert", "record_id": None, "title": None,
                       "level": None, "organisation_name": None, "detail": None}
    assert "cuckooing" not in council.text and str(alert.id) not in council.text
    # The council cannot bring an alert it may not see.
    other = make_alert(session, world.police)
    response = client.post(f"/api/conferences/{conference.id}/items",
                           json={"alert_id": str(other.id)},
                           headers=headers_for(session, world.council_officer))
    assert response.status_code == 404


def test_reading_another_agencys_case_and_notes_is_audited_with_the_conference_purpose(
    client: TestClient, session: Session, world: World
) -> None:
    conference = convene(session, world)
    case = make_case(session, world.police, title="Police only case")  # council not a member
    item = service.add_item(session, actor=actor(world.police_officer),
                            conference_id=conference.id, case_id=case.id)
    note = service.add_note(session, actor=actor(world.police_officer),
                            conference_id=conference.id, item_id=item.id, text=SECRET)
    # The council user declares no purpose: at the conference the conference's purpose applies.
    response = client.get(f"/api/conferences/{conference.id}",
                          headers=headers_for(session, world.council_officer))
    assert response.json()["items"][0]["subject"]["title"] == "Police only case"
    reads = {(e.object_type, e.object_id): e for e in session.scalars(
        select(AuditEvent).where(AuditEvent.action == "read"))}
    assert reads[("case", str(case.id))].purpose == "asb_case_management"
    assert reads[("conference_note", str(note.id))].purpose == "asb_case_management"
    assert reads[("case", str(case.id))].owner_organisation_id == world.police.id
    # The police reading their own data is not a disclosure.
    before = len(reads)
    client.get(f"/api/conferences/{conference.id}",
               headers=headers_for(session, world.police_officer))
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "read")) == before


def test_a_marac_agenda_shows_dash_referrals_to_attending_partners_for_safeguarding(
    client: TestClient, session: Session, world: World
) -> None:
    conference = convene(session, world, kind=ConferenceKind.marac, purpose=Purpose.safeguarding)
    victim = make_person_record_row(session, world.police, given_name="Dana", family_name="Reed")
    assessment = make_dash(session, world.police, victim)
    from safetyhub.conferences import reads
    waiting = reads.marac_waiting(session, actor=actor(world.chair), conference=conference)
    assert [w[0] for w in waiting] == [assessment.id]
    service.add_item(session, actor=actor(world.chair), conference_id=conference.id,
                     dash_assessment_id=assessment.id)
    council = client.get(f"/api/conferences/{conference.id}",
                         headers=headers_for(session, world.council_officer)).json()
    assert council["items"][0]["subject"]["title"] == "Dana Reed"
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.object_type == "dash_assessment")).one()
    assert event.purpose == "safeguarding"
    assert reads.marac_waiting(session, actor=actor(world.chair), conference=conference) == []


def test_actions_minutes_and_closing(client: TestClient, session: Session, world: World) -> None:
    conference, item_id = _with_note(session, world)
    url = f"/api/conferences/{conference.id}"
    chair = headers_for(session, world.chair)
    council = headers_for(session, world.council_officer)
    due = str(london_today() + timedelta(days=14))
    created = client.post(f"{url}/actions", headers=council, json={
        "organisation_id": str(world.council.id), "description": "Visit the tenant",
        "due_date": due, "item_id": item_id, "create_case_action": True})
    assert created.status_code == 201, created.text
    action = created.json()
    case_action = session.get(CaseAction, uuid.UUID(action["case_action_id"]))
    assert case_action is not None and case_action.organisation_id == world.council.id
    past = client.post(f"{url}/actions", headers=council, json={
        "organisation_id": str(world.council.id), "description": "Too late",
        "due_date": str(london_today() - timedelta(days=1))})
    assert past.status_code == 422
    housing = headers_for(session, world.housing_officer)
    assert client.get(url, headers=housing).json()["actions"] == []
    done = client.post(f"{url}/actions/{action['id']}/status", headers=council,
                       json={"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert client.post(f"{url}/close", headers=chair).status_code == 422
    assert client.put(f"{url}/minutes", headers=council,
                      json={"minutes": "Minutes"}).status_code == 403
    assert client.put(f"{url}/minutes", headers=chair,
                      json={"minutes": "Agreed a joint visit."}).status_code == 200
    assert client.get(url, headers=housing).json()["minutes"] is None
    closed = client.post(f"{url}/close", headers=chair)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = client.post(f"{url}/items/{item_id}/notes", headers=council, json={"text": "late"})
    assert late.status_code == 409
    assert session.scalar(select(func.count()).select_from(ConferenceNote)) == 1
    summaries = [json.loads(e.summary) for e in session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("%conference%")))]
    assert all("Agreed" not in json.dumps(s) and SECRET not in json.dumps(s) for s in summaries)


def test_only_the_chairs_agency_records_attendance_and_invites(
    client: TestClient, session: Session, world: World
) -> None:
    conference = convene(session, world)
    url = f"/api/conferences/{conference.id}"
    council = headers_for(session, world.council_supervisor)
    response = client.post(f"{url}/attendance", headers=council,
                           json={"organisation_id": str(world.housing.id), "attended": True})
    assert response.status_code == 403
    chair = headers_for(session, world.chair)
    invited = client.post(f"{url}/members", headers=chair,
                          json={"organisation_id": str(world.health.id)})
    assert invited.status_code == 201
    assert client.post(f"{url}/members", headers=chair,
                       json={"organisation_id": str(world.health.id)}).status_code == 409
    assert client.get(url, headers=headers_for(session, world.health_officer)).status_code == 200
