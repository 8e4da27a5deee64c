"""The audit log page: an agency's admin reads only its agency's events, with filters."""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.config import get_settings
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.sharing.vocabulary import Purpose
from tests.conftest import PageClient
from tests.factories import actor, make_org, make_user

Clients = Callable[..., PageClient]


@dataclass
class Log:
    """Two agencies, their users, and events of each written through the one writer."""

    police: Organisation
    council: Organisation
    police_admin: User
    police_officer: User
    council_officer: User
    police_record: str
    council_record: str


@pytest.fixture
def log(session: Session) -> Log:
    police = make_org(session, "Surrey Police (audit page)", kind=OrganisationKind.police)
    council = make_org(session, "Waverley Council (audit page)", kind=OrganisationKind.council)
    police_admin = make_user(session, police, Role.admin)
    police_officer = make_user(session, police, Role.practitioner)
    police_officer.full_name = "Pat Officer"
    council_officer = make_user(session, council, Role.practitioner)
    police_record, council_record = str(uuid.uuid4()), str(uuid.uuid4())
    # The police officer records something of the police's own.
    audit.record(session, actor=actor(police_officer), action="create_incident",
                 object_type="incident", object_id=police_record,
                 owner_organisation_id=police.id)
    # A council officer reads that police record for safeguarding: the police must see it.
    audit.record(session, actor=actor(council_officer, Purpose.safeguarding), action="read",
                 object_type="incident", object_id=police_record,
                 owner_organisation_id=police.id, purpose=Purpose.safeguarding)
    # The council's own business: nothing to do with the police.
    audit.record(session, actor=actor(council_officer), action="create_incident",
                 object_type="incident", object_id=council_record,
                 owner_organisation_id=council.id)
    session.flush()
    return Log(police, council, police_admin, police_officer, council_officer,
               police_record, council_record)


def test_admin_sees_only_their_agencys_events(page_client: Clients, log: Log) -> None:
    page = page_client(log.police_admin).get("/audit")
    assert page.status_code == 200
    text = page.text
    assert log.police_record in text
    assert log.council_record not in text  # another agency's event is not listed
    assert "Number of events: 2" in text
    results = text.split('id="audit-results"')[1]
    assert "Read another agency's record" in html.unescape(results)
    assert "Safeguarding" in results
    assert log.council.name in results  # who read the police's record
    assert "Pat Officer" in results


def test_another_agencys_admin_sees_none_of_the_police_events(
    page_client: Clients, session: Session, log: Log
) -> None:
    council_admin = make_user(session, log.council, Role.admin)
    text = page_client(council_admin).get("/audit").text
    assert log.council_record in text
    assert log.police_officer.email not in text
    # The council's officer read the police record: the council sees its own user's read.
    assert "Number of events: 2" in text


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"purpose": "safeguarding"}, 1),
        ({"action": "create_incident"}, 1),
        ({"action": "read", "purpose": "crime_prevention"}, 0),
    ],
)
def test_filters_narrow_the_events(
    page_client: Clients, log: Log, query: dict[str, str], count: int
) -> None:
    page = page_client(log.police_admin).get("/audit", params=query)
    assert page.status_code == 200
    assert f"Number of events: {count}" in page.text


def test_filter_by_user_and_record(page_client: Clients, log: Log) -> None:
    client = page_client(log.police_admin)
    by_user = client.get("/audit", params={"user_id": str(log.police_officer.id)})
    assert "Number of events: 1" in by_user.text
    assert f'value="{log.police_officer.id}" selected' in by_user.text
    by_record = client.get("/audit", params={"record": log.police_record})
    assert "Number of events: 2" in by_record.text
    other = client.get("/audit", params={"record": log.council_record})
    assert "Number of events: 0" in other.text
    assert "No events match these filters." in other.text


def test_bad_filters_are_explained(page_client: Clients, log: Log) -> None:
    client = page_client(log.police_admin)
    response = client.get("/audit", params={"user_id": "not-an-id", "purpose": "curiosity"})
    assert response.status_code == 422
    assert "govuk-error-summary" in response.text
    assert "Choose a user from the list" in response.text
    assert "Choose a purpose from the list" in response.text
    assert client.get("/audit", params={"record": "x" * 65}).status_code == 422


def test_htmx_gets_only_the_results(page_client: Clients, log: Log) -> None:
    client = page_client(log.police_admin)
    response = client.get("/audit", params={"action": "read"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="audit-results"' in response.text
    assert "Number of events: 1" in response.text


def test_pages_of_events(
    page_client: Clients, session: Session, log: Log, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFETYHUB_PAGE_SIZE_DEFAULT", "1")
    get_settings.cache_clear()  # the app fixture already read the settings
    client = page_client(log.police_admin)
    first = client.get("/audit")
    assert 'aria-label="Page 2"' in first.text
    assert 'rel="next"' in first.text
    second = client.get("/audit", params={"page": 2})
    assert second.status_code == 200
    assert 'rel="prev"' in second.text
    assert 'aria-current="page"' in second.text


def test_practitioner_gets_403(page_client: Clients, log: Log) -> None:
    response = page_client(log.police_officer).get("/audit")
    assert response.status_code == 403
    assert log.police_record not in response.text


def test_reading_the_log_writes_nothing(
    page_client: Clients, session: Session, log: Log
) -> None:
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    page_client(log.police_admin).get("/audit")
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_typed_filters_are_shown_escaped(page_client: Clients, log: Log) -> None:
    text = page_client(log.police_admin).get(
        "/audit", params={"record": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in text


def test_audit_page_in_german(page_client: Clients, log: Log) -> None:
    client = page_client(log.police_admin)
    client.cookies.set("safetyhub_lang", "de")
    text = client.get("/audit").text
    assert "Prüfprotokoll" in text
    assert "Anzahl der Ereignisse: 2" in text
    assert "Datensatz einer anderen Behörde gelesen" in text.split('id="audit-results"')[1]
