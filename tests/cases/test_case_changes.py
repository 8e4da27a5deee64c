"""Cases API: every change verb, its permission checks, its state rules and its audit event."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role
from safetyhub.cases.models import Case, CaseAction, CaseNote
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import london_today
from tests.cases.helpers import Partnership, audit_events, auth, case_table_counts, summary
from tests.factories import (
    make_agreement,
    make_case,
    make_incident_row,
    make_org,
    make_person_record_row,
    make_user,
)


def _due(days: int = 7) -> str:
    return (london_today() + timedelta(days=days)).isoformat()


def _action(session: Session, case: Case, org_id: uuid.UUID) -> CaseAction:
    action = CaseAction(case_id=case.id, organisation_id=org_id, description="Visit",
                        due_date=london_today() + timedelta(days=3), state="open")
    session.add(action)
    session.flush()
    return action


def test_the_full_lifecycle_writes_one_audit_event_per_verb(
    client: TestClient, session: Session, world: Partnership
) -> None:
    police = auth(session, world.police_user)
    council = auth(session, world.council_user)
    record = make_person_record_row(session, world.police)
    incident = make_incident_row(session, world.police)

    case = client.post("/api/cases", headers=police,
                       json={"title": "Elm Court", "kind": "asb", "risk_level": "high"}).json()
    url = f"/api/cases/{case['id']}"
    assert client.post(f"{url}/members", headers=police,
                       json={"organisation_id": str(world.council.id)}).status_code == 201
    assert client.post(f"{url}/subjects", headers=police,
                       json={"person_record_id": str(record.id)}).status_code == 201
    assert client.post(f"{url}/incidents", headers=police,
                       json={"incident_id": str(incident.id)}).status_code == 201
    action = client.post(f"{url}/actions", headers=police, json={
        "description": "Visit the complainant", "due_date": _due(),
        "organisation_id": str(world.council.id), "owner_user_id": str(world.council_user.id),
    })
    assert action.status_code == 201, action.text
    done = client.post(f"{url}/actions/{action.json()['id']}/complete", headers=council)
    assert done.status_code == 200
    assert done.json()["state"] == "done"
    note = client.post(f"{url}/notes", headers=council,
                       json={"text": "Visited; complainant safe.", "sensitivity": "standard"})
    assert note.status_code == 201
    assert note.json()["organisation_id"] == str(world.council.id)
    closed = client.post(f"{url}/close", headers=police, json={"outcome": "Tenancy warning."})
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["outcome"]) == ("closed", "Tenancy warning.")

    events = [e for e in audit_events(session) if e.action != "read"]
    assert [e.action for e in events] == [
        "open_case", "add_member_agency", "add_subject", "attach_incident", "add_action",
        "complete_action", "add_note", "close_case",
    ]
    by_action = {e.action: e for e in events}
    assert summary(by_action["add_member_agency"]) == {
        "before": {"members": [str(world.police.id)]},
        "after": {"members": sorted([str(world.police.id), str(world.council.id)])},
    }
    assert summary(by_action["add_subject"])["after"]["person_record_id"] == str(record.id)
    assert summary(by_action["attach_incident"])["after"]["incident_id"] == str(incident.id)
    assert summary(by_action["add_action"])["after"]["state"] == "open"
    completed = summary(by_action["complete_action"])
    assert (completed["before"]["state"], completed["after"]["state"]) == ("open", "done")
    assert by_action["complete_action"].organisation_id == world.council.id
    assert by_action["add_note"].object_id == note.json()["id"]
    assert by_action["add_note"].owner_organisation_id == world.council.id
    closing = summary(by_action["close_case"])
    assert (closing["before"]["status"], closing["after"]["status"]) == ("open", "closed")
    # Free text stays out of the append-only log.
    assert all("Tenancy warning" not in e.summary and "Visited" not in e.summary for e in events)


def _change_routes(case: Case, action: CaseAction, world: Partnership) -> list[tuple[str, dict]]:
    url = f"/api/cases/{case.id}"
    return [
        (f"{url}/members", {"organisation_id": str(world.housing.id)}),
        (f"{url}/subjects", {"person_record_id": str(uuid.uuid4())}),
        (f"{url}/incidents", {"incident_id": str(uuid.uuid4())}),
        (f"{url}/actions", {"description": "x", "due_date": _due(),
                            "organisation_id": str(world.police.id)}),
        (f"{url}/actions/{action.id}/complete", {}),
        (f"{url}/actions/{action.id}/reopen", {}),
        (f"{url}/notes", {"text": "x", "sensitivity": "standard"}),
        (f"{url}/close", {"outcome": "done"}),
    ]


def test_other_agency_gets_404_on_every_change_route_and_nothing_is_written(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    action = _action(session, case, world.police.id)
    before = case_table_counts(session)
    for purpose in (None, Purpose.safeguarding):
        headers = auth(session, world.housing_user, purpose)
        for url, body in _change_routes(case, action, world):
            assert client.post(url, json=body, headers=headers).status_code == 404, url
    assert case_table_counts(session) == before


def test_a_member_agencys_analyst_gets_403_on_every_change_route(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    action = _action(session, case, world.police.id)
    before = case_table_counts(session)
    headers = auth(session, world.police_analyst)
    for url, body in _change_routes(case, action, world):
        assert client.post(url, json=body, headers=headers).status_code == 403, url
    assert case_table_counts(session) == before


def test_only_the_lead_agency_closes_and_only_once(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    url = f"/api/cases/{case.id}/close"
    body = {"outcome": "Resolved"}
    assert client.post(url, json=body, headers=auth(session, world.council_user)).status_code == 403
    assert client.post(url, json={}, headers=auth(session, world.police_user)).status_code == 422
    assert client.post(url, json=body, headers=auth(session, world.police_user)).status_code == 200
    assert client.post(url, json=body, headers=auth(session, world.police_user)).status_code == 409
    assert len(audit_events(session, "close_case")) == 1


def test_a_closed_case_refuses_further_changes(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, status="closed")
    action = _action(session, case, world.police.id)
    before = case_table_counts(session)
    headers = auth(session, world.police_user)
    for url, body in _change_routes(case, action, world):
        assert client.post(url, json=body, headers=headers).status_code == 409, url
    assert case_table_counts(session) == before


def test_adding_a_member_needs_a_real_organisation_and_refuses_duplicates(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    url = f"/api/cases/{case.id}/members"
    headers = auth(session, world.council_user)  # any member agency may bring in another
    assert client.post(url, headers=headers,
                       json={"organisation_id": str(uuid.uuid4())}).status_code == 404
    assert client.post(url, headers=headers,
                       json={"organisation_id": str(world.police.id)}).status_code == 409
    added = client.post(url, headers=headers, json={"organisation_id": str(world.housing.id)})
    assert added.status_code == 201
    assert client.get(f"/api/cases/{case.id}",
                      headers=auth(session, world.housing_user)).status_code == 200


def test_subjects_must_be_visible_to_the_actor(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    theirs = make_person_record_row(session, world.housing)
    url = f"/api/cases/{case.id}/subjects"
    body = {"person_record_id": str(theirs.id)}
    before = case_table_counts(session)
    for purpose in (None, Purpose.safeguarding):
        headers = auth(session, world.police_user, purpose)
        assert client.post(url, json=body, headers=headers).status_code == 404
    assert case_table_counts(session) == before

    # An agreement covering person identifiers makes the record visible, so it may be added.
    make_agreement(session, [world.police, world.housing],
                   categories=[DataCategory.person_identifiers])
    headers = auth(session, world.police_user, Purpose.safeguarding)
    assert client.post(url, json=body, headers=headers).status_code == 201
    assert client.post(url, json=body, headers=headers).status_code == 409
    [event] = audit_events(session, "add_subject")
    assert event.purpose == "safeguarding"


def test_attaching_an_incident_shares_it_with_the_other_members(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    council_incident = make_incident_row(session, world.council)
    housing_incident = make_incident_row(session, world.housing)
    url = f"/api/cases/{case.id}/incidents"
    council = auth(session, world.council_user)
    assert client.post(url, headers=council,
                       json={"incident_id": str(housing_incident.id)}).status_code == 404
    body = {"incident_id": str(council_incident.id)}
    assert client.post(url, headers=council, json=body).status_code == 201
    assert client.post(url, headers=council, json=body).status_code == 409

    seen = client.get(f"/api/cases/{case.id}",
                      headers=auth(session, world.police_user, Purpose.safeguarding)).json()
    assert [i["incident_id"] for i in seen["incidents"]] == [str(council_incident.id)]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"due_date": "yesterday"}, 422),
        ({"state": "done"}, 422),
        ({"description": ""}, 422),
        ({"description": "x" * 1001}, 422),
        ({"due_date": "PAST"}, 422),
        ({"organisation_id": "HOUSING"}, 422),
        ({"owner_user_id": "HOUSING_USER"}, 422),
        ({"owner_user_id": str(uuid.uuid4())}, 422),
    ],
    ids=["bad-date", "extra-field", "empty", "too-long", "past", "not-member", "wrong-owner",
         "unknown-owner"],
)
def test_add_action_refuses_bad_input(
    client: TestClient, session: Session, world: Partnership, change: dict[str, str],
    status: int,
) -> None:
    case = make_case(session, world.police)
    values = {"PAST": (london_today() - timedelta(days=1)).isoformat(),
              "HOUSING": str(world.housing.id), "HOUSING_USER": str(world.housing_user.id)}
    body = {"description": "Visit", "due_date": _due(),
            "organisation_id": str(world.police.id)}
    body.update({k: values.get(v, v) for k, v in change.items()})
    before = case_table_counts(session)
    response = client.post(f"/api/cases/{case.id}/actions", json=body,
                           headers=auth(session, world.police_user))
    assert response.status_code == status, response.text
    assert case_table_counts(session) == before


def test_an_action_due_today_is_accepted(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    response = client.post(
        f"/api/cases/{case.id}/actions", headers=auth(session, world.police_user),
        json={"description": "Call", "due_date": london_today().isoformat(),
              "organisation_id": str(world.police.id)},
    )
    assert response.status_code == 201


def test_completing_an_action_twice_or_on_another_case_fails(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    other = make_case(session, world.police)
    action = _action(session, case, world.police.id)
    headers = auth(session, world.police_user)
    assert client.post(f"/api/cases/{other.id}/actions/{action.id}/complete",
                       headers=headers).status_code == 404
    url = f"/api/cases/{case.id}/actions/{action.id}/complete"
    assert client.post(url, headers=headers).status_code == 200
    assert client.post(url, headers=headers).status_code == 409
    assert len(audit_events(session, "complete_action")) == 1


def test_a_done_action_opens_again_once(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    action = _action(session, case, world.police.id)
    headers = auth(session, world.police_user)
    url = f"/api/cases/{case.id}/actions/{action.id}"
    assert client.post(f"{url}/reopen", headers=headers).status_code == 409  # open already
    assert client.post(f"{url}/complete", headers=headers).status_code == 200
    reopened = client.post(f"{url}/reopen", headers=headers)
    assert reopened.status_code == 200
    assert reopened.json()["state"] == "open" and reopened.json()["completed_at"] is None
    assert client.post(f"{url}/reopen", headers=headers).status_code == 409
    [event] = audit_events(session, "reopen_action")
    assert summary(event)["before"]["state"] == "done"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": "x" * 20_001, "sensitivity": "standard"}, 422),
        ({"text": "ok", "sensitivity": "secret"}, 422),
        ({"text": "   ", "sensitivity": "standard"}, 422),
        ({"text": 42, "sensitivity": "standard"}, 422),
        ({"text": "ok"}, 422),
    ],
    ids=["too-long", "unknown-sensitivity", "blank", "wrong-type", "no-sensitivity"],
)
def test_add_note_refuses_bad_input(
    client: TestClient, session: Session, world: Partnership, body: dict[str, object],
    status: int,
) -> None:
    case = make_case(session, world.police)
    before = case_table_counts(session)
    response = client.post(f"/api/cases/{case.id}/notes", json=body,
                           headers=auth(session, world.police_user))
    assert response.status_code == status
    assert case_table_counts(session) == before


def test_a_ten_megabyte_note_is_refused_with_413(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    before = case_table_counts(session)
    response = client.post(
        f"/api/cases/{case.id}/notes", headers=auth(session, world.police_user),
        json={"text": "x" * 10_000_000, "sensitivity": "standard"},
    )
    assert response.status_code == 413
    assert case_table_counts(session) == before


def test_a_note_is_owned_by_the_authors_agency(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    response = client.post(
        f"/api/cases/{case.id}/notes", headers=auth(session, world.council_user),
        json={"text": "Council note", "sensitivity": "sensitive"},
    )
    assert response.status_code == 201
    note = session.get(CaseNote, uuid.UUID(response.json()["id"]))
    assert note is not None
    assert (note.organisation_id, note.author_id, note.sensitivity) == (
        world.council.id, world.council_user.id, "sensitive"
    )


def test_a_supervisor_of_a_member_agency_may_work_the_case(
    client: TestClient, session: Session, world: Partnership
) -> None:
    supervisor = make_user(session, world.council, Role.supervisor)
    case = make_case(session, world.police, members=[world.council])
    response = client.post(f"/api/cases/{case.id}/notes", headers=auth(session, supervisor),
                           json={"text": "Reviewed", "sensitivity": "standard"})
    assert response.status_code == 201


def test_a_third_agency_sees_none_of_a_worked_case(
    client: TestClient, session: Session, world: Partnership
) -> None:
    fire = make_org(session, "Surrey Fire and Rescue")
    fire_user = make_user(session, fire)
    make_agreement(session, [world.police, world.council],
                   categories=[DataCategory.case_notes, DataCategory.person_identifiers])
    record = make_person_record_row(session, world.police)
    case = make_case(session, world.police, members=[world.council], subjects=[record])
    for purpose in (None, Purpose.safeguarding, Purpose.statutory_review):
        headers = auth(session, fire_user, purpose)
        assert client.get(f"/api/cases/{case.id}", headers=headers).status_code == 404
        assert client.get("/api/cases", headers=headers).json() == {
            "items": [], "total": 0, "page": 1, "page_size": 50,
        }
