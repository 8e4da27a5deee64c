"""Commitments pages: list, progress, report; owner-only updates, CSRF, escaping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.partnership.commitments.models import Commitment, Priority
from tests.conftest import PageClient
from tests.factories import make_commitment
from tests.partnership.meetings.helpers import World, audit_count

Clients = Callable[..., PageClient]
SCRIPT = "<script>alert('x')</script>"


def _status(session: Session, commitment: Commitment) -> str:
    statement = select(Commitment.status).where(Commitment.id == commitment.id)
    return str(session.scalar(statement.execution_options(populate_existing=True)))


def test_office_records_a_commitment_and_text_is_escaped(
    page_client: Clients, session: Session, world: World
) -> None:
    office = page_client(world.office_user)
    priority = session.scalars(select(Priority).where(Priority.code == "public_trust")).one()
    response = office.post("/partnership/commitments/new", follow_redirects=True, data={
        "csrf_token": office.csrf_token, "organisation": str(world.council.id),
        "priority": str(priority.id), "text": SCRIPT, "due-day": "1", "due-month": "6",
        "due-year": "2027"})
    assert response.status_code == 200 and "Commitment recorded" in response.text
    assert SCRIPT not in response.text and "&lt;script&gt;" in response.text


def test_forged_csrf_gives_403_and_writes_nothing(
    page_client: Clients, session: Session, world: World
) -> None:
    commitment = make_commitment(session, world.council)
    council = page_client(world.council_user)
    url = f"/partnership/commitments/{commitment.id}/status"
    assert council.post(url, data={"csrf_token": "forged", "status": "done"}).status_code == 403
    assert council.post(url, data={"status": "done"}).status_code == 403
    assert _status(session, commitment) == "not_started" and audit_count(session) == 0


def test_owner_updates_other_agency_cannot(
    page_client: Clients, session: Session, world: World
) -> None:
    commitment = make_commitment(session, world.council)
    police = page_client(world.police_user)
    page = police.get(f"/partnership/commitments/{commitment.id}")
    assert page.status_code == 200 and "Update status" not in page.text
    denied = police.post(f"/partnership/commitments/{commitment.id}/status",
                         data={"csrf_token": police.csrf_token, "status": "done"})
    assert denied.status_code == 403 and _status(session, commitment) == "not_started"
    council = page_client(world.council_user)
    done = council.post(f"/partnership/commitments/{commitment.id}/progress",
                        data={"csrf_token": council.csrf_token, "evidence": SCRIPT},
                        follow_redirects=True)
    assert done.status_code == 200 and "Progress added" in done.text
    assert SCRIPT not in done.text
    council.post(f"/partnership/commitments/{commitment.id}/status",
                 data={"csrf_token": council.csrf_token, "status": "on_track"})
    assert _status(session, commitment) == "on_track"


def test_progress_highlights_overdue_and_report_prints(
    page_client: Clients, session: Session, world: World
) -> None:
    make_commitment(session, world.council, text="Late clinic",
                    due_on=date.today() - timedelta(days=2))
    make_commitment(session, world.police, text="Finished patrols", status="done",
                    due_on=date.today() - timedelta(days=2))
    housing = page_client(world.housing_user)
    page = housing.get("/partnership/progress")
    assert page.status_code == 200
    overdue = page.text.split("Overdue commitments", 2)[-1]
    assert "Late clinic" in overdue and "Finished patrols" not in overdue
    listing = housing.get("/partnership/commitments?overdue=1")
    assert "Late clinic" in listing.text and "Finished patrols" not in listing.text
    report = housing.get("/partnership/progress/report")
    assert report.status_code == 200 and "Finished patrols" in report.text
