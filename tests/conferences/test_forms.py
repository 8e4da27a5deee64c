"""The conference page's forms: a refused answer shows the page again with a GOV.UK error
summary and the field's message (422), nothing written; permission and visibility stay 403/404."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.cases.models import CaseAction
from safetyhub.conferences import service
from safetyhub.conferences.models import (
    Conference,
    ConferenceAction,
    ConferenceItem,
    ConferenceMember,
    ConferenceNote,
)
from safetyhub.organisations.models import OrganisationKind
from safetyhub.timeutil import london_today
from tests.conferences.conftest import World, convene, police_case_item
from tests.conftest import PageClient
from tests.factories import actor, make_org

Clients = Callable[..., PageClient]


def _written(session: Session) -> tuple[object, ...]:
    """Every row a form could write (reads of the re-shown page are audited, so not counted)."""
    counts = tuple(int(session.scalar(select(func.count()).select_from(m)) or 0) for m in (
        Conference, ConferenceMember, ConferenceItem, ConferenceNote, ConferenceAction,
        CaseAction))
    changes = int(session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action != "read")) or 0)
    state = tuple(session.execute(select(
        Conference.status, Conference.minutes, ConferenceMember.attended)
        .join(ConferenceMember, ConferenceMember.conference_id == Conference.id)
        .order_by(ConferenceMember.organisation_id)).all())
    actions = tuple(session.scalars(select(ConferenceAction.status)
                                    .order_by(ConferenceAction.created_at)))
    return (*counts, changes, state, actions)


def _due(days: int) -> dict[str, str]:
    day = london_today() + timedelta(days=days)
    return {"due-day": str(day.day), "due-month": str(day.month), "due-year": str(day.year)}


def _refused(response: object, message: str) -> None:
    text = getattr(response, "text", "")
    assert getattr(response, "status_code", 0) == 422, text[:500]
    assert "govuk-error-summary" in text and "There is a problem" in text
    assert message in text
    assert "<title>Error:" in text


def test_every_form_shows_the_conference_again_with_the_problem(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    case, item = police_case_item(session, world, conference)
    action = service.add_action(session, actor=actor(world.council_officer),
                                conference_id=conference.id, organisation_id=world.council.id,
                                description="Visit the tenant",
                                due_date=london_today() + timedelta(days=5))
    service.update_action_status(session, actor=actor(world.council_officer),
                                 conference_id=conference.id, action_id=action.id,
                                 status=service.ConferenceActionStatus.done)
    outside = make_org(session, "Not a party", OrganisationKind.voluntary)
    chair = page_client(world.chair)
    council = page_client(world.council_officer)
    url = f"/conferences/{conference.id}"
    before = _written(session)
    attempts: list[tuple[PageClient, str, dict[str, object], str]] = [
        (chair, "members", {"organisation": ""}, "Choose the agency to invite"),
        (chair, "members", {"organisation": str(world.housing.id)},
         "That agency is already invited."),
        (chair, "members", {"organisation": str(outside.id)},
         "Only a party to the conference&#39;s agreement can be invited."),
        (chair, "attendance", {"organisation": str(outside.id), "attended": "yes"},
         "That agency is not invited to this conference."),
        (chair, "attendance", {"organisation": "", "attended": "yes"},
         "Choose an invited agency and whether it attended"),
        (council, "items", {"record": ""}, "Choose a case, alert or MARAC referral to add"),
        (chair, "items", {"record": f"case:{case.id}"}, "That is already on the agenda."),
        (council, f"items/{item.id}/notes", {"text": "   "}, "Enter the discussion note"),
        (council, f"items/{item.id}/notes", {"text": "x" * 10_001},
         "The note must be 10000 characters or fewer"),
        (council, "actions", {"organisation": str(world.council.id), "description": "",
                              **_due(3)}, "Enter what will be done"),
        (council, "actions", {"organisation": str(world.council.id), "description": "Visit",
                              **_due(-1)}, "The due date cannot be in the past."),
        (council, "actions", {"organisation": str(world.council.id), "description": "Visit",
                              "due-day": "31", "due-month": "2", "due-year": "2030"},
         "The due date must be a real date"),
        (council, "actions", {"organisation": str(outside.id), "description": "Visit",
                              **_due(3)},
         "The action must belong to an agency invited to the conference."),
        (council, "actions", {"organisation": str(world.council.id), "description": "Visit",
                              "case_action": "yes", **_due(3)},
         "A case action needs an agenda item about a case."),
        (council, f"actions/{action.id}/status", {"status": "done"},
         "The action already has that status."),
        (council, f"actions/{action.id}/status", {"status": "nonsense"}, "Choose a status"),
        (chair, "minutes", {"minutes": ""}, "Enter the minutes"),
        (chair, "close", {}, "Record the minutes before closing the conference."),
    ]
    for client, path, data, message in attempts:
        response = client.post(f"{url}/{path}", data={**data, "csrf_token": client.csrf_token})
        _refused(response, message)
        assert "Guildford community MARAC" in response.text  # the conference page itself
    assert _written(session) == before


def test_the_answers_are_kept_and_the_field_is_marked(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    council = page_client(world.council_officer)
    response = council.post(f"/conferences/{conference.id}/actions", data={
        "organisation": str(world.housing.id), "description": "Check the <b>tenancy</b>",
        "csrf_token": council.csrf_token, **_due(-2)})
    _refused(response, "The due date cannot be in the past.")
    assert "Check the &lt;b&gt;tenancy&lt;/b&gt;</textarea>" in response.text
    assert f'value="{world.housing.id}" selected' in response.text
    assert 'href="#description"' in response.text and 'id="description-error"' in response.text
    missing = council.post(f"/conferences/{conference.id}/actions", data={
        "organisation": str(world.council.id), "description": "Visit",
        "csrf_token": council.csrf_token})
    _refused(missing, "Enter the due date")
    assert 'href="#due-day"' in missing.text and "govuk-form-group--error" in missing.text


def test_a_closed_conference_refuses_changes_on_the_page(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    _, item = police_case_item(session, world, conference)
    service.record_minutes(session, actor=actor(world.chair), conference_id=conference.id,
                           minutes="Agreed.")
    service.close_conference(session, actor=actor(world.chair), conference_id=conference.id)
    council = page_client(world.council_officer)
    before = _written(session)
    response = council.post(f"/conferences/{conference.id}/items/{item.id}/notes",
                            data={"text": "late", "csrf_token": council.csrf_token})
    _refused(response, "This conference is closed.")
    assert _written(session) == before


def test_permission_and_visibility_stay_403_and_404(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    _, item = police_case_item(session, world, conference)
    url = f"/conferences/{conference.id}"
    before = _written(session)
    council = page_client(world.council_supervisor)
    for path, data in (("minutes", {"minutes": "Ours"}), ("close", {}),
                       ("members", {"organisation": str(world.health.id)}),
                       ("attendance", {"organisation": str(world.housing.id),
                                       "attended": "yes"})):
        refused = council.post(f"{url}/{path}", data={**data, "csrf_token": council.csrf_token})
        assert refused.status_code == 403, path
    housing = page_client(world.housing_officer)  # invited, absent: no discussion
    note = housing.post(f"{url}/items/{item.id}/notes",
                        data={"text": "x", "csrf_token": housing.csrf_token})
    assert note.status_code == 403
    outsider = page_client(world.health_officer)
    for path, data in (("items", {"record": f"case:{item.case_id}"}),
                       (f"items/{item.id}/notes", {"text": "x"}), ("minutes", {"minutes": "x"}),
                       ("actions", {"organisation": str(world.health.id), "description": "x",
                                    **_due(2)})):
        hidden = outsider.post(f"{url}/{path}", data={**data, "csrf_token": outsider.csrf_token})
        assert hidden.status_code == 404, path
        assert "Noise and threats" not in hidden.text
    assert _written(session) == before


def test_the_messages_are_in_german(
    page_client: Clients, session: Session, world: World
) -> None:
    conference = convene(session, world)
    chair = page_client(world.chair)
    chair.get("/language/de")
    response = chair.post(f"/conferences/{conference.id}/close",
                          data={"csrf_token": chair.csrf_token})
    assert response.status_code == 422
    assert "Es gibt ein Problem" in response.text
    assert "Erfassen Sie das Protokoll, bevor Sie die Konferenz schlie" in response.text
    blank = chair.post(f"/conferences/{conference.id}/minutes",
                       data={"minutes": "", "csrf_token": chair.csrf_token})
    assert "Geben Sie das Protokoll ein" in blank.text
