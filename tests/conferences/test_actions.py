"""Conference actions and case actions: done at the conference completes the case action through
the cases verb (permission-checked, audited with the conference's purpose); the case action's
state shows on the conference."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.cases import service as case_service
from safetyhub.cases.models import Case, CaseAction
from safetyhub.conferences import service
from safetyhub.conferences.models import ConferenceAction, ConferenceActionStatus
from safetyhub.timeutil import london_today
from tests.conferences.conftest import World, convene, police_case_item
from tests.conftest import PageClient
from tests.factories import actor, headers_for, make_user

Clients = Callable[..., PageClient]
DESCRIPTION = "Visit the tenant at 4 Elm Court with the neighbourhood officer"


def _linked(session: Session, world: World) -> tuple[str, Case, ConferenceAction]:
    conference = convene(session, world)
    case, item = police_case_item(session, world, conference)
    action = service.add_action(
        session, actor=actor(world.council_officer), conference_id=conference.id,
        organisation_id=world.council.id, description=DESCRIPTION, item_id=item.id,
        due_date=london_today() + timedelta(days=7), create_case_action=True)
    return f"/conferences/{conference.id}", case, action


def _case_action(session: Session, action: ConferenceAction) -> CaseAction:
    session.expire_all()
    found = session.get(CaseAction, action.case_action_id)
    assert found is not None
    return found


def test_done_at_the_conference_completes_the_case_action(
    page_client: Clients, session: Session, world: World
) -> None:
    url, case, action = _linked(session, world)
    council = page_client(world.council_officer)
    assert "open on the case" in council.get(url).text
    response = council.post(f"{url}/actions/{action.id}/status",
                            data={"status": "done", "csrf_token": council.csrf_token},
                            follow_redirects=False)
    assert response.status_code == 303
    linked = _case_action(session, action)
    assert linked.state == "done" and linked.completed_at is not None
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "complete_action", AuditEvent.object_id == str(linked.id))).one()
    assert event.purpose == "asb_case_management"
    update = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "update_conference_action")).one()
    assert json.loads(update.summary)["after"]["completed_on_case"] is True
    assert "done on the case" in council.get(url).text
    assert "Done" in page_client(world.police_officer).get(f"/cases/{case.id}").text


def test_a_case_action_completed_on_the_case_shows_and_is_not_completed_twice(
    client: TestClient, session: Session, world: World
) -> None:
    url, case, action = _linked(session, world)
    case_service.complete_action(session, actor=actor(world.council_officer), case_id=case.id,
                                 action_id=_case_action(session, action).id)
    api = f"/api{url}"
    council = headers_for(session, world.council_officer)
    shown = client.get(api, headers=council).json()["actions"][0]
    assert shown["case_action_state"] == "done" and shown["status"] == "open"
    done = client.post(f"{api}/actions/{action.id}/status", headers=council,
                       json={"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    completions = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "complete_action")).all()
    assert len(completions) == 1


def test_the_cases_permission_check_applies_and_nothing_is_half_done(
    client: TestClient, session: Session, world: World
) -> None:
    url, _, action = _linked(session, world)
    # Runs the conference (the chair's agency) but does no case work: the cases verb refuses.
    office = make_user(session, world.police, Role.partnership_office)
    response = client.post(f"/api{url}/actions/{action.id}/status",
                           headers=headers_for(session, office), json={"status": "done"})
    assert response.status_code == 403
    session.expire_all()
    assert session.get(ConferenceAction, action.id).status == "open"  # type: ignore[union-attr]
    assert _case_action(session, action).state == "open"
    assert not session.scalars(select(AuditEvent).where(
        AuditEvent.action == "update_conference_action")).all()


def test_a_closed_case_refuses_on_the_page_and_leaves_the_action_open(
    page_client: Clients, session: Session, world: World
) -> None:
    url, case, action = _linked(session, world)
    case_service.close_case(session, actor=actor(world.police_officer), case_id=case.id,
                            outcome="resolved")
    council = page_client(world.council_officer)
    response = council.post(f"{url}/actions/{action.id}/status",
                            data={"status": "done", "csrf_token": council.csrf_token})
    assert response.status_code == 422 and "This case is closed" in response.text
    session.expire_all()
    assert session.get(ConferenceAction, action.id).status == "open"  # type: ignore[union-attr]


def test_the_case_action_state_needs_the_case_to_be_visible(
    client: TestClient, session: Session, world: World
) -> None:
    _, _, action = _linked(session, world)
    service.update_action_status(session, actor=actor(world.council_officer),
                                 conference_id=action.conference_id, action_id=action.id,
                                 status=ConferenceActionStatus.done)
    # A reader who may see the action but not the case learns nothing of the case action.
    from safetyhub.conferences import reads
    detail = reads.get_conference(session, actor=actor(world.council_officer),
                                  conference_id=action.conference_id)
    assert detail.actions[0].case_action_state == "done"
    states = reads._case_action_states(session, actor(world.health_officer),
                                       [action.case_action_id])
    assert states == {}


def test_open_again_at_the_conference_opens_the_case_action_again(
    client: TestClient, session: Session, world: World
) -> None:
    url, _, action = _linked(session, world)
    api = f"/api{url}/actions/{action.id}/status"
    council = headers_for(session, world.council_officer)
    assert client.post(api, headers=council, json={"status": "done"}).status_code == 200
    again = client.post(api, headers=council, json={"status": "open"})
    assert again.status_code == 200 and again.json()["status"] == "open"
    linked = _case_action(session, action)
    assert linked.state == "open" and linked.completed_at is None
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "reopen_action", AuditEvent.object_id == str(linked.id))).one()
    assert event.purpose == "asb_case_management"
    updates = [json.loads(event.summary)["after"] for event in session.scalars(
        select(AuditEvent).where(AuditEvent.action == "update_conference_action"))]
    [reopening] = [after for after in updates if after["status"] == "open"]
    assert reopening["reopened_on_case"] is True
