"""GET /api/audit: an agency's admin reads their agency's part of the log; nobody writes it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.people.models import PersonRecord
from safetyhub.sharing import policy
from safetyhub.sharing.service import draft_agreement
from safetyhub.sharing.vocabulary import DataCategory, LawfulBasis, Purpose
from safetyhub.timeutil import london_today
from tests.factories import actor, headers_for, make_agreement, make_org, make_user

URL = "/api/audit"


@dataclass
class Log:
    """Two agencies, their users, and events written through the real writers."""

    police: Organisation
    council: Organisation
    police_admin: User
    police_officer: User
    council_admin: User
    council_officer: User
    police_record: PersonRecord
    council_only_record: PersonRecord


@pytest.fixture
def log(session: Session) -> Log:
    police = make_org(session, kind=OrganisationKind.police)
    council = make_org(session, kind=OrganisationKind.council)
    police_admin = make_user(session, police, Role.admin)
    police_officer = make_user(session, police, Role.practitioner)
    council_admin = make_user(session, council, Role.admin)
    council_officer = make_user(session, council, Role.practitioner)
    police_record = PersonRecord(organisation_id=police.id, given_name="Sam", family_name="Lee")
    council_only = PersonRecord(organisation_id=council.id, given_name="Jo", family_name="Kay")
    session.add_all([police_record, council_only])
    session.flush()
    # What the police's own users did: the admin drafts an agreement.
    today = london_today()
    draft_agreement(
        session, actor=actor(police_admin), title="Police and council ISA",
        parties=[police.id, council.id], purposes=[Purpose.safeguarding],
        data_categories=[DataCategory.person_identifiers], lawful_basis=LawfulBasis.cda_1998_s115,
        valid_from=today, valid_to=today + timedelta(days=365),
    )
    make_agreement(session, [police, council])
    # Who read the police's data: a council officer, for safeguarding.
    reader = actor(council_officer, Purpose.safeguarding)
    assert session.scalars(
        policy.visible_person_records(reader).where(PersonRecord.id == police_record.id)
    ).one()
    policy.record_disclosures(session, reader, [
        policy.Disclosure("person_record", police_record.id, police.id),
    ])
    # Council business that is none of the police's: a council user edits their own record.
    audit.record(
        session, actor=actor(council_officer), action="update_person_record",
        object_type="person_record", object_id=council_only.id,
        owner_organisation_id=council.id, before={"family_name": "Kai"},
        after={"family_name": "Kay"},
    )
    return Log(police, council, police_admin, police_officer, council_admin, council_officer,
               police_record, council_only)


def search(client: TestClient, session: Session, user: User, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params=params, headers=headers_for(session, user))
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_admin_sees_what_their_users_did_and_who_read_their_data(
    client: TestClient, session: Session, log: Log
) -> None:
    page = search(client, session, log.police_admin)
    actions = {(e["action"], e["actor_label"]) for e in page["items"]}
    assert ("draft_agreement", log.police_admin.email) in actions
    assert ("read", log.council_officer.email) in actions
    assert all(e["action"] != "update_person_record" for e in page["items"])
    assert page["total"] == len(page["items"]) == 2
    read = next(e for e in page["items"] if e["action"] == "read")
    assert read["object_id"] == str(log.police_record.id)
    assert read["purpose"] == "safeguarding"
    assert read["owner_organisation_id"] == str(log.police.id)
    assert read["organisation_id"] == str(log.council.id)
    seqs = [e["seq"] for e in page["items"]]
    assert seqs == sorted(seqs, reverse=True)


def test_changes_show_field_names_not_values(
    client: TestClient, session: Session, log: Log
) -> None:
    page = search(client, session, log.council_admin, action="update_person_record")
    assert [e["changed_fields"] for e in page["items"]] == [["family_name"]]
    assert "Kai" not in str(page)


@pytest.mark.parametrize("field", ["user_id", "object_id", "purpose", "action"])
def test_filters(client: TestClient, session: Session, log: Log, field: str) -> None:
    value = {
        "user_id": str(log.council_officer.id),
        "object_id": str(log.police_record.id),
        "purpose": "safeguarding",
        "action": "read",
    }[field]
    page = search(client, session, log.police_admin, **{field: value})
    assert page["total"] == 1
    assert page["items"][0]["action"] == "read"


def test_paging(client: TestClient, session: Session, log: Log) -> None:
    first = search(client, session, log.police_admin, page_size=1)
    second = search(client, session, log.police_admin, page_size=1, page=2)
    third = search(client, session, log.police_admin, page_size=1, page=3)
    assert first["total"] == second["total"] == 2
    assert first["items"][0]["seq"] > second["items"][0]["seq"]
    assert third["items"] == []


@pytest.mark.parametrize(
    "params",
    [{"purpose": "nosiness"}, {"user_id": "not-a-uuid"}, {"page": 0},
     {"page_size": 100_000}, {"object_id": "x" * 65}],
)
def test_bad_filters_are_422(
    client: TestClient, session: Session, log: Log, params: dict[str, object]
) -> None:
    response = client.get(URL, params=params, headers=headers_for(session, log.police_admin))
    assert response.status_code == 422


@pytest.mark.parametrize("role", [r for r in Role if r != Role.admin])
def test_non_admins_get_403(
    client: TestClient, session: Session, log: Log, role: Role
) -> None:
    user = make_user(session, log.police, role)
    response = client.get(URL, headers=headers_for(session, user))
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def test_needs_a_token(client: TestClient) -> None:
    assert client.get(URL).status_code == 401


def test_other_agency_gets_404(client: TestClient, session: Session, log: Log) -> None:
    outsider_org = make_org(session, kind=OrganisationKind.fire)
    outsider = make_user(session, outsider_org, Role.admin)
    page = search(client, session, outsider, object_id=str(log.police_record.id))
    assert page == {"items": [], "total": 0, "page": 1, "page_size": 50}
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.object_id == str(log.police_record.id))
    ).first()
    assert event is not None
    response = client.get(f"{URL}/{event.id}", headers=headers_for(session, outsider))
    assert response.status_code == 404


def _snapshot(session: Session) -> list[tuple[int, str]]:
    session.expire_all()
    return list(session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq)))


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_no_route_writes_edits_or_deletes_the_log(
    client: TestClient, session: Session, log: Log, method: str
) -> None:
    before = _snapshot(session)
    event_id = session.scalars(select(AuditEvent.id).order_by(AuditEvent.seq.desc())).first()
    headers = headers_for(session, log.police_admin)
    body = {"action": "nothing_happened", "seq": 1}
    for path in (URL, f"{URL}/{event_id}", f"{URL}/{uuid.uuid4()}"):
        response = client.request(method, path, json=body, headers=headers)
        assert response.status_code in (404, 405), (method, path, response.status_code)
    assert _snapshot(session) == before
    assert audit.verify_chain(session).ok
