"""Commitments: overdue rule, progress figures, who may update, API reads and audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from safetyhub.partnership.commitments.rules import figures, is_overdue
from tests.factories import headers_for, make_commitment
from tests.partnership.meetings.helpers import World, audit_count

TODAY = date(2026, 11, 25)
API = "/api/partnership/commitments"


@pytest.mark.parametrize(
    ("due_on", "status", "overdue"),
    [
        (TODAY - timedelta(days=1), "not_started", True),
        (TODAY - timedelta(days=1), "on_track", True),
        (TODAY - timedelta(days=1), "at_risk", True),
        (TODAY, "at_risk", False),  # due today is not overdue
        (TODAY + timedelta(days=1), "not_started", False),
        (TODAY - timedelta(days=400), "done", False),  # done is never overdue
        (TODAY - timedelta(days=1), "dropped", False),
    ],
)
def test_overdue(due_on: date, status: str, overdue: bool) -> None:
    assert is_overdue(due_on, status, TODAY) is overdue


@pytest.mark.parametrize(
    ("rows", "total", "done", "overdue", "done_rate"),
    [
        ([], 0, 0, 0, None),
        ([(TODAY, "done")], 1, 1, 0, 1.0),
        ([(TODAY, "done"), (TODAY, "dropped")], 2, 1, 0, 1.0),  # dropped leave the rate
        ([(TODAY - timedelta(days=1), "on_track"), (TODAY, "at_risk"), (TODAY, "done")],
         3, 1, 1, 0.333),
        ([(TODAY, "dropped")], 1, 0, 0, None),
    ],
)
def test_progress_figures(rows: list[tuple[date, str]], total: int, done: int, overdue: int,
                          done_rate: float | None) -> None:
    result = figures(rows, TODAY)
    assert (result.total, result.done, result.overdue, result.done_rate) == (
        total, done, overdue, done_rate)
    assert sum(result.by_status.values()) == total


def test_office_makes_a_commitment_for_any_organisation(
    client: TestClient, session: Session, world: World
) -> None:
    priority = client.get("/api/partnership/priorities",
                          headers=headers_for(session, world.office_user)).json()
    assert [p["code"] for p in priority][:3] == [
        "anti_social_behaviour", "mental_ill_health", "criminal_exploitation"]
    body = {"organisation_id": str(world.council.id), "priority_id": priority[0]["id"],
            "text": "Hold ASB surgeries", "due_on": "2027-03-31",
            "owner_user_id": str(world.council_user.id)}
    response = client.post(API, json=body, headers=headers_for(session, world.office_user))
    assert response.status_code == 201, response.text
    assert response.json()["owner_name"] == world.council_user.full_name
    assert audit_count(session, "make_commitment") == 1
    denied = client.post(API, json=body, headers=headers_for(session, world.council_user))
    assert denied.status_code == 403


def test_owner_organisation_updates_status_and_evidence(
    client: TestClient, session: Session, world: World
) -> None:
    commitment = make_commitment(session, world.council)
    council = headers_for(session, world.council_user)
    status = client.put(f"{API}/{commitment.id}/status", json={"status": "on_track"},
                        headers=council)
    assert status.status_code == 200 and status.json()["status"] == "on_track"
    progress = client.post(f"{API}/{commitment.id}/progress", headers=council,
                           json={"text": "Two surgeries held"})
    assert progress.status_code == 201
    assert [e["text"] for e in progress.json()["progress"]] == ["Two surgeries held"]
    assert audit_count(session, "set_commitment_status") == 1
    assert audit_count(session, "add_commitment_progress") == 1


def test_another_organisation_cannot_update_your_commitment(
    client: TestClient, session: Session, world: World
) -> None:
    commitment = make_commitment(session, world.council)
    police = headers_for(session, world.police_user)
    assert client.put(f"{API}/{commitment.id}/status", json={"status": "done"},
                      headers=police).status_code == 403
    assert client.post(f"{API}/{commitment.id}/progress", json={"text": "Not ours"},
                       headers=police).status_code == 403
    assert client.get(f"{API}/{commitment.id}", headers=police).json()["status"] == "not_started"
    assert audit_count(session, "set_commitment_status") == 0


def test_every_partnership_user_reads_commitments_and_progress(
    client: TestClient, session: Session, world: World
) -> None:
    make_commitment(session, world.council, due_on=date.today() - timedelta(days=3))
    make_commitment(session, world.police, priority_code="vawg", status="done",
                    due_on=date.today() - timedelta(days=3))
    housing = headers_for(session, world.housing_user)
    assert len(client.get(API, headers=housing).json()) == 2
    overdue = client.get(API, params={"overdue": "true"}, headers=housing).json()
    assert [c["organisation_name"] for c in overdue] == ["Guildford Borough Council"]
    report = client.get("/api/partnership/progress", headers=housing).json()
    asb = next(line for line in report["by_priority"] if line["name"] == "Anti-social behaviour")
    assert (asb["total"], asb["overdue"]) == (1, 1)
    orgs = {line["name"]: line["done_rate"] for line in report["by_organisation"]}
    assert orgs == {"Guildford Borough Council": 0.0, "Surrey Police": 1.0}


def test_unknown_commitment_is_404_and_bad_input_422(
    client: TestClient, session: Session, world: World
) -> None:
    office = headers_for(session, world.office_user)
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"{API}/{missing}", headers=office).status_code == 404
    commitment = make_commitment(session, world.council)
    assert client.put(f"{API}/{commitment.id}/status", json={"status": "finished"},
                      headers=office).status_code == 422
    future = (date.today() + timedelta(days=5)).isoformat()
    assert client.post(f"{API}/{commitment.id}/progress", headers=office,
                       json={"text": "Later", "noted_on": future}).status_code == 422
