"""Cases pages: changing a case through its forms (plain POST and HTMX), CSRF, escaping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.cases.models import Case, CaseAction, CaseMember, CaseNote
from safetyhub.timeutil import london_today
from tests.cases.helpers import Partnership, audit_events, case_table_counts, summary
from tests.conftest import PageClient
from tests.factories import make_case

Clients = Callable[..., PageClient]
HTMX = {"HX-Request": "true"}


def _due(days: int) -> dict[str, str]:
    day = london_today() + timedelta(days=days)
    return {"due_day": str(day.day), "due_month": str(day.month), "due_year": str(day.year)}


def _action(session: Session, case: Case, org_id: object, description: str = "Visit",
            days: int = 7) -> CaseAction:
    action = CaseAction(case_id=case.id, organisation_id=org_id, description=description,
                        due_date=london_today() + timedelta(days=days), state="open")
    session.add(action)
    session.flush()
    return action


def _actions(session: Session) -> list[CaseAction]:
    statement = select(CaseAction).execution_options(populate_existing=True)
    return list(session.scalars(statement))


def _status(session: Session, case: Case) -> str:
    statement = select(Case.status).where(Case.id == case.id)
    return str(session.scalar(statement.execution_options(populate_existing=True)))


def test_adding_an_action_through_the_form_redirects_back_to_the_case(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    police = page_client(world.police_user)
    response = police.post(f"/cases/{case.id}/actions", follow_redirects=False, data={
        "csrf_token": police.csrf_token, "description": "Visit the family",
        "organisation_id": str(world.council.id), "owner_user_id": str(world.council_user.id),
        **_due(14),
    })
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{case.id}?done=action#actions"
    [action] = _actions(session)
    assert action.organisation_id == world.council.id
    assert action.owner_user_id == world.council_user.id
    assert action.due_date == london_today() + timedelta(days=14)
    [event] = audit_events(session, "add_action")
    assert summary(event)["after"]["due_date"] == action.due_date.isoformat()
    page = police.get(response.headers["location"])
    assert "Visit the family" in page.text and "Action added" in page.text
    assert "Test Practitioner" in page.text  # the owner's name


def test_adding_an_action_with_htmx_answers_the_actions_section(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    police = page_client(world.police_user)
    response = police.post(f"/cases/{case.id}/actions", headers=HTMX, data={
        "csrf_token": police.csrf_token, "description": "Fit a door alarm",
        "organisation_id": str(world.police.id), **_due(3),
    })
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="actions"')
    assert "Fit a door alarm" in response.text
    assert 'hx-swap-oob="true"' in response.text  # the timeline follows
    assert "Action for Surrey Police: Fit a door alarm" in response.text
    assert len(_actions(session)) == 1
    assert len(audit_events(session, "add_action")) == 1


@pytest.mark.parametrize(("fields", "error"), [
    ({"description": "  "}, "Enter what needs to be done"),
    ({"description": "x" * 1001}, "The action must be 1,000 characters or fewer"),
    ({"due_day": "", "due_month": "", "due_year": ""}, "Enter the due date"),
    ({"due_day": "31", "due_month": "2", "due_year": "2030"}, "The due date must be a real date"),
    ({"due_month": ""}, "The due date must include a day, month and year"),
    (_due(-1), "The due date must be today or in the future"),
    ({"organisation_id": "not-a-member"}, "Select the member agency that will do this"),
    ({"owner_user_id": "00000000-0000-0000-0000-000000000000"},
     "Select someone who works for the agency doing this"),
])
def test_an_invalid_action_shows_the_error_and_writes_nothing(
    page_client: Clients, session: Session, world: Partnership, fields: dict[str, str],
    error: str,
) -> None:
    case = make_case(session, world.police, members=[world.council])
    police = page_client(world.police_user)
    before = case_table_counts(session)
    data = {"csrf_token": police.csrf_token, "description": "Visit",
            "organisation_id": str(world.police.id), **_due(2), **fields}
    response = police.post(f"/cases/{case.id}/actions", data=data)
    assert response.status_code == 422
    assert "govuk-error-summary" in response.text and error in response.text
    assert "<title>Error:" in response.text
    assert case_table_counts(session) == before
    fragment = police.post(f"/cases/{case.id}/actions", data=data, headers=HTMX)
    assert fragment.status_code == 200  # HTMX swaps only 2xx: the fragment carries the error
    assert error in fragment.text and "<html" not in fragment.text
    assert case_table_counts(session) == before


def test_the_owner_must_work_for_the_agency_doing_the_action(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    police = page_client(world.police_user)
    response = police.post(f"/cases/{case.id}/actions", data={
        "csrf_token": police.csrf_token, "description": "Visit",
        "organisation_id": str(world.police.id), "owner_user_id": str(world.council_user.id),
        **_due(2),
    })
    assert response.status_code == 422
    assert "Select someone who works for the agency doing this" in response.text
    assert _actions(session) == []


def test_completing_an_action_plain_and_with_htmx(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    first = _action(session, case, world.police.id, "Visit", days=-2)
    second = _action(session, case, world.council.id, "Call")
    council = page_client(world.council_user)
    page = council.get(f"/cases/{case.id}")
    assert "Overdue" in page.text
    assert page.text.count("Mark as done") == 2
    response = council.post(f"/cases/{case.id}/actions/{first.id}/complete",
                            data={"csrf_token": council.csrf_token}, follow_redirects=False)
    assert response.status_code == 303
    fragment = council.post(f"/cases/{case.id}/actions/{second.id}/complete",
                            data={"csrf_token": council.csrf_token}, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Mark as done" not in fragment.text and "Overdue" not in fragment.text
    assert {a.state for a in _actions(session)} == {"done"}
    assert all(a.completed_at is not None for a in _actions(session))
    assert len(audit_events(session, "complete_action")) == 2
    again = council.post(f"/cases/{case.id}/actions/{second.id}/complete",
                         data={"csrf_token": council.csrf_token})
    assert again.status_code == 409
    assert council.get(f"/cases/{case.id}").text.count("Open again") == 2
    reopened = council.post(f"/cases/{case.id}/actions/{second.id}/reopen",
                            data={"csrf_token": council.csrf_token}, headers=HTMX)
    assert reopened.status_code == 200 and "Action open again" in reopened.text
    assert sorted(a.state for a in _actions(session)) == ["done", "open"]
    assert len(audit_events(session, "reopen_action")) == 1


def test_adding_a_note_is_escaped_and_audited(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    police = page_client(world.police_user)
    hostile = "<script>alert('x')</script> seen at the door"
    response = police.post(f"/cases/{case.id}/notes", data={
        "csrf_token": police.csrf_token, "text": hostile, "sensitivity": "sensitive",
    })
    assert response.status_code == 200  # followed the redirect back to the case
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; seen at the door" in response.text
    [note] = session.scalars(select(CaseNote)).all()
    assert note.text == hostile and note.sensitivity == "sensitive"
    [event] = audit_events(session, "add_note")
    assert "script" not in event.summary  # the audit log keeps no free text
    fragment = police.post(f"/cases/{case.id}/notes", headers=HTMX, data={
        "csrf_token": police.csrf_token, "text": "Second note", "sensitivity": "standard",
    })
    assert fragment.text.lstrip().startswith('<section id="notes"')
    assert fragment.text.index("Second note") < fragment.text.index("seen at the door")


def test_a_note_needs_text_and_a_sensitivity(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    police = page_client(world.police_user)
    before = case_table_counts(session)
    response = police.post(f"/cases/{case.id}/notes", data={
        "csrf_token": police.csrf_token, "text": " ", "sensitivity": "secret",
    })
    assert response.status_code == 422
    assert "Enter the note" in response.text and "Select how sensitive the note is" in response.text
    assert case_table_counts(session) == before


def test_adding_a_member_agency(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police)
    police = page_client(world.police_user)
    empty = police.post(f"/cases/{case.id}/members", data={"csrf_token": police.csrf_token})
    assert empty.status_code == 422 and "Select the agency to add to the case" in empty.text
    response = police.post(f"/cases/{case.id}/members", follow_redirects=False, data={
        "csrf_token": police.csrf_token, "organisation_id": str(world.housing.id),
    })
    assert response.status_code == 303
    members = set(session.scalars(select(CaseMember.organisation_id)))
    assert members == {world.police.id, world.housing.id}
    assert len(audit_events(session, "add_member_agency")) == 1
    page = police.get(response.headers["location"])
    assert "Elm Housing Association joined the case" in page.text


def test_closing_needs_an_outcome_and_a_confirmation(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    police = page_client(world.police_user)
    assert police.get(f"/cases/{case.id}/close").status_code == 200
    empty = police.post(f"/cases/{case.id}/close", data={"csrf_token": police.csrf_token})
    assert empty.status_code == 422 and "Enter the outcome of the case" in empty.text
    confirm = police.post(f"/cases/{case.id}/close", data={
        "csrf_token": police.csrf_token, "outcome": "Tenancy warning; noise stopped.",
    })
    assert confirm.status_code == 200
    assert "Are you sure you want to close this case?" in confirm.text
    assert _status(session, case) == "open"
    closed = police.post(f"/cases/{case.id}/close", follow_redirects=False, data={
        "csrf_token": police.csrf_token, "outcome": "Tenancy warning; noise stopped.",
        "confirm": "yes",
    })
    assert closed.status_code == 303
    stored = session.get(Case, case.id, populate_existing=True)
    assert stored is not None and stored.status == "closed"
    assert stored.outcome == "Tenancy warning; noise stopped."
    assert len(audit_events(session, "close_case")) == 1
    page = police.get(closed.headers["location"])
    assert "Tenancy warning; noise stopped." in page.text and "Case closed" in page.text
    assert "/actions\"" not in page.text and "Mark as done" not in page.text
    assert f'href="/cases/{case.id}/close"' not in page.text
    assert police.get(f"/cases/{case.id}/close").status_code == 409


def test_a_member_that_does_not_lead_cannot_close(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    council = page_client(world.council_user)
    page = council.get(f"/cases/{case.id}")
    assert f'href="/cases/{case.id}/close"' not in page.text
    assert f'action="/cases/{case.id}/actions"' in page.text  # members still work it
    assert council.get(f"/cases/{case.id}/close").status_code == 403
    response = council.post(f"/cases/{case.id}/close", data={
        "csrf_token": council.csrf_token, "outcome": "Done", "confirm": "yes",
    })
    assert response.status_code == 403
    assert _status(session, case) == "open"
    assert audit_events(session, "close_case") == []


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_forged_or_missing_csrf_token_is_refused_and_writes_nothing(
    page_client: Clients, session: Session, world: Partnership, token: str | None
) -> None:
    case = make_case(session, world.police, members=[world.council])
    action = _action(session, case, world.police.id)
    police = page_client(world.police_user)
    before = case_table_counts(session)
    extra = {} if token is None else {"csrf_token": token}
    posts = [
        (f"/cases/{case.id}/actions", {"description": "x", "organisation_id":
                                      str(world.police.id), **_due(1)}),
        (f"/cases/{case.id}/actions/{action.id}/complete", {}),
        (f"/cases/{case.id}/notes", {"text": "x", "sensitivity": "standard"}),
        (f"/cases/{case.id}/members", {"organisation_id": str(world.housing.id)}),
        (f"/cases/{case.id}/close", {"outcome": "x", "confirm": "yes"}),
        ("/cases", {"title": "T", "kind": "asb", "risk_level": "high"}),
    ]
    for path, data in posts:
        response = police.post(path, data={**data, **extra})
        assert response.status_code == 403, path
    assert case_table_counts(session) == before
    assert [a.state for a in _actions(session)] == ["open"]
