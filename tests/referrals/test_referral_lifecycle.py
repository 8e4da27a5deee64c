"""Referral state machine: sent -> accepted|declined, accepted -> completed; only the recipient."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role, User
from safetyhub.referrals import service
from safetyhub.referrals.models import Referral
from safetyhub.timeutil import london_today
from tests.cases.helpers import Partnership, audit_events, auth, summary
from tests.factories import actor, make_referral, make_user

DECLINE = {"reason": "Not within our remit; try victim support."}
COMPLETE = {"outcome": "Housing needs assessment done; moved to a new flat."}


def _post(client: TestClient, session: Session, user: User, referral: Referral, verb: str,
          body: dict[str, str] | None = None) -> int:
    response = client.post(f"/api/referrals/{referral.id}/{verb}", json=body,
                           headers=auth(session, user))
    return response.status_code


def test_accept_then_complete(client: TestClient, session: Session, world: Partnership) -> None:
    referral = make_referral(session, world.police, world.council)
    accepted = client.post(f"/api/referrals/{referral.id}/accept",
                           headers=auth(session, world.council_user))
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted"
    assert accepted.json()["responded_at"] is not None
    completed = client.post(f"/api/referrals/{referral.id}/complete", json=COMPLETE,
                            headers=auth(session, world.council_user))
    assert completed.status_code == 200
    assert (completed.json()["state"], completed.json()["outcome"]) == (
        "completed", COMPLETE["outcome"]
    )

    [accept_event] = audit_events(session, "accept_referral")
    assert summary(accept_event)["before"]["state"] == "sent"
    assert summary(accept_event)["after"]["state"] == "accepted"
    assert accept_event.organisation_id == world.council.id
    assert accept_event.owner_organisation_id == world.police.id
    [complete_event] = audit_events(session, "complete_referral")
    assert summary(complete_event)["before"]["state"] == "accepted"
    assert summary(complete_event)["after"]["state"] == "completed"
    assert summary(complete_event)["after"]["outcome_recorded"] is True
    assert "flat" not in complete_event.summary


def test_decline_needs_a_reason_and_is_final(
    client: TestClient, session: Session, world: Partnership
) -> None:
    referral = make_referral(session, world.police, world.council)
    council = world.council_user
    assert _post(client, session, council, referral, "decline", {}) == 422
    assert _post(client, session, council, referral, "decline", {"reason": " "}) == 422
    assert _post(client, session, council, referral, "decline", DECLINE) == 200
    session.refresh(referral)
    assert (referral.state, referral.decline_reason) == ("declined", DECLINE["reason"])
    [event] = audit_events(session, "decline_referral")
    assert (summary(event)["before"]["state"], summary(event)["after"]["state"]) == (
        "sent", "declined"
    )
    for verb, body in (("accept", None), ("decline", DECLINE), ("complete", COMPLETE)):
        assert _post(client, session, council, referral, verb, body) == 409, verb
    assert len(audit_events(session, "decline_referral")) == 1


@pytest.mark.parametrize(
    ("state", "verb", "body"),
    [
        ("sent", "complete", COMPLETE),
        ("accepted", "accept", None),
        ("accepted", "decline", DECLINE),
        ("completed", "complete", COMPLETE),
        ("completed", "accept", None),
    ],
)
def test_wrong_state_is_409_and_writes_nothing(
    client: TestClient, session: Session, world: Partnership, state: str, verb: str,
    body: dict[str, str] | None,
) -> None:
    referral = make_referral(session, world.police, world.council, state=state)
    assert _post(client, session, world.council_user, referral, verb, body) == 409
    assert audit_events(session) == []
    session.refresh(referral)
    assert referral.state == state


@pytest.mark.parametrize(("verb", "body"),
                         [("accept", None), ("decline", DECLINE), ("complete", COMPLETE)])
def test_only_the_receiving_agencys_practitioners_answer(
    client: TestClient, session: Session, world: Partnership, verb: str,
    body: dict[str, str] | None,
) -> None:
    state = "accepted" if verb == "complete" else "sent"
    referral = make_referral(session, world.police, world.council, state=state)
    council_analyst = make_user(session, world.council, Role.analyst)
    assert _post(client, session, world.police_user, referral, verb, body) == 403  # the sender
    assert _post(client, session, council_analyst, referral, verb, body) == 403
    assert _post(client, session, world.housing_user, referral, verb, body) == 404
    assert audit_events(session) == []
    supervisor = make_user(session, world.council, Role.supervisor)
    assert _post(client, session, supervisor, referral, verb, body) == 200


def test_answer_bodies_refuse_bad_input(
    client: TestClient, session: Session, world: Partnership
) -> None:
    referral = make_referral(session, world.police, world.council, state="accepted")
    council = world.council_user
    assert _post(client, session, council, referral, "complete", {"outcome": "x" * 5_001}) == 422
    assert _post(client, session, council, referral, "complete",
                 {"outcome": "ok", "state": "sent"}) == 422
    assert audit_events(session) == []


def test_referrals_waiting_for_my_agency_soonest_deadline_first(
    session: Session, world: Partnership
) -> None:
    today = london_today()
    later = make_referral(session, world.police, world.council, respond_by=today + timedelta(3))
    overdue = make_referral(session, world.housing, world.council,
                            respond_by=today - timedelta(1))
    make_referral(session, world.police, world.council, state="accepted")
    make_referral(session, world.council, world.police)

    waiting = service.referrals_waiting_for_my_agency(
        session, actor=actor(world.council_user), limit=10
    )
    assert [(r.id, r.overdue) for r in waiting] == [(overdue.id, True), (later.id, False)]
    assert waiting[0].from_organisation_name == "Elm Housing Association"
    assert len(service.referrals_waiting_for_my_agency(
        session, actor=actor(world.council_user), limit=1)) == 1
    assert service.referrals_waiting_for_my_agency(
        session, actor=actor(world.housing_user), limit=10) == []
