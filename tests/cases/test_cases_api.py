"""Cases API: opening, listing and reading cases through the access policy."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from safetyhub.cases.models import CaseNote
from safetyhub.places.models import Place
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from safetyhub.timeutil import london_today, utcnow
from tests.cases.helpers import Partnership, audit_events, auth, case_table_counts, summary
from tests.factories import (
    make_agreement,
    make_case,
    make_incident_row,
    make_person_record_row,
)

NEW_CASE = {"title": "Noise at Elm Court", "kind": "asb", "risk_level": "medium"}


def _note(session: Session, case_id: uuid.UUID, org_id: uuid.UUID, text: str,
          sensitivity: Sensitivity = Sensitivity.standard) -> CaseNote:
    note = CaseNote(case_id=case_id, organisation_id=org_id, text=text,
                    sensitivity=sensitivity.value)
    session.add(note)
    session.flush()
    return note


def test_open_case_makes_the_actors_agency_lead_and_member(
    client: TestClient, session: Session, world: Partnership
) -> None:
    record = make_person_record_row(session, world.police)
    place = Place(address="1 Elm Court, Guildford", postcode="GU1 1AA")
    session.add(place)
    session.flush()
    body = {**NEW_CASE, "place_id": str(place.id), "subject_person_record_ids": [str(record.id)]}
    response = client.post("/api/cases", json=body, headers=auth(session, world.police_user))
    assert response.status_code == 201, response.text
    case = response.json()
    assert case["lead_organisation_id"] == str(world.police.id)
    assert case["lead_organisation_name"] == "Surrey Police"
    assert case["status"] == "open"
    assert case["place_id"] == str(place.id)

    detail = client.get(f"/api/cases/{case['id']}", headers=auth(session, world.police_user))
    assert detail.status_code == 200
    assert [m["name"] for m in detail.json()["members"]] == ["Surrey Police"]
    assert [s["person_record_id"] for s in detail.json()["subjects"]] == [str(record.id)]

    [event] = audit_events(session, "open_case")
    assert event.object_id == case["id"]
    assert event.owner_organisation_id == world.police.id
    after = summary(event)["after"]
    assert after["status"] == "open"
    assert after["members"] == [str(world.police.id)]
    assert after["subject_person_record_ids"] == [str(record.id)]
    assert "before" not in summary(event)


def test_open_case_with_another_agencys_invisible_subject_is_404_and_writes_nothing(
    client: TestClient, session: Session, world: Partnership
) -> None:
    hidden = make_person_record_row(session, world.housing)
    before = case_table_counts(session)
    body = {**NEW_CASE, "subject_person_record_ids": [str(hidden.id)]}
    response = client.post(
        "/api/cases", json=body, headers=auth(session, world.police_user, Purpose.safeguarding)
    )
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert case_table_counts(session) == before


def test_open_case_with_an_unknown_place_is_404(
    client: TestClient, session: Session, world: Partnership
) -> None:
    before = case_table_counts(session)
    body = {**NEW_CASE, "place_id": str(uuid.uuid4())}
    response = client.post("/api/cases", json=body, headers=auth(session, world.police_user))
    assert response.status_code == 404
    assert case_table_counts(session) == before


def test_an_analyst_may_not_open_a_case(
    client: TestClient, session: Session, world: Partnership
) -> None:
    response = client.post("/api/cases", json=NEW_CASE,
                           headers=auth(session, world.police_analyst))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {**NEW_CASE, "kind": "burglary"},
        {**NEW_CASE, "risk_level": "extreme"},
        {**NEW_CASE, "title": ""},
        {**NEW_CASE, "title": "x" * 201},
        {**NEW_CASE, "colour": "red"},
        {"title": "No kind"},
        {**NEW_CASE, "subject_person_record_ids": ["not-a-uuid"]},
    ],
)
def test_open_case_refuses_bad_input(
    client: TestClient, session: Session, world: Partnership, body: dict[str, object]
) -> None:
    before = case_table_counts(session)
    response = client.post("/api/cases", json=body, headers=auth(session, world.police_user))
    assert response.status_code == 422
    assert response.json()["title"] == "Invalid input"
    assert case_table_counts(session) == before


def test_malformed_json_is_422(client: TestClient, session: Session, world: Partnership) -> None:
    headers = {**auth(session, world.police_user), "Content-Type": "application/json"}
    response = client.post("/api/cases", content=b'{"title": "Noise", ', headers=headers)
    assert response.status_code == 422


def test_list_counts_only_visible_cases(
    client: TestClient, session: Session, world: Partnership
) -> None:
    make_case(session, world.police, title="Police one")
    make_case(session, world.police, title="Police two", status="closed")
    make_case(session, world.housing, title="Housing only")
    make_case(session, world.council, members=[world.police], title="Council with police")

    police = client.get("/api/cases", headers=auth(session, world.police_user)).json()
    assert police["total"] == 3
    assert {c["title"] for c in police["items"]} == {"Police one", "Police two",
                                                       "Council with police"}
    open_only = client.get("/api/cases?status=open", headers=auth(session, world.police_user))
    assert open_only.json()["total"] == 2

    housing = client.get("/api/cases", headers=auth(session, world.housing_user)).json()
    assert housing["total"] == 1
    assert [c["title"] for c in housing["items"]] == ["Housing only"]


def test_list_pages(client: TestClient, session: Session, world: Partnership) -> None:
    for n in range(3):
        make_case(session, world.police, title=f"Case {n}")
    headers = auth(session, world.police_user)
    first = client.get("/api/cases?page=1&page_size=2", headers=headers).json()
    second = client.get("/api/cases?page=2&page_size=2", headers=headers).json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert not {c["id"] for c in first["items"]} & {c["id"] for c in second["items"]}


@pytest.mark.parametrize(
    "query", ["status=pending", "page=0", "page_size=0", "page_size=100000", "page=abc"]
)
def test_list_refuses_bad_query(
    client: TestClient, session: Session, world: Partnership, query: str
) -> None:
    response = client.get(f"/api/cases?{query}", headers=auth(session, world.police_user))
    assert response.status_code == 422


def test_unknown_purpose_is_422(client: TestClient, session: Session, world: Partnership) -> None:
    headers = {**auth(session, world.police_user), "X-Purpose": "curiosity"}
    assert client.get("/api/cases", headers=headers).status_code == 422


def test_other_agency_gets_404_and_list_totals_skip_the_case(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    for purpose in (None, Purpose.safeguarding):
        headers = auth(session, world.housing_user, purpose)
        assert client.get(f"/api/cases/{case.id}", headers=headers).status_code == 404
        assert client.get("/api/cases", headers=headers).json()["total"] == 0
    assert audit_events(session) == []


def test_a_case_that_does_not_exist_is_404(
    client: TestClient, session: Session, world: Partnership
) -> None:
    response = client.get(f"/api/cases/{uuid.uuid4()}", headers=auth(session, world.police_user))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("purposes", "categories", "declared"),
    [
        ([Purpose.safeguarding], [DataCategory.case_notes], None),
        ([Purpose.safeguarding], [DataCategory.case_notes], Purpose.crime_prevention),
        ([Purpose.safeguarding], [DataCategory.person_identifiers, DataCategory.referrals],
         Purpose.safeguarding),
    ],
    ids=["no-purpose-declared", "purpose-not-covered", "category-not-covered"],
)
def test_an_agreement_that_does_not_cover_the_read_gives_404(
    client: TestClient, session: Session, world: Partnership,
    purposes: list[Purpose], categories: list[DataCategory], declared: Purpose | None,
) -> None:
    case = make_case(session, world.police)
    make_agreement(session, [world.police, world.housing], purposes=purposes,
                   categories=categories)
    headers = auth(session, world.housing_user, declared)
    assert client.get(f"/api/cases/{case.id}", headers=headers).status_code == 404
    assert client.get("/api/cases", headers=headers).json()["total"] == 0
    assert audit_events(session, "read") == []


def test_a_covering_agreement_and_purpose_reveal_the_case_and_audit_the_read(
    client: TestClient, session: Session, world: Partnership
) -> None:
    subject = make_person_record_row(session, world.police)
    case = make_case(session, world.police, subjects=[subject])
    note = _note(session, case.id, world.police.id, "Victim moved to temporary housing.")
    make_agreement(session, [world.police, world.housing], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.case_notes])
    headers = auth(session, world.housing_user, Purpose.safeguarding)

    listed = client.get("/api/cases", headers=headers).json()
    assert listed["total"] == 1
    detail = client.get(f"/api/cases/{case.id}", headers=headers)
    assert detail.status_code == 200
    body = detail.json()
    assert [n["text"] for n in body["notes"]] == ["Victim moved to temporary housing."]
    # The agreement covers case notes, not person identifiers: the subject is only counted.
    assert body["subjects"] == []
    assert body["hidden_subject_count"] == 1

    reads = audit_events(session, "read")
    assert {(e.object_type, e.object_id) for e in reads} == {
        ("case", str(case.id)), ("case_note", str(note.id))
    }
    assert all(e.purpose == "safeguarding" for e in reads)
    assert all(e.owner_organisation_id == world.police.id for e in reads)
    assert all(e.organisation_id == world.housing.id for e in reads)


def test_a_reader_through_an_agreement_may_not_change_the_case(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    make_agreement(session, [world.police, world.housing], categories=[DataCategory.case_notes])
    headers = auth(session, world.housing_user, Purpose.safeguarding)
    response = client.post(f"/api/cases/{case.id}/notes", headers=headers,
                           json={"text": "Seen", "sensitivity": "standard"})
    assert response.status_code == 403


@pytest.mark.parametrize("change", ["revoke", "expire"])
def test_a_revoked_or_expired_agreement_stops_access_at_once(
    client: TestClient, session: Session, world: Partnership, change: str
) -> None:
    case = make_case(session, world.police)
    agreement = make_agreement(session, [world.police, world.housing],
                               categories=[DataCategory.case_notes])
    headers = auth(session, world.housing_user, Purpose.safeguarding)
    assert client.get(f"/api/cases/{case.id}", headers=headers).status_code == 200

    if change == "revoke":
        agreement.status = AgreementStatus.revoked.value
        agreement.revoked_at = utcnow()
    else:
        agreement.valid_to = london_today() - timedelta(days=1)
    session.flush()
    assert client.get(f"/api/cases/{case.id}", headers=headers).status_code == 404
    assert client.get("/api/cases", headers=headers).json()["total"] == 0


def test_a_member_reads_another_members_notes_and_subjects_only_with_a_purpose(
    client: TestClient, session: Session, world: Partnership
) -> None:
    police_subject = make_person_record_row(session, world.police, given_name="Pat")
    council_subject = make_person_record_row(session, world.council, given_name="Chris")
    case = make_case(session, world.police, members=[world.council],
                     subjects=[police_subject, council_subject])
    police_note = _note(session, case.id, world.police.id, "Police note")
    _note(session, case.id, world.council.id, "Council note")

    plain = client.get(f"/api/cases/{case.id}", headers=auth(session, world.council_user))
    assert plain.status_code == 200
    assert [n["text"] for n in plain.json()["notes"]] == ["Council note"]
    assert [s["given_name"] for s in plain.json()["subjects"]] == ["Chris"]
    assert plain.json()["hidden_subject_count"] == 1
    assert audit_events(session, "read") == []

    headers = auth(session, world.council_user, Purpose.asb_case_management)
    full = client.get(f"/api/cases/{case.id}", headers=headers).json()
    assert {n["text"] for n in full["notes"]} == {"Police note", "Council note"}
    assert {s["given_name"] for s in full["subjects"]} == {"Pat", "Chris"}
    assert full["hidden_subject_count"] == 0
    reads = {(e.object_type, e.object_id, e.purpose) for e in audit_events(session, "read")}
    # The case itself is not a disclosure to a member; the police's note and subject are.
    assert reads == {
        ("case_note", str(police_note.id), "asb_case_management"),
        ("person_record", str(police_subject.id), "asb_case_management"),
    }


def test_special_category_notes_need_an_agreement_naming_them_and_a_safeguarding_purpose(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    _note(session, case.id, world.police.id, "Ordinary note")
    special = _note(session, case.id, world.police.id, "Mental health detail",
                    Sensitivity.special_category)

    def notes_seen(purpose: Purpose) -> set[str]:
        response = client.get(f"/api/cases/{case.id}",
                              headers=auth(session, world.council_user, purpose))
        assert response.status_code == 200
        return {n["text"] for n in response.json()["notes"]}

    # Membership alone (rule 2) never reveals special category data (rule 3).
    assert notes_seen(Purpose.safeguarding) == {"Ordinary note"}

    make_agreement(
        session, [world.police, world.council],
        purposes=[Purpose.safeguarding, Purpose.asb_case_management],
        categories=[DataCategory.case_notes, DataCategory.special_category],
    )
    assert notes_seen(Purpose.asb_case_management) == {"Ordinary note"}
    assert notes_seen(Purpose.safeguarding) == {"Ordinary note", "Mental health detail"}
    special_reads = [e for e in audit_events(session, "read") if e.object_id == str(special.id)]
    assert [e.purpose for e in special_reads] == ["safeguarding"]


def test_special_category_notes_stay_hidden_from_an_agreement_without_special_category(
    client: TestClient, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    _note(session, case.id, world.police.id, "Health detail", Sensitivity.special_category)
    make_agreement(session, [world.police, world.housing], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.case_notes])
    response = client.get(f"/api/cases/{case.id}",
                          headers=auth(session, world.housing_user, Purpose.safeguarding))
    assert response.status_code == 200
    assert response.json()["notes"] == []


def test_attached_incidents_show_to_members_with_a_purpose_and_are_counted_otherwise(
    client: TestClient, session: Session, world: Partnership
) -> None:
    incident = make_incident_row(session, world.police)
    case = make_case(session, world.police, members=[world.council], incidents=[incident])

    plain = client.get(f"/api/cases/{case.id}", headers=auth(session, world.council_user))
    assert (plain.json()["incidents"], plain.json()["hidden_incident_count"]) == ([], 1)

    headers = auth(session, world.council_user, Purpose.safeguarding)
    seen = client.get(f"/api/cases/{case.id}", headers=headers).json()
    assert [i["incident_id"] for i in seen["incidents"]] == [str(incident.id)]
    assert seen["incidents"][0]["organisation_name"] == "Surrey Police"
    assert seen["hidden_incident_count"] == 0
    [event] = [e for e in audit_events(session, "read") if e.object_type == "incident"]
    assert (event.object_id, event.purpose) == (str(incident.id), "safeguarding")
