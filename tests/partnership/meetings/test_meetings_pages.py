"""Meetings pages: the office runs them, invited agencies read them, others get 404; CSRF, XSS."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.config import get_settings
from safetyhub.partnership.meetings.models import Meeting, MeetingAttachment
from tests.conftest import PageClient
from tests.factories import make_meeting
from tests.partnership.meetings.helpers import PDF, World, audit_count

Clients = Callable[..., PageClient]
SCRIPT = "<script>alert('x')</script>"


def _count(session: Session, model: type[Meeting] | type[MeetingAttachment]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _new(csrf: str, title: str = "Quarterly meeting") -> dict[str, object]:
    return {"csrf_token": csrf, "kind": "meeting", "title": title, "venue": "Woking",
            "held-day": "3", "held-month": "2", "held-year": "2027", "themes": "ASB"}


def test_office_creates_a_meeting_and_script_is_escaped(
    page_client: Clients, session: Session, world: World
) -> None:
    office = page_client(world.office_user)
    assert office.get("/partnership/meetings/new").status_code == 200
    data = {**_new(office.csrf_token, title=SCRIPT), "invited": [str(world.police.id)]}
    response = office.post("/partnership/meetings/new", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert SCRIPT not in response.text and "&lt;script&gt;" in response.text
    assert "Meeting created" in response.text and "Surrey Police" in response.text


def test_missing_or_forged_csrf_gives_403_and_writes_nothing(
    page_client: Clients, session: Session, world: World
) -> None:
    office = page_client(world.office_user)
    for token in ("", "forged"):
        response = office.post("/partnership/meetings/new", data=_new(token))
        assert response.status_code == 403
    assert _count(session, Meeting) == 0 and audit_count(session) == 0


def test_agency_user_cannot_create(page_client: Clients, session: Session, world: World) -> None:
    police = page_client(world.police_user)
    assert police.get("/partnership/meetings/new").status_code == 403
    assert police.post("/partnership/meetings/new",
                       data=_new(police.csrf_token)).status_code == 403
    assert _count(session, Meeting) == 0


def test_invalid_form_says_what_to_fix(page_client: Clients, session: Session, world: World
                                       ) -> None:
    office = page_client(world.office_user)
    response = office.post("/partnership/meetings/new",
                           data={**_new(office.csrf_token), "title": "", "held-day": "31",
                                 "held-month": "2"})
    assert response.status_code == 422
    assert "Enter the meeting" in response.text and "real date" in response.text
    assert _count(session, Meeting) == 0


def test_invited_agency_reads_the_meeting_others_get_404(
    page_client: Clients, session: Session, world: World
) -> None:
    meeting = make_meeting(session, invited=[world.police], title="Tasking group")
    assert page_client(world.housing_user).get(
        f"/partnership/meetings/{meeting.id}").status_code == 404
    assert "Tasking group" not in page_client(world.housing_user).get(
        "/partnership/meetings").text
    police = page_client(world.police_user)
    page = police.get(f"/partnership/meetings/{meeting.id}")
    assert page.status_code == 200 and "Tasking group" in page.text
    assert "Record attendance" not in page.text


def test_page_upload_of_wrong_type_or_too_large_stores_nothing(
    page_client: Clients, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFETYHUB_MEETING_ATTACHMENT_MAX_BYTES", "500")
    get_settings.cache_clear()
    meeting = make_meeting(session, invited=[world.police])
    office = page_client(world.office_user)
    url = f"/partnership/meetings/{meeting.id}/papers"
    wrong = office.post(url, data={"csrf_token": office.csrf_token},
                        files={"file": ("x.pdf", b"MZ\x90\x00 windows executable")})
    assert wrong.status_code == 422 and "does not match its type" in wrong.text
    large = office.post(url, data={"csrf_token": office.csrf_token},
                        files={"file": ("big.pdf", PDF + b"0" * 600)})
    assert large.status_code == 413 and "larger than the limit" in large.text
    forged = office.post(url, data={"csrf_token": "forged"}, files={"file": ("s.pdf", PDF)})
    assert forged.status_code == 403
    assert _count(session, MeetingAttachment) == 0
    ok = office.post(url, data={"csrf_token": office.csrf_token, "title": "Slides"},
                     files={"file": ("s.pdf", PDF)}, follow_redirects=True)
    assert ok.status_code == 200 and "Paper added" in ok.text
    assert _count(session, MeetingAttachment) == 1


def test_attendance_minutes_and_decision_through_the_page(
    page_client: Clients, session: Session, world: World
) -> None:
    meeting = make_meeting(session, invited=[world.police, world.council])
    office = page_client(world.office_user)
    base = f"/partnership/meetings/{meeting.id}"
    office.post(f"{base}/attendance", data={"csrf_token": office.csrf_token,
                                            "attended": [str(world.police.id)]})
    office.post(f"{base}/minutes", data={"csrf_token": office.csrf_token, "agenda": "Welcome",
                                         "minutes": SCRIPT})
    response = office.post(f"{base}/decisions", follow_redirects=True, data={
        "csrf_token": office.csrf_token, "decision": "Fund a hub",
        "action-1-text": "Write the bid", "action-1-owner": str(world.council.id),
        "action-1-due-day": "1", "action-1-due-month": "3", "action-1-due-year": "2027"})
    assert response.status_code == 200
    assert "1 of 2 invited organisations attended" in response.text
    assert "Write the bid" in response.text and SCRIPT not in response.text
    council = page_client(world.council_user)
    page = council.get(base)
    assert "Update action" in page.text
