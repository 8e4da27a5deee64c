"""Action pages: an owner organisation not invited to the meeting reaches and updates its action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.partnership.meetings.models import MeetingAction, MeetingDecision
from tests.conftest import PageClient
from tests.factories import make_commitment, make_meeting
from tests.partnership.meetings.helpers import World, audit_count

Clients = Callable[..., PageClient]
SCRIPT = "<script>alert('x')</script>"


def _action(session: Session, world: World, *, text: str = "Write the bid",
            due_on: date | None = None) -> MeetingAction:
    """An action for housing from a meeting only police was invited to."""
    meeting = make_meeting(session, invited=[world.police], title="Police-only tasking")
    decision = MeetingDecision(meeting_id=meeting.id, text="Decided")
    session.add(decision)
    session.flush()
    action = MeetingAction(meeting_id=meeting.id, decision_id=decision.id, text=text,
                           owner_organisation_id=world.housing.id,
                           due_on=due_on or date.today() + timedelta(days=10), status="open")
    session.add(action)
    session.flush()
    return action


def _status(session: Session, action: MeetingAction) -> str:
    statement = select(MeetingAction.status).where(MeetingAction.id == action.id)
    return str(session.scalar(statement.execution_options(populate_existing=True)))


def test_uninvited_owner_finds_reads_and_updates_its_action(
    page_client: Clients, session: Session, world: World
) -> None:
    action = _action(session, world, text=SCRIPT)
    housing = page_client(world.housing_user)
    listing = housing.get("/partnership/actions")
    assert listing.status_code == 200 and f"/partnership/actions/{action.id}" in listing.text
    assert SCRIPT not in listing.text and "Police-only tasking" not in listing.text
    page = housing.get(f"/partnership/actions/{action.id}")
    assert page.status_code == 200 and "Update action" in page.text
    assert "not invited" in page.text and "Police-only tasking" not in page.text
    assert housing.get(f"/partnership/meetings/{action.meeting_id}").status_code == 404
    done = housing.post(f"/partnership/actions/{action.id}/status", follow_redirects=True,
                        data={"csrf_token": housing.csrf_token, "status": "done",
                              "back": "meeting"})
    assert done.status_code == 200 and "Action updated" in done.text
    assert str(done.url).endswith(f"/partnership/actions/{action.id}?done=action")
    assert _status(session, action) == "done"
    assert audit_count(session, "set_meeting_action_status") == 1


def test_office_goes_back_to_the_meeting(page_client: Clients, session: Session, world: World
                                        ) -> None:
    action = _action(session, world)
    office = page_client(world.office_user)
    response = office.post(f"/partnership/actions/{action.id}/status", follow_redirects=False,
                           data={"csrf_token": office.csrf_token, "status": "in_progress",
                                 "back": "meeting"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/partnership/meetings/{action.meeting_id}?done=action"
    assert "Police-only tasking" in office.get(f"/partnership/actions/{action.id}").text


def test_other_agency_gets_404_invited_reader_cannot_update(
    page_client: Clients, session: Session, world: World
) -> None:
    action = _action(session, world)
    council = page_client(world.council_user)
    assert council.get(f"/partnership/actions/{action.id}").status_code == 404
    assert council.post(f"/partnership/actions/{action.id}/status", data={
        "csrf_token": council.csrf_token, "status": "done"}).status_code == 404
    assert f"/partnership/actions/{action.id}" not in council.get("/partnership/actions").text
    police = page_client(world.police_user)  # invited: reads it, does not own it
    page = police.get(f"/partnership/actions/{action.id}")
    assert page.status_code == 200 and "Update action" not in page.text
    assert police.post(f"/partnership/actions/{action.id}/status", data={
        "csrf_token": police.csrf_token, "status": "done"}).status_code == 403
    assert _status(session, action) == "open" and audit_count(session) == 0


def test_bad_status_shows_the_error_summary_and_forged_csrf_403(
    page_client: Clients, session: Session, world: World
) -> None:
    action = _action(session, world)
    housing = page_client(world.housing_user)
    url = f"/partnership/actions/{action.id}/status"
    bad = housing.post(url, data={"csrf_token": housing.csrf_token, "status": "finished"})
    assert bad.status_code == 422 and "govuk-error-summary" in bad.text
    assert 'href="#status"' in bad.text
    for token in ("", "forged"):
        assert housing.post(url, data={"csrf_token": token, "status": "done"}).status_code == 403
    assert _status(session, action) == "open" and audit_count(session) == 0


def test_home_shows_my_agencys_overdue_commitments_and_actions(
    page_client: Clients, session: Session, world: World
) -> None:
    late = date.today() - timedelta(days=3)
    _action(session, world, text="Late housing action", due_on=late)
    make_commitment(session, world.housing, text="Late housing commitment", due_on=late)
    make_commitment(session, world.housing, text="Done housing commitment", due_on=late,
                    status="done")
    make_commitment(session, world.council, text="Late council commitment", due_on=late)
    home = page_client(world.housing_user).get("/")
    assert home.status_code == 200
    section = home.text.split('id="partnership-overdue"', 1)[1].split("<h2", 1)[0]
    assert "Late housing action" in section and "Late housing commitment" in section
    assert "Done housing commitment" not in section and "Late council commitment" not in section
    council_home = page_client(world.council_user).get("/")
    assert "Late housing action" not in council_home.text
