"""Sending a referral through the pages: who about, to whom and why, check answers, send."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.referrals.models import Referral
from safetyhub.sharing.vocabulary import LawfulBasis, Purpose
from tests.cases.helpers import Partnership, audit_events, summary
from tests.conftest import PageClient
from tests.factories import make_case, make_person_record_row

Clients = Callable[..., PageClient]


def _written(session: Session) -> tuple[int, int]:
    return (int(session.scalar(select(func.count()).select_from(Referral)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def _answers(client: PageClient, world: Partnership, **more: Any) -> dict[str, Any]:
    return {"csrf_token": client.csrf_token, "to_organisation_id": str(world.council.id),
            "reason": "Repeat victim; needs a housing assessment.",
            "lawful_basis": "cda_1998_s115", "consent": "no", **more}


def test_send_a_referral_about_a_person_on_a_case(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    person = make_person_record_row(session, world.police, given_name="Jordan",
                                    family_name="Taylor")
    case = make_case(session, world.police, subjects=[person], title="Elm Court")
    police = page_client(world.police_user)
    start = police.get(f"/referrals/new?person_record_id={person.id}&case_id={case.id}")
    assert start.status_code == 200
    assert "Where and why are you referring?" in start.text
    assert "Jordan Taylor" in start.text and "Elm Court" in start.text
    assert "Guildford Borough Council" in start.text and (
        f'<option value="{world.police.id}"' not in start.text)  # not to yourself
    answers = _answers(police, world, person_record_id=str(person.id), case_id=str(case.id))
    check = police.post("/referrals/new", data={**answers, "step": "details"})
    assert check.status_code == 200
    assert "Check your answers before sending the referral" in check.text
    assert "Guildford Borough Council" in check.text
    assert _written(session)[0] == 0  # nothing sent before confirming
    sent = police.post("/referrals", data=answers, follow_redirects=False)
    assert sent.status_code == 303
    referral = session.scalars(select(Referral)).one()
    assert sent.headers["location"] == f"/referrals/{referral.id}?done=sent"
    assert referral.to_organisation_id == world.council.id
    assert referral.person_record_id == person.id and referral.case_id == case.id
    assert referral.subject_name == "Jordan Taylor"
    assert referral.lawful_basis == LawfulBasis.cda_1998_s115.value
    [event] = audit_events(session, "send_referral")
    assert summary(event)["after"]["to_organisation_id"] == str(world.council.id)
    page = police.get(sent.headers["location"])
    assert "Referral sent" in page.text and "govuk-notification-banner--success" in page.text


def test_choose_the_person_by_searching(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    person = make_person_record_row(session, world.police, given_name="Jordan",
                                    family_name="Taylor")
    make_person_record_row(session, world.housing, given_name="Jordan", family_name="Hidden")
    police = page_client(world.police_user)
    start = police.get("/referrals/new")
    assert start.status_code == 200 and "Who is the referral about?" in start.text
    nobody = police.post("/referrals/new", data={"csrf_token": police.csrf_token,
                                                 "step": "person", "action": "continue"})
    assert nobody.status_code == 422
    assert "Search for and choose the person the referral is about" in nobody.text
    found = police.post("/referrals/new", data={"csrf_token": police.csrf_token,
                                                "step": "person", "action": "search",
                                                "q": "jordan"})
    assert "Jordan Taylor" in found.text and "Hidden" not in found.text
    assert "Known to 1 other agency whose records you cannot see." in found.text
    chosen = police.post("/referrals/new", data={"csrf_token": police.csrf_token,
                                                 "step": "person", "action": "continue",
                                                 "person_record_id": str(person.id)})
    assert chosen.status_code == 200 and "Where and why are you referring?" in chosen.text
    assert f'name="person_record_id" value="{person.id}"' in chosen.text


@pytest.mark.parametrize(("fields", "error"), [
    ({"to_organisation_id": ""}, "Select the agency to refer to"),
    ({"reason": "  "}, "Enter the reason for the referral"),
    ({"reason": "x" * 5001}, "The reason must be 5,000 characters or fewer"),
    ({"lawful_basis": "made_up"}, "Select the lawful basis for sharing"),
    ({"consent": ""}, "Select yes if the person has consented"),
    ({"lawful_basis": "consent", "consent": "no"},
     "A referral made on consent needs the person's consent"),
])
def test_invalid_referral_answers_show_errors_and_send_nothing(
    page_client: Clients, session: Session, world: Partnership, fields: dict[str, str],
    error: str,
) -> None:
    person = make_person_record_row(session, world.police)
    police = page_client(world.police_user)
    answers = _answers(police, world, person_record_id=str(person.id), **fields)
    before = _written(session)
    for path in ("/referrals/new", "/referrals"):
        response = police.post(path, data={**answers, "step": "details"})
        assert response.status_code == 422, path
        assert "govuk-error-summary" in response.text and error in html.unescape(response.text)
    assert _written(session) == before


def test_referring_to_your_own_agency_is_refused(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    person = make_person_record_row(session, world.police)
    police = page_client(world.police_user)
    answers = _answers(police, world, person_record_id=str(person.id),
                       to_organisation_id=str(world.police.id))
    response = police.post("/referrals", data=answers)
    assert response.status_code == 422 and "Select the agency to refer to" in response.text
    assert _written(session)[0] == 0


def test_a_person_the_user_may_not_see_cannot_be_referred(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    hidden = make_person_record_row(session, world.housing)
    police = page_client(world.police_user, Purpose.safeguarding)
    assert police.get(f"/referrals/new?person_record_id={hidden.id}").status_code == 404
    before = _written(session)
    response = police.post("/referrals", data=_answers(police, world,
                                                       person_record_id=str(hidden.id)))
    assert response.status_code == 404
    assert _written(session) == before


def test_only_practitioners_and_supervisors_send_referrals(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    analyst = page_client(world.police_analyst)
    assert analyst.get("/referrals/new").status_code == 403
    assert 'href="/referrals/new"' not in analyst.get("/referrals").text
    response = analyst.post("/referrals", data=_answers(analyst, world))
    assert response.status_code == 403
