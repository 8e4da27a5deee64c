"""Directory pages: search, a service, import (CSRF, errors), referral through the form."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.referrals.directory.models import DirectoryService
from safetyhub.referrals.models import Referral
from tests.conftest import PageClient
from tests.factories import make_person_record_row
from tests.referrals.directory.conftest import Directory
from tests.referrals.directory.helpers import (
    as_zip,
    counts,
    csv_bytes,
    json_bytes,
    one_service,
    small_csv,
)

Clients = Callable[..., PageClient]


def _id(session: Session, name: str) -> str:
    return str(session.scalars(select(DirectoryService.id)
                               .where(DirectoryService.name == name)).one())


def test_search_page_by_need_and_area(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    police = page_client(directory.world.police_user)
    page = police.get("/services?need=substance-misuse&district=GU21")
    assert page.status_code == 200
    assert "Drug and alcohol recovery service" in page.text
    assert "Domestic abuse outreach" not in page.text
    assert '<a class="govuk-service-navigation__link" href="/services"' in page.text or (
        'href="/services"' in page.text)
    everything = police.get("/services")
    assert "6 services" in everything.text


def test_service_page_offers_a_referral(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    police = page_client(directory.world.police_user)
    sid = _id(session, "Victim support after crime")
    page = police.get(f"/services/{sid}")
    assert page.status_code == 200
    assert f'href="/referrals/new?service_id={sid}"' in page.text
    assert "Referrals reach Victim Support Surrey in SafetyHub." in page.text
    assert police.get("/services/not-an-id").status_code == 404


def test_refer_a_person_to_a_listed_service_through_the_form(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    world = directory.world
    person = make_person_record_row(session, world.police, given_name="Jordan",
                                    family_name="Taylor")
    sid = _id(session, "Victim support after crime")
    police = page_client(world.police_user)
    start = police.get(f"/referrals/new?service_id={sid}&person_record_id={person.id}")
    assert start.status_code == 200
    assert "Victim support after crime" in start.text
    assert 'name="to_organisation_id"' not in start.text  # the service decides the agency
    answers = {"csrf_token": police.csrf_token, "service_id": sid,
               "person_record_id": str(person.id), "reason": "Burglary victim; wants support.",
               "lawful_basis": "consent", "consent": "yes"}
    check = police.post("/referrals/new", data={**answers, "step": "details"})
    assert check.status_code == 200
    assert "Check your answers before sending the referral" in check.text
    assert "Victim Support Surrey" in check.text
    sent = police.post("/referrals", data=answers, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    referral = session.scalars(select(Referral)).one()
    assert (str(referral.service_id), referral.to_organisation_id) == (
        sid, directory.victim_support.id)
    assert referral.subject_name == "Jordan Taylor"
    shown = police.get(sent.headers["location"])
    assert f'href="/services/{sid}"' in shown.text
    inbox = page_client(directory.victim_support_user).get("/referrals?box=inbox")
    assert "Jordan Taylor" in inbox.text
    # Another agency: not found, and nothing about the person.
    other = page_client(world.housing_user).get(f"/referrals/{referral.id}")
    assert other.status_code == 404 and "Jordan" not in other.text


def test_an_external_service_referral_says_who_answers(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    world = directory.world
    person = make_person_record_row(session, world.council)
    sid = _id(session, "Safe Haven crisis café")
    council = page_client(world.council_user)
    answers = {"csrf_token": council.csrf_token, "service_id": sid,
               "person_record_id": str(person.id), "reason": "Distressed at night.",
               "lawful_basis": "consent", "consent": "yes"}
    check = council.post("/referrals/new", data={**answers, "step": "details"})
    assert "This service is not part of SafetyHub" in check.text
    sent = council.post("/referrals", data=answers, follow_redirects=False)
    assert sent.status_code == 303
    shown = council.get(sent.headers["location"])
    assert "Outside SafetyHub: your agency records the service" in shown.text
    assert 'id="accept-referral"' in shown.text  # the sender's agency records the answer


def test_the_office_imports_through_the_page(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    office = page_client(directory.office_user)
    assert office.get("/services/import").status_code == 200
    bad = office.post("/services/import", data={"csrf_token": office.csrf_token},
                      files={"file": ("d.json", json_bytes(one_service(name=None)),
                                      "application/json")})
    assert bad.status_code == 422
    assert "d.json" in bad.text and "services[0]" in bad.text and "is required" in bad.text
    before = counts(session)
    good = office.post("/services/import", data={"csrf_token": office.csrf_token},
                       files={"file": ("d.zip", as_zip(small_csv(**{
                           "taxonomy_terms.csv": b"id,code,name\r\nt-victim,victim-support-2,V"
                                                 b"\r\nt-mh,mh-2,M\r\n"})), "application/zip")})
    assert good.status_code == 200, good.text
    assert "Directory imported" in good.text
    assert counts(session)[1] == before[1] + 3


def test_import_problems_are_listed_in_the_readers_language_and_escaped(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    office = page_client(directory.office_user)
    office.cookies.set("safetyhub_lang", "de")
    files = small_csv(**{"services.csv": csv_bytes(
        "id,organization_id,name,status,description,eligibility_description",
        "svc-x,<script>alert(1)</script>,Drop-in,active,Help,Anyone")})
    before = counts(session)
    refused = office.post("/services/import", data={"csrf_token": office.csrf_token},
                          files={"file": ("d.zip", as_zip(files), "application/zip")})
    assert refused.status_code == 422
    assert "Zeile 2" in refused.text and "verweist auf" in refused.text
    assert "<script>alert(1)</script>" not in refused.text
    assert "&lt;script&gt;" in refused.text
    assert counts(session) == before


def test_import_needs_a_csrf_token_and_writes_nothing_without_it(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    office = page_client(directory.office_user)
    before = counts(session)
    for token in ("forged", ""):
        response = office.post("/services/import", data={"csrf_token": token},
                               files={"file": ("d.zip", as_zip(small_csv()), "application/zip")})
        assert response.status_code == 403
    sid = _id(session, "Domestic abuse outreach")
    response = office.post(f"/services/{sid}/partner", data={
        "csrf_token": "forged", "partner_organisation_id": str(directory.world.police.id)})
    assert response.status_code == 403
    assert counts(session) == before


def test_practitioners_cannot_import_or_match(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    police = page_client(directory.world.police_user)
    assert police.get("/services/import").status_code == 403
    sid = _id(session, "Domestic abuse outreach")
    response = police.post(f"/services/{sid}/partner", data={
        "csrf_token": police.csrf_token, "partner_organisation_id": str(directory.world.police.id)})
    assert response.status_code == 403


def test_the_office_matches_a_partner_on_the_service_page(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    office = page_client(directory.office_user)
    sid = _id(session, "Domestic abuse outreach")
    saved = office.post(f"/services/{sid}/partner", data={
        "csrf_token": office.csrf_token,
        "partner_organisation_id": str(directory.world.housing.id)}, follow_redirects=True)
    assert "Partner agency saved" in saved.text
    assert "Referrals reach Elm Housing Association in SafetyHub." not in saved.text  # office
    police = page_client(directory.world.police_user).get(f"/services/{sid}")
    assert "Referrals reach Elm Housing Association in SafetyHub." in police.text


def test_listing_text_is_escaped(
    page_client: Clients, session: Session, directory: Directory
) -> None:
    office = page_client(directory.office_user)
    hostile = one_service(name="<script>alert(1)</script>", attributes=[],
                          description='"><img src=x onerror=alert(2)>')
    response = office.post("/services/import", data={"csrf_token": office.csrf_token},
                           files={"file": ("x.json", json_bytes(hostile), "application/json")})
    assert response.status_code == 200
    police = page_client(directory.world.police_user)
    for page in (police.get("/services?q=alert"),
                 police.get(f"/services/{_id(session, '<script>alert(1)</script>')}")):
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<img src=x" not in page.text
