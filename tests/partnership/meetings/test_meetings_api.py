"""Meetings API: convening, invitations, attendance figures, papers, decisions, who sees what."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.config import get_settings
from safetyhub.partnership.commitments.models import Commitment, Priority
from safetyhub.partnership.meetings.models import MeetingAction, MeetingAttachment
from tests.factories import headers_for, make_meeting
from tests.partnership.meetings.helpers import PDF, PNG, World, audit_count, office_file

BASE = "/api/partnership/meetings"


def _papers(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(MeetingAttachment)) or 0)


def test_office_convenes_a_meeting_and_it_is_audited(
    client: TestClient, session: Session, world: World
) -> None:
    body = {"kind": "assembly", "title": "Surrey Community Safety Assembly",
            "held_on": "2026-10-01", "venue": "Dorking Halls", "themes": "VAWG\nASB",
            "invited_organisation_ids": [str(world.police.id), str(world.council.id)]}
    response = client.post(BASE, json=body, headers=headers_for(session, world.office_user))
    assert response.status_code == 201, response.text
    read = response.json()
    assert read["themes"] == ["VAWG", "ASB"]
    assert read["invited"] == 2 and read["attended"] == 0 and read["attendance_rate"] == 0
    assert audit_count(session, "create_meeting") == 1


def test_an_agency_user_cannot_convene(client: TestClient, session: Session, world: World
                                       ) -> None:
    body = {"title": "Rogue", "held_on": "2026-10-01", "venue": "Pub"}
    response = client.post(BASE, json=body, headers=headers_for(session, world.police_user))
    assert response.status_code == 403
    assert audit_count(session, "create_meeting") == 0


def test_non_invited_agency_gets_404_and_sees_no_meeting(
    client: TestClient, session: Session, world: World
) -> None:
    meeting = make_meeting(session, invited=[world.police], title="Confidential tasking")
    housing = headers_for(session, world.housing_user)
    assert client.get(f"{BASE}/{meeting.id}", headers=housing).status_code == 404
    assert client.get(BASE, headers=housing).json() == []
    police = headers_for(session, world.police_user)
    assert client.get(f"{BASE}/{meeting.id}", headers=police).status_code == 200
    assert [m["title"] for m in client.get(BASE, headers=police).json()] == [
        "Confidential tasking"]


@pytest.mark.parametrize(
    ("invited", "attended", "rate"),
    [(0, 0, None), (3, 0, 0.0), (3, 1, 0.333), (3, 3, 1.0), (2, 1, 0.5)],
)
def test_attendance_rate_per_meeting(
    client: TestClient, session: Session, world: World, invited: int, attended: int,
    rate: float | None,
) -> None:
    orgs = [world.police, world.council, world.housing][:invited]
    meeting = make_meeting(session, invited=orgs)
    response = client.put(f"{BASE}/{meeting.id}/attendance",
                          json={"attended_organisation_ids": [str(o.id) for o in orgs[:attended]]},
                          headers=headers_for(session, world.office_user))
    assert response.status_code == 200, response.text
    read = response.json()
    assert (read["invited"], read["attended"], read["attendance_rate"]) == (
        invited, attended, rate)


def test_attendance_per_organisation_counts_meetings_held_so_far(
    client: TestClient, session: Session, world: World
) -> None:
    past = date.today() - timedelta(days=30)
    make_meeting(session, invited=[world.police, world.council], attended=[world.police],
                 held_on=past)
    make_meeting(session, invited=[world.police, world.council],
                 attended=[world.police, world.council], held_on=past)
    make_meeting(session, invited=[world.police], held_on=date.today() + timedelta(days=60))
    rows = client.get("/api/partnership/attendance",
                      headers=headers_for(session, world.office_user)).json()
    figures = {row["organisation_name"]: (row["invited"], row["attended"],
                                          row["attendance_rate"]) for row in rows}
    assert figures == {"Surrey Police": (2, 2, 1.0), "Guildford Borough Council": (2, 1, 0.5)}


def test_attendance_only_of_invited_organisations(
    client: TestClient, session: Session, world: World
) -> None:
    meeting = make_meeting(session, invited=[world.police])
    response = client.put(f"{BASE}/{meeting.id}/attendance",
                          json={"attended_organisation_ids": [str(world.housing.id)]},
                          headers=headers_for(session, world.office_user))
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("filename", "content"),
    [("slides.pdf", PDF), ("photo.png", PNG), ("photo.jpeg", b"\xff\xd8\xff\xe0rest"),
     ("paper.docx", office_file("docx")), ("deck.pptx", office_file("pptx")),
     ("paper.odt", office_file("odt")), ("deck.odp", office_file("odp"))],
)
def test_allowed_papers_are_stored_and_downloaded_as_attachments(
    client: TestClient, session: Session, world: World, filename: str, content: bytes
) -> None:
    meeting = make_meeting(session, invited=[world.police])
    office = headers_for(session, world.office_user)
    response = client.post(f"{BASE}/{meeting.id}/papers", headers=office,
                           files={"file": (filename, content)}, data={"title": "Slides"})
    assert response.status_code == 201, response.text
    paper = response.json()
    download = client.get(f"{BASE}/{meeting.id}/papers/{paper['id']}",
                          headers=headers_for(session, world.police_user))
    assert download.status_code == 200 and download.content == content
    assert download.headers["content-disposition"].startswith(f'attachment; filename="{filename}"')
    assert download.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("filename", "content"),
    [("evil.html", b"<script>alert(1)</script>"), ("slides.pdf", b"<html>not a pdf"),
     ("photo.png", PDF), ("paper.docx", office_file("pptx")), ("paper.odt", office_file("odp")),
     ("paper.docx", b"PK\x03\x04garbage"), ("noextension", PDF), ("empty.pdf", b"")],
)
def test_wrong_type_is_rejected_with_nothing_stored(
    client: TestClient, session: Session, world: World, filename: str, content: bytes
) -> None:
    meeting = make_meeting(session, invited=[world.police])
    response = client.post(f"{BASE}/{meeting.id}/papers",
                           headers=headers_for(session, world.office_user),
                           files={"file": (filename, content)})
    assert response.status_code == 422
    assert _papers(session) == 0 and audit_count(session, "add_meeting_paper") == 0


def test_over_the_size_limit_is_rejected_with_nothing_stored(
    client: TestClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFETYHUB_MEETING_ATTACHMENT_MAX_BYTES", "1000")
    get_settings.cache_clear()
    meeting = make_meeting(session, invited=[world.police])
    office = headers_for(session, world.office_user)
    big = PDF + b"0" * 1000
    response = client.post(f"{BASE}/{meeting.id}/papers", headers=office,
                           files={"file": ("big.pdf", big)})
    assert response.status_code == 413
    assert _papers(session) == 0
    at_limit = PDF + b"0" * (1000 - len(PDF))
    ok = client.post(f"{BASE}/{meeting.id}/papers", headers=office,
                     files={"file": ("limit.pdf", at_limit)})
    assert ok.status_code == 201 and _papers(session) == 1


def test_non_invited_agency_cannot_download_a_paper(
    client: TestClient, session: Session, world: World
) -> None:
    meeting = make_meeting(session, invited=[world.police])
    paper = client.post(f"{BASE}/{meeting.id}/papers",
                        headers=headers_for(session, world.office_user),
                        files={"file": ("s.pdf", PDF)}).json()
    response = client.get(f"{BASE}/{meeting.id}/papers/{paper['id']}",
                          headers=headers_for(session, world.housing_user))
    assert response.status_code == 404


def test_decision_creates_actions_and_commitments(
    client: TestClient, session: Session, world: World
) -> None:
    meeting = make_meeting(session, invited=[world.police, world.council])
    priority = session.scalars(select(Priority).where(Priority.code == "vawg")).one()
    due = (date.today() + timedelta(days=90)).isoformat()
    body = {"text": "Adopt a county-wide night-time economy plan",
            "actions": [{"text": "Draft the plan", "owner_organisation_id": str(world.council.id),
                         "owner_user_id": str(world.council_user.id), "due_on": due}],
            "commitments": [{"organisation_id": str(world.police.id),
                             "priority_id": str(priority.id), "text": "Fund patrols",
                             "due_on": due}]}
    response = client.post(f"{BASE}/{meeting.id}/decisions", json=body,
                           headers=headers_for(session, world.office_user))
    assert response.status_code == 201, response.text
    decision = response.json()
    assert [a["owner_organisation_name"] for a in decision["actions"]] == [
        "Guildford Borough Council"]
    assert len(decision["commitment_ids"]) == 1
    commitment = session.get(Commitment, uuid.UUID(decision["commitment_ids"][0]))
    assert commitment is not None and commitment.decision_id is not None
    assert audit_count(session, "record_decision") == 1
    assert audit_count(session, "make_commitment") == 1


def test_action_owner_updates_status_other_agency_cannot(
    client: TestClient, session: Session, world: World
) -> None:
    meeting = make_meeting(session, invited=[world.police, world.council])
    due = (date.today() + timedelta(days=10)).isoformat()
    client.post(f"{BASE}/{meeting.id}/decisions", headers=headers_for(session, world.office_user),
                json={"text": "Decide", "actions": [{"text": "Act", "due_on": due,
                      "owner_organisation_id": str(world.council.id)}]})
    action = session.scalars(select(MeetingAction)).one()
    police = client.patch(f"/api/partnership/actions/{action.id}", json={"status": "done"},
                          headers=headers_for(session, world.police_user))
    assert police.status_code == 403
    housing = client.patch(f"/api/partnership/actions/{action.id}", json={"status": "done"},
                           headers=headers_for(session, world.housing_user))
    assert housing.status_code == 404
    council = client.patch(f"/api/partnership/actions/{action.id}", json={"status": "done"},
                           headers=headers_for(session, world.council_user))
    assert council.status_code == 200 and council.json()["status"] == "done"


def test_minutes_recorded_and_long_text_refused(
    client: TestClient, session: Session, world: World
) -> None:
    meeting = make_meeting(session, invited=[world.police])
    office = headers_for(session, world.office_user)
    ok = client.patch(f"{BASE}/{meeting.id}", json={"agenda": "1. Welcome", "minutes": "Met."},
                      headers=office)
    assert ok.status_code == 200 and ok.json()["minutes"] == "Met."
    too_long = client.patch(f"{BASE}/{meeting.id}", json={"minutes": "x" * 50_001},
                            headers=office)
    assert too_long.status_code == 422
    denied = client.patch(f"{BASE}/{meeting.id}", json={"minutes": "Mine"},
                          headers=headers_for(session, world.police_user))
    assert denied.status_code == 403


def test_a_paper_over_the_general_body_limit_but_within_the_paper_limit_is_stored(
    client: TestClient, session: Session, world: World
) -> None:
    settings = get_settings()
    assert settings.max_request_bytes < 2_000_000 < settings.meeting_attachment_max_bytes
    meeting = make_meeting(session, invited=[world.police])
    office = headers_for(session, world.office_user)
    paper = PDF + b"0" * 2_000_000
    ok = client.post(f"{BASE}/{meeting.id}/papers", headers=office,
                     files={"file": ("assembly-slides.pdf", paper)})
    assert ok.status_code == 201, ok.text
    # Other routes keep the general limit.
    other = client.post(BASE, headers=office, content=b"{" + b" " * 2_000_000 + b"}")
    assert other.status_code == 413 and _papers(session) == 1
