"""Sharing agreement pages: register, one agreement, drafting, signing, revoking, escaping."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.organisations.models import Organisation
from safetyhub.sharing import pages as sharing_pages
from safetyhub.sharing.models import AgreementParty, AgreementStatus, SharingAgreement
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.timeutil import london_today, utcnow
from tests.conftest import PageClient
from tests.factories import make_agreement
from tests.sharing.conftest import Partnership

Clients = Callable[..., PageClient]


def form(client: PageClient, *parties: Organisation, **overrides: Any) -> dict[str, Any]:
    """A complete, valid draft form as the browser posts it."""
    start = london_today()
    end = start + timedelta(days=365)
    data: dict[str, Any] = {
        "csrf_token": client.csrf_token,
        "title": "Guildford ASB information sharing agreement",
        "parties": [str(p.id) for p in parties],
        "purposes": ["asb_case_management", "safeguarding"],
        "data_categories": ["person_identifiers", "incidents"],
        "lawful_basis": "cda_1998_s115",
        "lawful_basis_detail": "Necessary for ASB case management.",
        "valid_from_day": str(start.day), "valid_from_month": str(start.month),
        "valid_from_year": str(start.year),
        "valid_to_day": str(end.day), "valid_to_month": str(end.month),
        "valid_to_year": str(end.year),
    }
    data.update(overrides)
    return data


def agreements_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(SharingAgreement)) or 0)


def events(session: Session, object_id: object, action: str) -> int:
    return int(session.scalar(
        select(func.count()).where(
            AuditEvent.object_id == str(object_id), AuditEvent.action == action
        )
    ) or 0)


def draft_through_pages(client: PageClient, *parties: Organisation) -> uuid.UUID:
    created = client.post("/sharing-agreements", data=form(client, *parties),
                          follow_redirects=False)
    assert created.status_code == 303, created.text
    match = re.fullmatch(r"/sharing-agreements/([0-9a-f-]{36})\?done=drafted",
                         created.headers["location"])
    assert match, created.headers["location"]
    return uuid.UUID(match.group(1))


def status_of(session: Session, agreement_id: uuid.UUID) -> str:
    agreement = session.get(SharingAgreement, agreement_id)
    assert agreement is not None
    session.refresh(agreement)
    return agreement.status


# The register and one agreement.


def test_register_lists_the_agencys_agreements_only(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    make_agreement(session, [p.police, p.council], title="Police and council ISA")
    make_agreement(session, [p.council, p.health], title="Council and health ISA")
    page = page_client(p.police_practitioner).get("/sharing-agreements")
    assert page.status_code == 200
    assert "Police and council ISA" in page.text
    assert "Council and health ISA" not in page.text
    assert "Number of agreements: 1" in page.text
    assert "Active" in page.text


def test_partnership_office_sees_the_whole_register(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    make_agreement(session, [p.police, p.council], title="Police and council ISA")
    make_agreement(session, [p.council, p.health], title="Council and health ISA")
    page = page_client(p.office_user).get("/sharing-agreements")
    assert page.status_code == 200
    assert "Police and council ISA" in page.text
    assert "Council and health ISA" in page.text
    assert "every agreement in the partnership" in page.text


def test_register_filters_by_status(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    make_agreement(session, [p.police, p.council], title="Signed ISA")
    make_agreement(session, [p.police, p.council], title="Unsigned ISA",
                   status=AgreementStatus.draft)
    client = page_client(p.police_admin)
    drafts = client.get("/sharing-agreements", params={"status": "draft"})
    assert "Unsigned ISA" in drafts.text
    assert "Signed ISA" not in drafts.text
    assert "Signed ISA" in client.get("/sharing-agreements", params={"status": ""}).text
    assert client.get("/sharing-agreements", params={"status": "nonsense"}).status_code == 422


def test_register_shows_expired_and_not_yet_valid(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    today = london_today()
    make_agreement(session, [p.police, p.council], title="Old ISA",
                   valid_from=today - timedelta(days=400), valid_to=today - timedelta(days=1))
    make_agreement(session, [p.police, p.council], title="Future ISA",
                   valid_from=today + timedelta(days=10), valid_to=today + timedelta(days=400))
    text = page_client(p.police_admin).get("/sharing-agreements").text
    assert "Expired" in text
    assert "Not yet valid" in text


def test_non_party_gets_404_and_does_not_see_it(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement = make_agreement(session, [p.police, p.council], title="Police and council ISA")
    client = page_client(p.health_admin)
    assert client.get(f"/sharing-agreements/{agreement.id}").status_code == 404
    assert client.get(f"/sharing-agreements/{agreement.id}/revoke").status_code == 404
    assert "Police and council ISA" not in client.get("/sharing-agreements").text
    signed = client.post(f"/sharing-agreements/{agreement.id}/sign",
                         data={"csrf_token": client.csrf_token})
    assert signed.status_code == 404
    revoked = client.post(f"/sharing-agreements/{agreement.id}/revoke",
                          data={"csrf_token": client.csrf_token})
    assert revoked.status_code == 404
    assert status_of(session, agreement.id) == "active"


def test_agreement_page_shows_what_it_covers_and_who_signed(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement = make_agreement(session, [p.police, p.council], status=AgreementStatus.draft,
                               purposes=[Purpose.safeguarding])
    party = session.scalars(select(AgreementParty).where(
        AgreementParty.agreement_id == agreement.id,
        AgreementParty.organisation_id == p.police.id,
    )).one()
    party.signed_at = utcnow()
    party.signed_by_id = p.police_admin.id
    session.flush()
    page = page_client(p.police_practitioner).get(f"/sharing-agreements/{agreement.id}")
    assert page.status_code == 200
    text = page.text
    assert "Crime and Disorder Act 1998, section 115" in text
    assert "Safeguarding" in text
    assert "Person identifiers" in text
    assert p.police_admin.full_name in text
    assert "Not signed yet" in text
    assert "No: it allows no sharing today" in text


def test_practitioner_sees_no_buttons_and_their_posts_are_refused(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement = make_agreement(session, [p.police, p.council], status=AgreementStatus.draft)
    client = page_client(p.police_practitioner)
    page = client.get(f"/sharing-agreements/{agreement.id}").text
    assert "Sign this agreement" not in page
    assert "Revoke this agreement" not in page
    assert "Only your agency's administrator can sign or revoke" in html.unescape(page)
    for verb in ("sign", "revoke"):
        response = client.post(f"/sharing-agreements/{agreement.id}/{verb}",
                               data={"csrf_token": client.csrf_token})
        assert response.status_code == 403
    assert client.get(f"/sharing-agreements/{agreement.id}/revoke").status_code == 403
    assert status_of(session, agreement.id) == "draft"
    assert events(session, agreement.id, "sign_agreement") == 0


# Drafting.


def test_practitioner_cannot_draft(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    client = page_client(p.police_practitioner)
    page = client.get("/sharing-agreements/new")
    assert page.status_code == 403
    assert "Only your agency&#39;s administrator can draft a sharing agreement" in page.text
    assert "Draft an agreement" not in client.get("/sharing-agreements").text
    before = agreements_count(session)
    posted = client.post("/sharing-agreements", data=form(client, p.council))
    assert posted.status_code == 403
    assert agreements_count(session) == before


def test_admin_drafts_through_check_answers(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    client = page_client(p.police_admin)
    blank = client.get("/sharing-agreements/new")
    assert blank.status_code == 200
    assert p.council.name in blank.text
    assert "is always a party" in blank.text
    before = agreements_count(session)
    check = client.post("/sharing-agreements/new", data=form(client, p.council))
    assert check.status_code == 200, check.text
    assert "Check the agreement before you create it" in check.text
    assert p.police.name in check.text and p.council.name in check.text
    assert agreements_count(session) == before  # checking writes nothing
    changed = client.post("/sharing-agreements/new/edit", data=form(client, p.council))
    assert changed.status_code == 200
    assert 'value="Guildford ASB information sharing agreement"' in changed.text

    agreement_id = draft_through_pages(client, p.council)
    agreement = session.get(SharingAgreement, agreement_id)
    assert agreement is not None
    assert agreement.status == "draft"
    parties = set(session.scalars(select(AgreementParty.organisation_id).where(
        AgreementParty.agreement_id == agreement_id)))
    assert parties == {p.police.id, p.council.id}
    assert events(session, agreement_id, "draft_agreement") == 1
    shown = client.get(f"/sharing-agreements/{agreement_id}?done=drafted")
    assert "Draft agreement created" in shown.text
    assert "govuk-notification-banner--success" in shown.text


def test_an_empty_draft_shows_every_problem_and_writes_nothing(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    client = page_client(p.police_admin)
    before = agreements_count(session)
    response = client.post("/sharing-agreements/new", data={"csrf_token": client.csrf_token})
    assert response.status_code == 422
    text = response.text
    assert "<title>Error: " in text
    assert "govuk-error-summary" in text
    for message in ("Enter a title for the agreement", "Choose at least one other agency",
                    "Choose at least one purpose", "Choose at least one kind of information",
                    "Choose the lawful basis", "Enter the date the agreement starts",
                    "Enter the date the agreement ends"):
        assert message in text
    assert 'href="#valid_from-day"' in text
    assert agreements_count(session) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"data_categories": ["special_category"], "purposes": ["crime_prevention"]},
         "Special category information can only be shared for safeguarding"),
        ({"valid_to_day": "1", "valid_to_month": "1", "valid_to_year": "2020"},
         "The end date must be today or in the future"),
        ({"valid_from_day": "31", "valid_from_month": "2", "valid_from_year": "2027"},
         "The start date must be a real date"),
        ({"lawful_basis": "other", "lawful_basis_detail": "  "},
         "Describe the legal gateway"),
        ({"parties": [str(uuid.uuid4())]}, "Choose agencies from the list"),
        ({"purposes": ["curiosity"]}, "Choose purposes from the list"),
        ({"title": "x" * 201}, "The title must be 200 characters or fewer"),
    ],
)
def test_invalid_answers_are_explained_and_nothing_is_written(
    page_client: Clients, session: Session, partners: Partnership,
    overrides: dict[str, Any], message: str,
) -> None:
    p = partners
    client = page_client(p.police_admin)
    before = agreements_count(session)
    for url in ("/sharing-agreements/new", "/sharing-agreements"):
        response = client.post(url, data=form(client, p.council, **overrides))
        assert response.status_code == 422, url
        assert message in response.text
        assert "govuk-error-summary" in response.text
    assert agreements_count(session) == before


def test_end_date_must_follow_the_start_date(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    client = page_client(p.police_admin)
    later = london_today() + timedelta(days=30)
    response = client.post("/sharing-agreements/new", data=form(
        client, p.council, valid_from_day=str(later.day), valid_from_month=str(later.month),
        valid_from_year=str(later.year), valid_to_day=str(later.day),
        valid_to_month=str(later.month), valid_to_year=str(later.year),
    ))
    assert response.status_code == 422
    assert "The end date must be after the start date" in response.text


def test_the_services_own_refusal_is_shown_in_the_error_summary(
    page_client: Clients, session: Session, partners: Partnership,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = partners
    client = page_client(p.police_admin)
    checked = sharing_pages.check_draft

    def lenient(*args: Any) -> sharing_pages.Draft:
        draft = checked(*args)
        draft.parties = []  # the page missed it; the service must refuse
        return draft

    monkeypatch.setattr(sharing_pages, "check_draft", lenient)
    before = agreements_count(session)
    response = client.post("/sharing-agreements", data=form(client, p.council))
    assert response.status_code == 422
    assert "at least two different parties" in response.text
    assert "govuk-error-summary" in response.text
    assert agreements_count(session) == before


def test_forged_csrf_is_refused_and_nothing_is_written(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    client = page_client(p.police_admin)
    agreement = make_agreement(session, [p.police, p.council], status=AgreementStatus.draft)
    before = agreements_count(session)
    forged = form(client, p.council, csrf_token="forged")
    assert client.post("/sharing-agreements", data=forged).status_code == 403
    missing = {k: v for k, v in form(client, p.council).items() if k != "csrf_token"}
    assert client.post("/sharing-agreements", data=missing).status_code == 403
    assert client.post("/sharing-agreements/new", data=forged).status_code == 403
    for verb in ("sign", "revoke"):
        response = client.post(f"/sharing-agreements/{agreement.id}/{verb}",
                               data={"csrf_token": "forged"})
        assert response.status_code == 403
        assert client.post(f"/sharing-agreements/{agreement.id}/{verb}").status_code == 403
    assert agreements_count(session) == before
    assert status_of(session, agreement.id) == "draft"
    assert events(session, agreement.id, "sign_agreement") == 0


# Signing and revoking.


def test_active_only_after_the_last_partys_admin_signs(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    police = page_client(p.police_admin)
    agreement_id = draft_through_pages(police, p.council, p.health)
    url = f"/sharing-agreements/{agreement_id}"
    for admin, expected in ((p.police_admin, "draft"), (p.health_admin, "draft"),
                            (p.council_admin, "active")):
        client = police if admin is p.police_admin else page_client(admin)
        page = client.get(url)
        assert "Sign this agreement" in page.text
        signed = client.post(f"{url}/sign", data={"csrf_token": client.csrf_token},
                             follow_redirects=False)
        assert signed.status_code == 303
        assert status_of(session, agreement_id) == expected
        after = client.get(signed.headers["location"])
        assert "Your agency has signed this agreement." in after.text
        assert "Sign this agreement" not in after.text
    assert events(session, agreement_id, "sign_agreement") == 3
    assert "Yes: partners may share under it today" in police.get(url).text
    assert "Active" in police.get("/sharing-agreements").text


def test_revoking_asks_first_then_stops_sharing(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement = make_agreement(session, [p.police, p.council])
    client = page_client(p.council_admin)
    url = f"/sharing-agreements/{agreement.id}"
    assert "Revoke this agreement" in client.get(url).text
    confirm = client.get(f"{url}/revoke")
    assert confirm.status_code == 200
    assert "stops at once" in confirm.text
    assert status_of(session, agreement.id) == "active"  # asking changes nothing
    revoked = client.post(f"{url}/revoke", data={"csrf_token": client.csrf_token},
                          follow_redirects=False)
    assert revoked.status_code == 303
    assert status_of(session, agreement.id) == "revoked"
    assert events(session, agreement.id, "revoke_agreement") == 1
    page = client.get(revoked.headers["location"]).text
    assert "The agreement has been revoked" in page
    assert "Revoke this agreement" not in page
    assert "Sign this agreement" not in page
    again = client.post(f"{url}/revoke", data={"csrf_token": client.csrf_token})
    assert again.status_code == 409


# Escaping and language.


def test_script_in_a_title_is_shown_as_text(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    agreement = make_agreement(session, [p.police, p.council],
                               title="<script>alert('isa')</script>")
    client = page_client(p.police_admin)
    for url in ("/sharing-agreements", f"/sharing-agreements/{agreement.id}",
                f"/sharing-agreements/{agreement.id}/revoke"):
        text = client.get(url).text
        assert "<script>alert" not in text, url
        assert "&lt;script&gt;alert(&#39;isa&#39;)&lt;/script&gt;" in text, url


def test_typed_script_survives_check_answers_as_text(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    client = page_client(p.police_admin)
    check = client.post("/sharing-agreements/new", data=form(
        client, p.council, title='"><script>alert(1)</script>'))
    assert check.status_code == 200
    assert "<script>alert(1)" not in check.text
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in check.text


def test_register_in_german(
    page_client: Clients, session: Session, partners: Partnership
) -> None:
    p = partners
    make_agreement(session, [p.police, p.council], title="Police and council ISA",
                   valid_from=date(2026, 3, 5), valid_to=london_today() + timedelta(days=30))
    client = page_client(p.police_admin)
    client.cookies.set("safetyhub_lang", "de")
    page = client.get("/sharing-agreements")
    assert page.status_code == 200
    assert "Vereinbarungen zum Datenaustausch" in page.text
    assert "Aktiv" in page.text
    assert "05.03.2026" in page.text
