"""DASH pages: the checklist form, the result with MARAC referral, the MARAC list."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.dash.checklist import checklist
from safetyhub.dash.models import DashAssessment
from safetyhub.sharing.vocabulary import DataCategory, Purpose
from safetyhub.timeutil import local, utcnow
from tests.conftest import PageClient
from tests.dash.test_api import World

Clients = Callable[..., PageClient]


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def form_answers(yes: int) -> dict[str, str]:
    return {f"answer-{key}": "yes" if i < yes else "no"
            for i, key in enumerate(checklist().keys)}


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(DashAssessment.id))) or 0)


def test_choosing_the_victim_and_answering_the_checklist(
    page_client: Clients, session: Session, world: World
) -> None:
    officer = page_client(world.officer)
    search = officer.get("/dash-assessments/new", params={"q": "Dana Morgan"})
    assert search.status_code == 200
    assert f'/dash-assessments/new?person_record_id={world.victim.id}' in search.text
    form = officer.get("/dash-assessments/new", params={"person_record_id": str(world.victim.id)})
    assert form.status_code == 200
    assert "Has the current incident resulted in injury?" in form.text
    assert form.text.count('type="radio" value="not_known"') == 24
    response = officer.post("/dash-assessments", data={
        "csrf_token": officer.csrf_token, "person_record_id": str(world.victim.id),
        **form_answers(14), "note-injury": "Bruised arm <script>x</script>"},
        follow_redirects=False)
    assert response.status_code == 303
    result = officer.get(response.headers["location"])
    assert "DASH assessment saved" in result.text
    assert re.search(r"Risk level: <strong class=\"govuk-tag govuk-tag--red\">High", result.text)
    assert "Refer this case to MARAC:" in result.text and "Visible high risk" in result.text
    assert "Bruised arm &lt;script&gt;x&lt;/script&gt;" in result.text
    assert session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "complete_dash_assessment")) == 1


def test_unanswered_questions_and_a_lowering_judgement_are_refused(
    page_client: Clients, session: Session, world: World
) -> None:
    officer = page_client(world.officer)
    answers = form_answers(15)
    del answers["answer-weapons"]
    missing = officer.post("/dash-assessments", data={
        "csrf_token": officer.csrf_token, "person_record_id": str(world.victim.id), **answers})
    assert missing.status_code == 422
    assert '<a href="#answer-weapons">Answer question 13</a>' in missing.text
    assert 'value="yes" checked' in missing.text  # answers given are kept
    lowered = officer.post("/dash-assessments", data={
        "csrf_token": officer.csrf_token, "person_record_id": str(world.victim.id),
        **form_answers(15), "judgement_level": "medium", "judgement_reason": "Calmer now"})
    assert lowered.status_code == 422
    assert "never lower it. The answers give High." in lowered.text
    no_reason = officer.post("/dash-assessments", data={
        "csrf_token": officer.csrf_token, "person_record_id": str(world.victim.id),
        **form_answers(2), "judgement_level": "high"})
    assert no_reason.status_code == 422 and "Give the reason for raising" in no_reason.text
    forged = officer.post("/dash-assessments", data={
        "csrf_token": "forged", "person_record_id": str(world.victim.id), **form_answers(2)})
    assert forged.status_code == 403
    assert _count(session) == 0


def test_judgement_raises_the_level_and_marac_referral_from_the_result_page(
    page_client: Clients, session: Session, world: World
) -> None:
    officer = page_client(world.officer)
    created = officer.post("/dash-assessments", data={
        "csrf_token": officer.csrf_token, "person_record_id": str(world.victim.id),
        **form_answers(3), "judgement_level": "high",
        "judgement_reason": "Threatened with a knife"}, follow_redirects=False)
    url = created.headers["location"].split("?")[0]
    page = officer.get(url).text
    assert "Professional judgement raised the level from standard to high" in page
    bad = officer.post(f"{url}/marac-referral", data={
        "csrf_token": officer.csrf_token, "meeting-day": "1", "meeting-month": "1",
        "meeting-year": "2020"})
    assert bad.status_code == 422 and "must be today or later" in bad.text
    meeting = local(utcnow()).date() + timedelta(days=6)
    done = officer.post(f"{url}/marac-referral", data={
        "csrf_token": officer.csrf_token, "meeting-day": str(meeting.day),
        "meeting-month": str(meeting.month), "meeting-year": str(meeting.year)},
        follow_redirects=False)
    assert done.status_code == 303
    assert "Referred to MARAC on" in officer.get(done.headers["location"]).text
    sergeant = page_client(world.sergeant)
    listing = sergeant.get("/marac")
    assert listing.status_code == 200 and "Dana Morgan" in listing.text
    assert 'id="upcoming"' in listing.text
    assert page_client(world.officer).get("/marac").status_code == 403


def test_another_agency_sees_nothing_without_a_special_category_agreement(
    page_client: Clients, session: Session, world: World
) -> None:
    officer = page_client(world.officer)
    created = officer.post("/dash-assessments", data={
        "csrf_token": officer.csrf_token, "person_record_id": str(world.victim.id),
        **form_answers(16)}, follow_redirects=False)
    url = created.headers["location"].split("?")[0]
    meeting = local(utcnow()).date() + timedelta(days=6)
    officer.post(f"{url}/marac-referral", data={
        "csrf_token": officer.csrf_token, "meeting-day": str(meeting.day),
        "meeting-month": str(meeting.month), "meeting-year": str(meeting.year)})
    housing = page_client(world.housing_officer, Purpose.safeguarding)
    assert housing.get(url).status_code == 404
    assert "Dana" not in housing.get(url).text
    office = page_client(world.office_user, Purpose.safeguarding)
    listing = office.get("/marac").text
    assert "Dana Morgan" not in listing
    assert "1 further upcoming case is held by agencies" in listing
    idva = page_client(world.idva_lead, Purpose.safeguarding)
    assert idva.get(url).status_code == 404
    from tests.factories import make_agreement

    make_agreement(session, [world.police, world.support], purposes=[Purpose.safeguarding],
                   categories=[DataCategory.special_category, DataCategory.person_identifiers])
    shared = idva.get(url)
    assert shared.status_code == 200 and "Dana Morgan" in shared.text
    assert 'action="/dash-assessments/' not in shared.text  # only the assessing agency refers
    assert "Dana Morgan" in idva.get("/marac").text
    assert page_client(world.officer).get(
        "/dash-assessments/new", params={"person_record_id": "nope"}).status_code == 404


def test_the_checklist_in_german(page_client: Clients, world: World) -> None:
    officer = page_client(world.officer)
    officer.cookies.set("safetyhub_lang", "de")
    form = officer.get("/dash-assessments/new", params={"person_record_id": str(world.victim.id)})
    assert "Hat der aktuelle Vorfall zu einer Verletzung geführt?" in form.text
    assert "DASH-Risikocheckliste" in form.text
