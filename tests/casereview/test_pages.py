"""Case review pages: the public application and appeal (no sign-in), and the staff pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.casereview.models import CaseReview, CaseReviewRecommendation
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.timeutil import local, utcnow
from tests.casereview.conftest import Partnership, complaint, victim_record
from tests.conftest import PageClient

Clients = Callable[..., PageClient]
ANSWERS = {
    "who": "myself", "given_name": "Priya", "family_name": "Shah", "dob-day": "14",
    "dob-month": "3", "dob-year": "1979", "address": "4 Park Road, Guildford",
    "postcode": "GU2 7XH", "email": "priya@example.org",
    "description": "Youths kick a ball at my windows.\nEvery evening.",
    "location": "Park Road", "agencies": ["police", "council"],
}


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _reviews(session: Session) -> int:
    return int(session.scalar(select(func.count(CaseReview.id))) or 0)


def _apply(client: TestClient, **changes: object) -> str:
    """Walk the public form to the end; answer the confirmation page."""
    token = _token(client.get("/asb-case-review/apply").text)
    answers = {**ANSWERS, **changes}
    for step in ("who", "victim", "contact", "problem"):
        page = client.post("/asb-case-review/apply",
                           data={**answers, "csrf_token": token, "step": step})
        assert page.status_code == 200, page.text
    assert "Check your answers before sending your application" in page.text
    sent = client.post("/asb-case-review/apply/send", data={**answers, "csrf_token": token},
                       follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == "/asb-case-review/apply/confirmation"
    return client.get(sent.headers["location"]).text


def test_a_member_of_the_public_applies_without_signing_in(
    client: TestClient, session: Session, world: Partnership
) -> None:
    record = victim_record(session, world.police)
    for days in (10, 40, 70):
        complaint(session, world.police, record, days)
    start = client.get("/asb-case-review")
    assert start.status_code == 200 and 'href="/asb-case-review/apply"' in start.text
    assert "3 complaints about anti-social behaviour" in start.text
    confirmation = _apply(client)
    reference = re.search(r'id="reference">(CR-[A-Z0-9]{8})<', confirmation)
    assert reference, confirmation
    assert "enough complaints about this anti-social behaviour to meet the threshold" in (
        confirmation)
    assert "3 qualifying complaints were counted" in confirmation
    review = session.scalars(select(CaseReview)).one()
    assert review.reference == reference.group(1)
    assert review.problem_description == ANSWERS["description"]
    assert review.agencies_told == "police,council" and review.language == "en"
    # The reference is not in the address (it travels in a cookie).
    assert reference.group(1) not in client.get("/asb-case-review").text


def test_each_question_page_refuses_bad_answers_with_clear_messages(
    client: TestClient, session: Session
) -> None:
    token = _token(client.get("/asb-case-review/apply").text)
    who = client.post("/asb-case-review/apply", data={"csrf_token": token, "step": "who"})
    assert who.status_code == 422
    assert "Error: Who are you applying for?" in who.text
    assert '<a href="#who">Select who you are applying for</a>' in who.text
    bad = {**ANSWERS, "csrf_token": token, "step": "victim", "given_name": "",
           "dob-day": "31", "dob-month": "2", "postcode": "NOT A CODE"}
    victim = client.post("/asb-case-review/apply", data=bad)
    assert victim.status_code == 422
    for message in ("Enter the first name", "The date of birth must be a real date",
                    "Enter a real postcode, like GU1 4RR"):
        assert message in victim.text
    assert 'value="Shah"' in victim.text  # what was typed is kept
    future = client.post("/asb-case-review/apply", data={
        **ANSWERS, "csrf_token": token, "step": "victim", "dob-year": "2999"})
    assert "The date must be today or in the past" in future.text
    contact = client.post("/asb-case-review/apply", data={
        **ANSWERS, "csrf_token": token, "step": "contact", "who": "someone_else",
        "email": "", "phone": ""})
    assert contact.status_code == 422
    assert "Enter your name" in contact.text
    assert "You can only apply for someone else if they agree to it" in contact.text
    assert "Enter an email address or a phone number" in contact.text
    long_text = client.post("/asb-case-review/apply", data={
        **ANSWERS, "csrf_token": token, "step": "problem", "description": "x" * 5001})
    assert long_text.status_code == 422 and "Enter 5000 characters or fewer" in long_text.text
    # Sending with a missing answer goes back to that question; nothing is stored.
    sent = client.post("/asb-case-review/apply/send", data={
        **ANSWERS, "csrf_token": token, "location": ""})
    assert sent.status_code == 422 and "Enter where it happens" in sent.text
    assert _reviews(session) == 0


def test_the_public_form_needs_its_csrf_cookie_and_stores_nothing_without(
    client: TestClient, session: Session, app: object
) -> None:
    token = _token(client.get("/asb-case-review/apply").text)
    forged = client.post("/asb-case-review/apply/send",
                         data={**ANSWERS, "csrf_token": "forged"})
    assert forged.status_code == 403
    missing = client.post("/asb-case-review/apply/send", data=ANSWERS)
    assert missing.status_code == 403
    client.cookies.clear()
    cookieless = client.post("/asb-case-review/apply/send",
                             data={**ANSWERS, "csrf_token": token})
    assert cookieless.status_code == 403
    assert _reviews(session) == 0


def test_a_third_party_changes_an_answer_from_the_check_page(
    client: TestClient, session: Session
) -> None:
    token = _token(client.get("/asb-case-review/apply").text)
    answers = {**ANSWERS, "who": "someone_else", "applicant_name": "Councillor Green",
               "consent": "yes", "csrf_token": token}
    check = client.post("/asb-case-review/apply", data={**answers, "step": "problem"})
    assert "Check your answers" in check.text and "Councillor Green" in check.text
    change = client.post("/asb-case-review/apply", data={**answers, "step": "check",
                                                         "action": "change-victim"})
    assert 'name="returning" value="1"' in change.text and 'value="Priya"' in change.text
    back = client.post("/asb-case-review/apply", data={
        **answers, "step": "victim", "returning": "1", "given_name": "Priyanka"})
    assert "Check your answers" in back.text and "Priyanka Shah" in back.text
    confirmation = _apply(client, who="someone_else", applicant_name="Councillor Green",
                          consent="yes")
    assert "Application received" in confirmation
    review = session.scalars(select(CaseReview)).one()
    assert review.on_behalf and review.victim_consent and review.applicant_name == (
        "Councillor Green")


def test_script_in_answers_is_shown_escaped(client: TestClient, session: Session) -> None:
    token = _token(client.get("/asb-case-review/apply").text)
    answers = {**ANSWERS, "csrf_token": token, "location": "<script>alert(1)</script>"}
    check = client.post("/asb-case-review/apply", data={**answers, "step": "problem"})
    assert "<script>alert(1)</script>" not in check.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in check.text


def test_staff_list_and_page_follow_the_policy(
    client: TestClient, page_client: Clients, session: Session, world: Partnership
) -> None:
    _apply(client, description="<script>alert(1)</script>")
    review = session.scalars(select(CaseReview)).one()
    office = page_client(world.office_user)
    listing = office.get("/case-reviews")
    assert listing.status_code == 200 and review.reference in listing.text
    assert "1 case review" in listing.text
    page = office.get(f"/case-reviews/{review.id}")
    assert page.status_code == 200 and "Priya Shah" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert f'href="/case-reviews/{review.id}/acknowledge"' in page.text
    police = page_client(world.police_user, Purpose.asb_case_management)
    assert police.get(f"/case-reviews/{review.id}").status_code == 404
    assert review.reference not in police.get("/case-reviews").text
    assert "0 case reviews" in police.get("/case-reviews").text
    assert police.get(f"/case-reviews/{review.id}/decision").status_code == 404
    assert police.get("/case-reviews/not-an-id").status_code == 404
    fragment = office.get("/case-reviews", params={"status": "received"},
                          headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and review.reference in fragment.text


def test_staff_run_a_review_through_the_pages(
    client: TestClient, page_client: Clients, session: Session, world: Partnership
) -> None:
    _apply(client)
    review = session.scalars(select(CaseReview)).one()
    office = page_client(world.office_user)
    base = f"/case-reviews/{review.id}"
    before = session.scalar(select(func.count(AuditEvent.id)))
    refused = office.post(f"{base}/acknowledge", data={"lead_organisation_id": str(
        world.council.id), "csrf_token": "forged"})
    assert refused.status_code == 403
    assert session.scalar(select(func.count(AuditEvent.id))) == before
    empty = office.post(f"{base}/acknowledge", data={"csrf_token": office.csrf_token})
    assert empty.status_code == 422 and "Select the agency that leads the review" in empty.text
    done = office.post(f"{base}/acknowledge", data={
        "csrf_token": office.csrf_token, "lead_organisation_id": str(world.council.id)},
        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"{base}?done=acknowledged"
    council = page_client(world.council_user)
    assert "Application acknowledged" in council.get(f"{base}?done=acknowledged").text
    no_reason = council.post(f"{base}/decision", data={
        "csrf_token": council.csrf_token, "decision": "met"})
    assert no_reason.status_code == 422 and "Give the reasons" in no_reason.text
    council.post(f"{base}/decision", data={"csrf_token": council.csrf_token,
                                           "decision": "met", "reasons": "Three complaints."})
    today = local(utcnow()).date()
    bad_meeting = council.post(f"{base}/meeting", data={
        "csrf_token": council.csrf_token, "held-day": "40", "held-month": "1",
        "held-year": "2026", "summary": ""})
    assert bad_meeting.status_code == 422
    assert "Select the agencies at the meeting" in bad_meeting.text
    assert "Summarise what the review found" in bad_meeting.text
    council.post(f"{base}/meeting", data={
        "csrf_token": council.csrf_token, "held-day": str(today.day),
        "held-month": str(today.month), "held-year": str(today.year),
        "attendees": [str(world.council.id), str(world.police.id)],
        "summary": "Partners agreed a plan."})
    due = today + timedelta(days=14)
    council.post(f"{base}/recommendation", data={
        "csrf_token": council.csrf_token, "organisation_id": str(world.housing.id),
        "text": "Fit window guards.", "due-day": str(due.day), "due-month": str(due.month),
        "due-year": str(due.year)})
    page = council.get(base).text
    assert "Fit window guards." in page and "Partners agreed a plan." in page
    recommendation = session.scalars(select(CaseReviewRecommendation)).one()
    housing = page_client(world.housing_user)
    assert housing.get(base).status_code == 200  # owns a recommendation
    housing.post(f"{base}/recommendations/{recommendation.id}/complete",
                 data={"csrf_token": housing.csrf_token})
    session.refresh(recommendation)
    assert recommendation.state == "done"
    letter = council.get(f"{base}/letter")
    assert letter.status_code == 200 and "Fit window guards." in letter.text
    assert "What the partners will do" in letter.text
    pdf = council.get(f"{base}/letter.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    council.post(f"{base}/outcome-sent", data={"csrf_token": council.csrf_token})
    session.refresh(review)
    assert review.status == "closed" and review.outcome_sent_at is not None


def test_the_public_appeal_page(
    client: TestClient, page_client: Clients, session: Session, world: Partnership
) -> None:
    _apply(client)
    review = session.scalars(select(CaseReview)).one()
    office = page_client(world.office_user)
    base = f"/case-reviews/{review.id}"
    office.post(f"{base}/acknowledge", data={"csrf_token": office.csrf_token,
                                             "lead_organisation_id": str(world.police.id)})
    office.post(f"{base}/decision", data={"csrf_token": office.csrf_token,
                                          "decision": "not_met", "reasons": "None found."})
    token = _token(client.get("/asb-case-review/appeal").text)
    wrong = client.post("/asb-case-review/appeal", data={
        "csrf_token": token, "reference": review.reference, "postcode": "KT1 1AA",
        "grounds": "I called the police three times."})
    assert wrong.status_code == 422
    assert "could not find a decision that can be appealed" in wrong.text
    sent = client.post("/asb-case-review/appeal", data={
        "csrf_token": token, "reference": review.reference, "postcode": "GU2 7XH",
        "grounds": "I called the police three times."}, follow_redirects=False)
    assert sent.status_code == 303
    session.refresh(review)
    assert review.status == "appealed"
    assert office.get(f"{base}/appeal").status_code == 403  # the same person decided
    colleague = page_client(world.office_colleague)
    form = colleague.get(f"{base}/appeal")
    assert form.status_code == 200 and "I called the police three times." in form.text
    colleague.post(f"{base}/appeal", data={"csrf_token": colleague.csrf_token,
                                           "outcome": "upheld", "reasons": "Calls missed."})
    session.refresh(review)
    assert review.status == "threshold_met" and review.appeal_outcome == "upheld"


def test_figures_page_and_german(page_client: Clients, session: Session,
                                 world: Partnership, client: TestClient) -> None:
    _apply(client)
    office = page_client(world.office_user)
    page = office.get("/case-reviews/figures")
    assert page.status_code == 200
    assert re.search(r"Applications received</th><td[^>]*>1<", page.text)
    office.cookies.set("safetyhub_lang", "de")
    german = office.get("/case-reviews/figures")
    assert "Eingegangene Anträge" in german.text
    client.cookies.set("safetyhub_lang", "de")
    assert "ASB-Fallüberprüfung beantragen" in client.get("/asb-case-review").text
