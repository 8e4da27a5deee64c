"""The decision page: several actions and commitments, as the API takes; errors; CSRF; 403/404."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.partnership.commitments.models import Commitment, Priority
from safetyhub.partnership.meetings.models import Meeting, MeetingAction, MeetingDecision
from tests.conftest import PageClient
from tests.factories import make_meeting
from tests.partnership.meetings.helpers import World, audit_count

Clients = Callable[..., PageClient]
SCRIPT = "<script>alert('x')</script>"


def _count(session: Session, model: type[MeetingDecision | MeetingAction | Commitment]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _priority(session: Session, code: str = "public_trust") -> str:
    return str(session.scalars(select(Priority.id).where(Priority.code == code)).one())


def _action(n: int, text: str, owner: str, person: str = "", day: str = "1") -> dict[str, str]:
    p = f"action-{n}"
    return {f"{p}-text": text, f"{p}-owner": owner, f"{p}-person": person,
            f"{p}-due-day": day, f"{p}-due-month": "3", f"{p}-due-year": "2027"}


def _commitment(n: int, org: str, priority: str, text: str, person: str = ""
                ) -> dict[str, str]:
    p = f"commitment-{n}"
    return {f"{p}-organisation": org, f"{p}-priority": priority, f"{p}-text": text,
            f"{p}-person": person, f"{p}-due-day": "30", f"{p}-due-month": "6",
            f"{p}-due-year": "2027"}


def _meeting(session: Session, world: World) -> Meeting:
    return make_meeting(session, invited=[world.police, world.council])


def test_office_records_a_decision_with_two_actions_and_two_commitments(
    page_client: Clients, session: Session, world: World
) -> None:
    meeting = _meeting(session, world)
    office = page_client(world.office_user)
    form = office.get(f"/partnership/meetings/{meeting.id}/decisions/new")
    assert form.status_code == 200 and "Add another action" in form.text
    data = {"csrf_token": office.csrf_token, "actions": "2", "commitments": "2",
            "decision": "Open a youth hub",
            **_action(1, "Find a building", str(world.council.id),
                      person=str(world.council_user.id)),
            **_action(2, SCRIPT, str(world.housing.id)),
            **_commitment(1, str(world.police.id), _priority(session), "Patrol the hub",
                          person=str(world.police_user.id)),
            **_commitment(2, str(world.council.id), _priority(session, "vawg"), "Fund staff")}
    response = office.post(f"/partnership/meetings/{meeting.id}/decisions", data=data,
                           follow_redirects=True)
    assert response.status_code == 200 and "Decision recorded" in response.text
    assert "Find a building" in response.text and SCRIPT not in response.text
    assert "&lt;script&gt;" in response.text and "2 commitments made" in response.text
    actions = session.scalars(select(MeetingAction).order_by(MeetingAction.text)).all()
    assert {a.owner_organisation_id for a in actions} == {world.council.id, world.housing.id}
    assert world.council_user.id in {a.owner_user_id for a in actions}
    commitments = session.scalars(select(Commitment)).all()
    assert len(commitments) == 2 and all(c.decision_id is not None for c in commitments)
    assert {c.organisation_id for c in commitments} == {world.police.id, world.council.id}
    assert audit_count(session, "record_decision") == 1
    assert audit_count(session, "make_commitment") == 2
    listing = office.get(f"/partnership/commitments?decision={commitments[0].decision_id}")
    assert "Patrol the hub" in listing.text and "Fund staff" in listing.text


def test_blank_rows_are_left_out(page_client: Clients, session: Session, world: World) -> None:
    meeting = _meeting(session, world)
    office = page_client(world.office_user)
    data = {"csrf_token": office.csrf_token, "actions": "1", "commitments": "1",
            "decision": "Note the report", **_action(1, "", "", day=""),
            **_commitment(1, "", "", "")}
    data.update({"commitment-1-due-day": "", "commitment-1-due-month": "",
                 "commitment-1-due-year": "", "action-1-due-month": "",
                 "action-1-due-year": ""})
    response = office.post(f"/partnership/meetings/{meeting.id}/decisions", data=data,
                           follow_redirects=False)
    assert response.status_code == 303
    assert _count(session, MeetingDecision) == 1 and _count(session, MeetingAction) == 0
    assert _count(session, Commitment) == 0


def test_add_another_row_writes_nothing_and_keeps_answers(
    page_client: Clients, session: Session, world: World
) -> None:
    meeting = _meeting(session, world)
    office = page_client(world.office_user)
    data = {"csrf_token": office.csrf_token, "actions": "1", "commitments": "1",
            "decision": "Kept decision", "add": "action",
            **_action(1, "Kept action", str(world.council.id))}
    response = office.post(f"/partnership/meetings/{meeting.id}/decisions", data=data)
    assert response.status_code == 200
    assert 'id="action-2-text"' in response.text and 'id="action-3-text"' not in response.text
    assert "Kept decision" in response.text and "Kept action" in response.text
    assert _count(session, MeetingDecision) == 0 and audit_count(session) == 0


def test_bad_rows_show_an_error_summary_and_write_nothing(
    page_client: Clients, session: Session, world: World
) -> None:
    meeting = _meeting(session, world)
    office = page_client(world.office_user)
    data = {"csrf_token": office.csrf_token, "actions": "2", "commitments": "1",
            "decision": "", **_action(1, "No owner", ""),
            **_action(2, "Wrong person", str(world.council.id),
                      person=str(world.police_user.id), day="31"),
            **_commitment(1, str(world.police.id), "not-a-priority", "x" * 2_001)}
    data["action-2-due-month"] = "2"
    response = office.post(f"/partnership/meetings/{meeting.id}/decisions", data=data)
    assert response.status_code == 422
    assert "govuk-error-summary" in response.text and "There is a problem" in response.text
    for anchor in ("#decision", "#action-1-owner", "#action-2-person", "#action-2-due-day",
                   "#commitment-1-priority", "#commitment-1-text"):
        assert f'href="{anchor}"' in response.text, anchor
    assert "Enter the decision" in response.text
    assert "Select someone who works for the organisation chosen" in response.text
    assert "Wrong person" in response.text  # the answers are kept
    assert _count(session, MeetingDecision) == 0 and _count(session, MeetingAction) == 0
    assert _count(session, Commitment) == 0 and audit_count(session) == 0


def test_forged_or_missing_csrf_gives_403_and_writes_nothing(
    page_client: Clients, session: Session, world: World
) -> None:
    meeting = _meeting(session, world)
    office = page_client(world.office_user)
    for token in ("", "forged"):
        response = office.post(f"/partnership/meetings/{meeting.id}/decisions", data={
            "csrf_token": token, "decision": "Sneaky",
            **_action(1, "Do it", str(world.council.id))})
        assert response.status_code == 403
    assert _count(session, MeetingDecision) == 0 and audit_count(session) == 0


def test_agencies_cannot_record_decisions_and_uninvited_get_404(
    page_client: Clients, session: Session, world: World
) -> None:
    meeting = _meeting(session, world)
    url = f"/partnership/meetings/{meeting.id}/decisions"
    police = page_client(world.police_user)
    assert police.get(url + "/new").status_code == 403
    assert police.post(url, data={"csrf_token": police.csrf_token,
                                  "decision": "Mine"}).status_code == 403
    housing = page_client(world.housing_user)
    assert housing.get(url + "/new").status_code == 404
    assert housing.post(url, data={"csrf_token": housing.csrf_token,
                                   "decision": "Mine"}).status_code == 404
    assert _count(session, MeetingDecision) == 0
