"""The review queue page: side by side, evidence chart, decisions, CSRF, escaping, German."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.linkage.batch import run_batch
from safetyhub.linkage.identities import identity_of
from safetyhub.linkage.models import LinkageDecision, MatchCandidate
from safetyhub.organisations.models import OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.sharing.vocabulary import Purpose
from tests.conftest import PageClient
from tests.factories import make_agreement, make_org, make_user
from tests.linkage.db import HUB, County, install_model, make_county

Clients = Callable[..., PageClient]


@pytest.fixture
def county(session: Session, trained_settings: dict[str, Any]) -> County:
    """A linked county, with an agreement between its police and council."""
    county = make_county(session, n=80)
    install_model(session, trained_settings)
    run_batch(session, actor=HUB)
    return county


def _analyst(session: Session, county: County, *, agreement: bool = True) -> User:
    if agreement:
        make_agreement(session, [county.police, county.council])
    return make_user(session, county.police, Role.analyst)


def _first_pending(session: Session) -> MatchCandidate:
    candidate = session.scalars(select(MatchCandidate).where(MatchCandidate.status == "pending")
                                .order_by(MatchCandidate.match_probability.desc(),
                                          MatchCandidate.id)).first()
    assert candidate is not None
    return candidate


def test_the_page_shows_a_pair_side_by_side_with_the_evidence(
    page_client: Clients, session: Session, county: County
) -> None:
    client = page_client(_analyst(session, county), Purpose.safeguarding)
    response = client.get("/linkage/review")
    assert response.status_code == 200
    html = response.text
    candidate = _first_pending(session)
    left = session.get(PersonRecord, candidate.left_record_id)
    assert left is not None and left.family_name in html
    assert county.police.name in html and county.council.name in html
    assert '<svg class="sh-evidence-chart" role="img"' in html
    assert html.count("<rect ") >= 4 and 'id="linkage-evidence"' in html
    assert 'data-shortcut="m"' in html and "/static/linkage-review.js" in html
    assert "style=" not in html and "onclick" not in html
    assert re.search(r"\d+ pairs? waiting for you", html)
    assert "Content-Security-Policy" in response.headers


def test_deciding_saves_and_moves_to_the_next_pair(
    page_client: Clients, session: Session, county: County
) -> None:
    client = page_client(_analyst(session, county), Purpose.safeguarding)
    candidate = _first_pending(session)
    response = client.post(f"/linkage/review/{candidate.id}/decision", data={
        "csrf_token": client.csrf_token, "decision": "match", "reason": "Same NI number"},
        follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/linkage/review?done=match"
    assert identity_of(session, candidate.left_record_id) == identity_of(
        session, candidate.right_record_id)
    page = client.get(response.headers["location"]).text
    assert "Saved: the two records are the same person." in page
    assert f"/linkage/review/{candidate.id}/decision" not in page
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "decide_linkage_pair")) == 1


@pytest.mark.parametrize(("form", "problem"), [
    ({"decision": "perhaps"}, "Choose match, not a match or unsure"),
    ({"decision": "match", "reason": "x" * 2001}, "2,000 characters or fewer"),
])
def test_invalid_forms_show_errors_and_write_nothing(
    page_client: Clients, session: Session, county: County, form: dict[str, str], problem: str
) -> None:
    client = page_client(_analyst(session, county), Purpose.safeguarding)
    candidate = _first_pending(session)
    response = client.post(f"/linkage/review/{candidate.id}/decision",
                           data={"csrf_token": client.csrf_token, **form})
    assert response.status_code == 422
    assert "<title>Error: " in response.text and "govuk-error-summary" in response.text
    assert problem in response.text
    assert session.scalar(select(func.count()).select_from(LinkageDecision)) == 0


@pytest.mark.parametrize("token", ["", "forged"])
def test_missing_or_forged_csrf_is_refused(
    page_client: Clients, session: Session, county: County, token: str
) -> None:
    client = page_client(_analyst(session, county), Purpose.safeguarding)
    candidate = _first_pending(session)
    response = client.post(f"/linkage/review/{candidate.id}/decision",
                           data={"csrf_token": token, "decision": "match"})
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(LinkageDecision)) == 0


def test_pairs_with_a_hidden_record_are_only_counted(
    page_client: Clients, session: Session, county: County
) -> None:
    client = page_client(_analyst(session, county, agreement=False), Purpose.safeguarding)
    html = client.get("/linkage/review").text
    council_names = {r.family_name for r in session.scalars(select(PersonRecord).where(
        PersonRecord.organisation_id == county.council.id))}
    assert county.council.name not in html
    assert re.search(r"\d+ pairs? needs? a reviewer from another agency", html)
    candidate = _first_pending(session)
    assert client.get(f"/linkage/review/{candidate.id}").status_code == 404
    assert client.post(f"/linkage/review/{candidate.id}/decision", data={
        "csrf_token": client.csrf_token, "decision": "match"}).status_code == 404
    assert session.scalar(select(func.count()).select_from(LinkageDecision)) == 0
    assert council_names  # the county has council records; none of them appear above


def test_other_agency_analyst_gets_404(page_client: Clients, session: Session,
                                       county: County) -> None:
    stranger = make_user(session, make_org(session, kind=OrganisationKind.fire), Role.analyst)
    client = page_client(stranger, Purpose.safeguarding)
    candidate = _first_pending(session)
    assert client.get(f"/linkage/review/{candidate.id}").status_code == 404
    page = client.get("/linkage/review")
    assert page.status_code == 200 and "There are no pairs for you to review." in page.text


def test_practitioners_may_not_review(page_client: Clients, session: Session,
                                      county: County) -> None:
    client = page_client(make_user(session, county.police), Purpose.safeguarding)
    assert client.get("/linkage/review").status_code == 403


def test_names_are_escaped(page_client: Clients, session: Session, county: County) -> None:
    candidate = _first_pending(session)
    record = session.get(PersonRecord, candidate.left_record_id)
    assert record is not None
    record.address = "<script>alert(1)</script>"
    session.flush()
    client = page_client(_analyst(session, county), Purpose.safeguarding)
    html = client.get(f"/linkage/review/{candidate.id}").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_page_in_german(page_client: Clients, session: Session, county: County) -> None:
    client = page_client(_analyst(session, county), Purpose.safeguarding)
    client.cookies.set("safetyhub_lang", "de")
    html = client.get("/linkage/review").text
    assert "Mögliche Übereinstimmungen prüfen" in html
    assert "Dieselbe Person" in html
