"""Problems API: open, link, analyse, respond, assess, through the access policy."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role
from safetyhub.incidents.models import PartyRole
from safetyhub.partnership.problems.models import ProblemIncident
from safetyhub.places.models import Place
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from safetyhub.timeutil import london_today
from tests.cases.helpers import Partnership, audit_events, auth, summary
from tests.factories import (
    make_agreement,
    make_incident,
    make_person_record_row,
    make_place,
    make_user,
)


def _open(client: TestClient, session: Session, world: Partnership, **extra: object) -> dict:
    place = make_place(session, address="Rec ground, Stoke Road", postcode="GU1 1AA")
    body = {"title": "Rec ground ASB", "place_ids": [str(place.id)],
            "partner_organisation_ids": [str(world.council.id)],
            "categories": ["asb_nuisance"], **extra}
    response = client.post("/api/problems", headers=auth(session, world.police_user), json=body)
    assert response.status_code == 201, response.text
    result: dict = response.json()
    return result


def _written(session: Session) -> tuple[int, int]:
    return (int(session.scalar(select(func.count()).select_from(ProblemIncident)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def test_open_a_problem_lead_and_partner_see_it_audited(
    client: TestClient, session: Session, world: Partnership
) -> None:
    problem = _open(client, session, world)
    assert problem["stage"] == "scanning"
    assert problem["lead_organisation_name"] == "Surrey Police"
    assert [name for _, name in problem["partners"]] == ["Guildford Borough Council"]
    assert problem["places"][0]["address"] == "Rec ground, Stoke Road"
    council = client.get(f"/api/problems/{problem['id']}",
                         headers=auth(session, world.council_user))
    assert council.status_code == 200
    listed = client.get("/api/problems", headers=auth(session, world.council_user)).json()
    assert [p["id"] for p in listed] == [problem["id"]]
    [event] = audit_events(session, "open_problem")
    assert event.object_id == problem["id"] and "Rec ground" not in event.summary


def test_other_agency_gets_404_and_writes_nothing(
    client: TestClient, session: Session, world: Partnership
) -> None:
    problem = _open(client, session, world)
    housing = auth(session, world.housing_user)
    pid = problem["id"]
    assert client.get("/api/problems", headers=housing).json() == []
    for path in ("", "/incidents", "/analysis", "/monthly", "/assessment", "/candidates"):
        assert client.get(f"/api/problems/{pid}{path}", headers=housing).status_code == 404
    incident = make_incident(session, world.housing)
    before = _written(session)
    assert client.post(f"/api/problems/{pid}/incidents", headers=housing,
                       json={"incident_id": str(incident.id)}).status_code == 404
    assert client.patch(f"/api/problems/{pid}", headers=housing,
                        json={"title": "Mine now"}).status_code == 404
    assert _written(session) == before


def test_linking_an_incident_the_actor_may_not_see_is_refused_404(
    client: TestClient, session: Session, world: Partnership
) -> None:
    problem = _open(client, session, world)
    hidden = make_incident(session, world.housing, narrative="Housing's own record")
    before = _written(session)
    response = client.post(f"/api/problems/{problem['id']}/incidents",
                           headers=auth(session, world.police_user),
                           json={"incident_id": str(hidden.id)})
    assert response.status_code == 404
    assert "Housing's own record" not in response.text
    assert _written(session) == before


def test_link_visible_incidents_and_the_triangle_counts_them(
    client: TestClient, session: Session, world: Partnership
) -> None:
    problem = _open(client, session, world)
    place = session.get(Place, uuid.UUID(problem["places"][0]["id"]))
    victim = make_person_record_row(session, world.police, given_name="Vic")
    youth = make_person_record_row(session, world.police, given_name="Yo")
    first = make_incident(session, world.police, place=place,
                          parties=[(victim, PartyRole.victim), (youth, PartyRole.subject)])
    second = make_incident(session, world.police, place=place,
                           parties=[(victim, PartyRole.victim)])
    # The council sees police incidents only through an agreement and a declared purpose.
    make_agreement(session, [world.police, world.council], purposes=[Purpose.crime_prevention],
                   categories=[DataCategory.incidents])
    police = auth(session, world.police_user)
    for incident in (first, second):
        response = client.post(f"/api/problems/{problem['id']}/incidents", headers=police,
                               json={"incident_id": str(incident.id)})
        assert response.status_code == 201, response.text
    again = client.post(f"/api/problems/{problem['id']}/incidents", headers=police,
                        json={"incident_id": str(first.id)})
    assert again.status_code == 409
    triangle = client.get(f"/api/problems/{problem['id']}/analysis", headers=police).json()
    assert (triangle["victims"], triangle["repeat_victims"]) == (1, 1)
    assert (triangle["offenders"], triangle["repeat_offenders"]) == (1, 0)
    assert triangle["locations"] == [["Rec ground, Stoke Road", 2]]
    # Without a purpose the council sees the problem but not police incidents: counts only.
    council = client.get(f"/api/problems/{problem['id']}",
                         headers=auth(session, world.council_user)).json()
    assert (council["linked_incidents_shown"], council["linked_incidents_not_shown"]) == (0, 2)
    assert client.get(f"/api/problems/{problem['id']}/incidents",
                      headers=auth(session, world.council_user)).json() == []
    declared = client.get(f"/api/problems/{problem['id']}/incidents",
                          headers=auth(session, world.council_user, Purpose.crime_prevention))
    assert len(declared.json()) == 2
    assert len(audit_events(session, "read")) == 2  # two police incidents disclosed
    [link, _] = audit_events(session, "link_problem_incident")
    assert summary(link)["after"]["incident_id"] == str(first.id)
    months = client.get(f"/api/problems/{problem['id']}/monthly", headers=police).json()
    assert sum(m["count"] for m in months) == 2
    unlinked = client.delete(f"/api/problems/{problem['id']}/incidents/{first.id}",
                             headers=police)
    assert unlinked.json()["linked_incidents_shown"] == 1


def test_search_candidates_by_postcode_and_category(
    client: TestClient, session: Session, world: Partnership
) -> None:
    problem = _open(client, session, world)
    near = make_place(session, address="3 Stoke Road", postcode="GU1 1AB")
    far = make_place(session, address="Farnham Castle", postcode="GU9 0AG")
    wanted = make_incident(session, world.police, place=near)
    make_incident(session, world.police, place=far)
    make_incident(session, world.housing, place=near)  # invisible to police
    police = auth(session, world.police_user)
    found = client.get(f"/api/problems/{problem['id']}/candidates",
                       params={"postcode": "GU1", "category": "asb_nuisance"},
                       headers=police).json()
    assert [f["id"] for f in found] == [str(wanted.id)]
    by_words = client.get(f"/api/problems/{problem['id']}/candidates?place=stoke",
                          headers=police).json()
    assert [f["id"] for f in by_words] == [str(wanted.id)]


def test_only_the_lead_moves_the_stage_partners_add_actions(
    client: TestClient, session: Session, world: Partnership
) -> None:
    problem = _open(client, session, world)
    pid = problem["id"]
    council = auth(session, world.council_user)
    refused = client.patch(f"/api/problems/{pid}", headers=council, json={"stage": "response"})
    assert refused.status_code == 403
    notes = client.patch(f"/api/problems/{pid}", headers=council,
                         json={"victim_notes": "Older residents on the estate."})
    assert notes.status_code == 200 and notes.json()["victim_notes"].startswith("Older")
    start = (london_today() - timedelta(days=10)).isoformat()
    moved = client.patch(f"/api/problems/{pid}", headers=auth(session, world.police_user),
                         json={"stage": "response", "response_started_on": start})
    assert moved.json()["stage"] == "response"
    due = (london_today() + timedelta(days=14)).isoformat()
    action = client.post(f"/api/problems/{pid}/actions", headers=council, json={
        "organisation_id": str(world.council.id), "owner_id": str(world.council_user.id),
        "text": "Cut back the hedges by the footpath", "due_on": due})
    assert action.status_code == 201, action.text
    assert action.json()["owner_name"] == world.council_user.full_name
    wrong_owner = client.post(f"/api/problems/{pid}/actions", headers=council, json={
        "organisation_id": str(world.council.id), "owner_id": str(world.police_user.id),
        "text": "x", "due_on": due})
    assert wrong_owner.status_code == 422
    outsider = client.post(f"/api/problems/{pid}/actions", headers=council, json={
        "organisation_id": str(world.housing.id), "text": "x", "due_on": due})
    assert outsider.status_code == 422
    done = client.patch(f"/api/problems/{pid}/actions/{action.json()['id']}", headers=council,
                        json={"status": "done"})
    assert done.json()["status"] == "done" and done.json()["completed_at"]
    assessment = client.get(f"/api/problems/{pid}/assessment", headers=council).json()
    assert assessment["after_days"] == 11 and not assessment["after_complete"]
    actions = [e.action for e in audit_events(session)]
    assert {"update_problem", "add_problem_action", "update_problem_action"} <= set(actions)


def test_a_closed_problem_changes_only_when_the_lead_reopens_it(
    client: TestClient, session: Session, world: Partnership
) -> None:
    pid = _open(client, session, world)["id"]
    police, council = auth(session, world.police_user), auth(session, world.council_user)
    closed = client.patch(f"/api/problems/{pid}", headers=police, json={"stage": "closed"})
    assert closed.status_code == 200 and closed.json()["stage"] == "closed"
    before = _written(session)
    due = (london_today() + timedelta(days=7)).isoformat()
    refused = [
        client.patch(f"/api/problems/{pid}", headers=council, json={"victim_notes": "More"}),
        client.patch(f"/api/problems/{pid}", headers=police,
                     json={"stage": "closed", "title": "Renamed"}),
        client.post(f"/api/problems/{pid}/actions", headers=council, json={
            "organisation_id": str(world.council.id), "text": "Late action", "due_on": due}),
    ]
    assert [r.status_code for r in refused] == [409, 409, 409]
    assert "closed" in refused[0].json()["detail"] and _written(session) == before
    assert client.patch(f"/api/problems/{pid}", headers=council,
                        json={"stage": "analysis"}).status_code == 403
    reopened = client.patch(f"/api/problems/{pid}", headers=police, json={"stage": "analysis"})
    assert reopened.status_code == 200 and reopened.json()["stage"] == "analysis"
    notes = client.patch(f"/api/problems/{pid}", headers=council, json={"victim_notes": "More"})
    assert notes.status_code == 200


def test_a_place_comes_off_a_problem_but_not_its_last_one(
    client: TestClient, session: Session, world: Partnership
) -> None:
    problem = _open(client, session, world)
    pid, first = problem["id"], problem["places"][0]["id"]
    police, council = auth(session, world.police_user), auth(session, world.council_user)
    last = client.delete(f"/api/problems/{pid}/places/{first}", headers=police)
    assert last.status_code == 422 and "at least one place" in last.json()["detail"]
    second = make_place(session, address="Stoke Road shops", postcode="GU1 1AB")
    client.post(f"/api/problems/{pid}/places", headers=police, json={"place_id": str(second.id)})
    removed = client.delete(f"/api/problems/{pid}/places/{first}", headers=council)
    assert removed.status_code == 200
    assert [p["id"] for p in removed.json()["places"]] == [str(second.id)]
    again = client.delete(f"/api/problems/{pid}/places/{first}", headers=police)
    assert again.status_code == 404
    outsider = client.delete(f"/api/problems/{pid}/places/{second.id}",
                             headers=auth(session, world.housing_user))
    assert outsider.status_code == 404
    [event] = audit_events(session, "remove_problem_place")
    assert summary(event)["before"]["place_id"] == first


def test_a_problem_needs_a_place_or_area_and_bounded_text(
    client: TestClient, session: Session, world: Partnership
) -> None:
    police = auth(session, world.police_user)
    assert client.post("/api/problems", headers=police,
                       json={"title": "Nowhere"}).status_code == 422
    assert client.post("/api/problems", headers=police,
                       json={"title": "x" * 201, "area_district": "Guildford"}).status_code == 422
    ok = client.post("/api/problems", headers=police,
                     json={"title": "Town centre", "area_district": "Guildford"})
    assert ok.status_code == 201


def test_an_administrator_of_the_lead_agency_does_not_see_casework(
    client: TestClient, session: Session, world: Partnership
) -> None:
    problem = _open(client, session, world)
    admin = make_user(session, world.police, Role.admin)
    headers = auth(session, admin)
    assert client.get(f"/api/problems/{problem['id']}", headers=headers).status_code == 404
    assert client.get("/api/problems", headers=headers).json() == []
    refused = client.post("/api/problems", headers=headers,
                          json={"title": "Mine", "area_district": "Guildford"})
    assert refused.status_code == 403


def test_own_agency_records_above_the_role_ceiling_are_neither_shown_nor_counted(
    client: TestClient, session: Session, world: Partnership
) -> None:
    problem = _open(client, session, world)
    place = session.get(Place, uuid.UUID(problem["places"][0]["id"]))
    special = make_incident(session, world.police, place=place,
                            sensitivity=Sensitivity.special_category)
    client.post(f"/api/problems/{problem['id']}/incidents",
                headers=auth(session, world.police_user), json={"incident_id": str(special.id)})
    read = client.get(f"/api/problems/{problem['id']}",
                      headers=auth(session, world.police_analyst)).json()
    assert (read["linked_incidents_shown"], read["linked_incidents_not_shown"]) == (0, 0)
    council = client.get(f"/api/problems/{problem['id']}",
                         headers=auth(session, world.council_user)).json()
    assert council["linked_incidents_not_shown"] == 1
