"""Referrals pages: inbox and outbox, the referral page and answering it, through the policy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.referrals.models import Referral
from safetyhub.timeutil import london_today
from tests.cases.helpers import Partnership, audit_events
from tests.conftest import PageClient
from tests.factories import make_case, make_person_record_row, make_referral

Clients = Callable[..., PageClient]
HTMX = {"HX-Request": "true"}


def _state(session: Session, referral: Referral) -> str:
    statement = select(Referral.state).where(Referral.id == referral.id)
    return str(session.scalar(statement.execution_options(populate_existing=True)))


def _written(session: Session) -> tuple[int, int]:
    return (int(session.scalar(select(func.count()).select_from(Referral)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def test_inbox_and_outbox_show_each_side_its_referrals(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    person = make_person_record_row(session, world.police, given_name="Jordan",
                                    family_name="Taylor")
    referral = make_referral(session, world.police, world.council, person_record=person)
    council = page_client(world.council_user)
    inbox = council.get("/referrals")
    assert inbox.status_code == 200
    assert f'href="/referrals/{referral.id}"' in inbox.text and "Jordan Taylor" in inbox.text
    assert "Surrey Police" in inbox.text and "1 referral" in inbox.text
    assert 'aria-current="page">Inbox' in inbox.text
    assert "Jordan Taylor" not in council.get("/referrals?box=outbox").text
    police = page_client(world.police_user)
    assert "Jordan Taylor" in police.get("/referrals?box=outbox").text
    assert "Jordan Taylor" not in police.get("/referrals?box=inbox").text


def test_third_agency_sees_no_referral_and_gets_404(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    referral = make_referral(session, world.police, world.council,
                             reason="Confidential housing concern")
    housing = page_client(world.housing_user)
    for box in ("inbox", "outbox"):
        listing = housing.get(f"/referrals?box={box}")
        assert "Confidential housing concern" not in listing.text
        assert "0 referrals" in listing.text
    page = housing.get(f"/referrals/{referral.id}")
    assert page.status_code == 404 and "Confidential" not in page.text
    before = _written(session)
    response = housing.post(f"/referrals/{referral.id}/accept",
                            data={"csrf_token": housing.csrf_token})
    assert response.status_code == 404
    assert _written(session) == before and _state(session, referral) == "sent"


def test_overdue_referrals_are_tagged_and_the_state_filter_works(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    make_referral(session, world.police, world.council, reason="Late one",
                  respond_by=london_today() - timedelta(days=3))
    make_referral(session, world.police, world.council, reason="Accepted one",
                  state="accepted")
    council = page_client(world.council_user)
    inbox = council.get("/referrals")
    assert "Overdue" in inbox.text and "govuk-tag--red" in inbox.text
    sent_only = council.get("/referrals?box=inbox&state=sent")
    assert "Late one" in sent_only.text and "Accepted one" not in sent_only.text
    accepted = council.get("/referrals?box=inbox&state=accepted")
    assert "Accepted one" in accepted.text and "Overdue" not in accepted.text


def test_the_receiving_agency_sees_the_answers_and_the_sender_waits(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    case = make_case(session, world.police, members=[world.council])
    person = make_person_record_row(session, world.police, given_name="Jordan",
                                    family_name="Taylor")
    referral = make_referral(session, world.police, world.council, person_record=person,
                             case=case, reason="<script>alert(1)</script> needs support")
    council = page_client(world.council_user)
    page = council.get(f"/referrals/{referral.id}")
    assert page.status_code == 200
    assert "Referral about Jordan Taylor" in page.text
    assert "Crime and Disorder Act 1998 s.115" in page.text
    assert f'action="/referrals/{referral.id}/accept"' in page.text
    assert f'hx-post="/referrals/{referral.id}/accept"' in page.text
    assert f'action="/referrals/{referral.id}/decline"' in page.text
    assert f'href="/cases/{case.id}"' in page.text  # the council is a member of the case
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; needs support" in page.text
    sender = page_client(world.police_user).get(f"/referrals/{referral.id}")
    assert "/accept" not in sender.text and "/decline" not in sender.text
    assert "Waiting for Guildford Borough Council to respond." in sender.text


def test_accepting_a_referral_plain_and_with_htmx(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    first = make_referral(session, world.police, world.council)
    second = make_referral(session, world.police, world.council)
    council = page_client(world.council_user)
    response = council.post(f"/referrals/{first.id}/accept",
                            data={"csrf_token": council.csrf_token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/referrals/{first.id}?done=accepted"
    assert _state(session, first) == "accepted"
    shown = council.get(response.headers["location"])
    assert "Referral accepted" in shown.text and "Complete this referral" in shown.text
    fragment = council.post(f"/referrals/{second.id}/accept",
                            data={"csrf_token": council.csrf_token}, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<div id="referral">')
    assert "Referral accepted" in fragment.text and "Complete this referral" in fragment.text
    assert _state(session, second) == "accepted"
    events = audit_events(session, "accept_referral")
    assert {e.object_id for e in events} == {str(first.id), str(second.id)}
    again = council.post(f"/referrals/{first.id}/accept", data={"csrf_token": council.csrf_token})
    assert again.status_code == 409


def test_declining_needs_a_reason(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    referral = make_referral(session, world.police, world.council)
    council = page_client(world.council_user)
    before = _written(session)
    empty = council.post(f"/referrals/{referral.id}/decline",
                         data={"csrf_token": council.csrf_token, "reason": "   "})
    assert empty.status_code == 422
    assert "govuk-error-summary" in empty.text and "<title>Error:" in empty.text
    assert "Enter why your agency is declining the referral" in empty.text
    assert _written(session) == before and _state(session, referral) == "sent"
    declined = council.post(f"/referrals/{referral.id}/decline", follow_redirects=False, data={
        "csrf_token": council.csrf_token, "reason": "Not in our area; try Waverley.",
    })
    assert declined.status_code == 303
    assert _state(session, referral) == "declined"
    assert len(audit_events(session, "decline_referral")) == 1
    sender = page_client(world.police_user).get(f"/referrals/{referral.id}")
    assert "Not in our area; try Waverley." in sender.text


def test_completing_an_accepted_referral_needs_the_outcome(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    referral = make_referral(session, world.police, world.council, state="accepted")
    council = page_client(world.council_user)
    empty = council.post(f"/referrals/{referral.id}/complete",
                         data={"csrf_token": council.csrf_token}, headers=HTMX)
    assert empty.status_code == 200 and "Enter what your agency did" in empty.text
    assert _state(session, referral) == "accepted"
    done = council.post(f"/referrals/{referral.id}/complete", follow_redirects=False, data={
        "csrf_token": council.csrf_token, "outcome": "Housing assessment booked.",
    })
    assert done.status_code == 303 and _state(session, referral) == "completed"
    assert len(audit_events(session, "complete_referral")) == 1


def test_the_sending_agency_cannot_answer_its_own_referral(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    referral = make_referral(session, world.police, world.council)
    police = page_client(world.police_user)
    before = _written(session)
    for path, data in [("accept", {}), ("decline", {"reason": "No"})]:
        response = police.post(f"/referrals/{referral.id}/{path}",
                               data={"csrf_token": police.csrf_token, **data})
        assert response.status_code == 403, path
    assert _written(session) == before and _state(session, referral) == "sent"


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_forged_or_missing_csrf_is_refused_and_changes_nothing(
    page_client: Clients, session: Session, world: Partnership, token: str | None
) -> None:
    referral = make_referral(session, world.police, world.council)
    council = page_client(world.council_user)
    before = _written(session)
    extra = {} if token is None else {"csrf_token": token}
    for path, data in [("accept", {}), ("decline", {"reason": "No"})]:
        response = council.post(f"/referrals/{referral.id}/{path}", data={**data, **extra})
        assert response.status_code == 403
    police = page_client(world.police_user)
    response = police.post("/referrals", data={
        **extra, "to_organisation_id": str(world.council.id), "reason": "x",
        "lawful_basis": "cda_1998_s115", "consent": "no", "case_id": "",
    })
    assert response.status_code == 403
    assert _written(session) == before and _state(session, referral) == "sent"


def test_referrals_page_in_german(
    page_client: Clients, session: Session, world: Partnership
) -> None:
    make_referral(session, world.police, world.council,
                  respond_by=london_today() - timedelta(days=1))
    council = page_client(world.council_user)
    council.cookies.set("safetyhub_lang", "de")
    page = council.get("/referrals")
    assert page.status_code == 200 and '<html lang="de"' in page.text
    assert "Überweisungen" in page.text and "Überfällig" in page.text
