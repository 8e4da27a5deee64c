"""Factories for test data: quick, explicit, flushed (never committed)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import AuthSession, Role, User
from safetyhub.auth.passwords import hash_password
from safetyhub.auth.service import actor_for
from safetyhub.cases.models import Case, CaseIncident, CaseMember, CaseSubject
from safetyhub.incidents.models import Incident, IncidentCategory, IncidentParty, PartyRole
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.partnership.commitments.models import Commitment, Priority
from safetyhub.partnership.meetings.models import Meeting, MeetingInvitation
from safetyhub.people.models import Identity, IdentityLink, PersonRecord
from safetyhub.places.models import Place
from safetyhub.referrals.models import Referral
from safetyhub.sharing.models import (
    AgreementCategory,
    AgreementParty,
    AgreementPurpose,
    AgreementStatus,
    SharingAgreement,
)
from safetyhub.sharing.vocabulary import DataCategory, LawfulBasis, Purpose, Sensitivity
from safetyhub.timeutil import london_today, utcnow

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: Argon2 is slow on purpose


def make_org(
    session: Session, name: str | None = None, kind: OrganisationKind = OrganisationKind.police,
    district: str | None = "Guildford",
) -> Organisation:
    """A partner agency."""
    org = Organisation(name=name or f"Agency {uuid.uuid4().hex[:6]}", kind=kind, district=district)
    session.add(org)
    session.flush()
    return org


def make_user(session: Session, org: Organisation, role: Role = Role.practitioner,
              email: str | None = None) -> User:
    """A user of `org` whose password is PASSWORD."""
    user = User(
        email=email or f"{role.value}-{uuid.uuid4().hex[:8]}@example.org",
        full_name=f"Test {role.value.title()}",
        organisation_id=org.id,
        role=role.value,
        password_hash=_PASSWORD_HASH,
    )
    session.add(user)
    session.flush()
    return user


def token_for(session: Session, user: User) -> str:
    """A live API bearer token for `user` (skips the slow password check)."""
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=hashlib.sha256(token.encode()).hexdigest(), user_id=user.id, kind="api",
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    session.flush()
    return token


def headers_for(session: Session, user: User, purpose: Purpose | None = None) -> dict[str, str]:
    """Authorization (and X-Purpose) headers for API calls as `user`."""
    headers = {"Authorization": f"Bearer {token_for(session, user)}"}
    if purpose is not None:
        headers["X-Purpose"] = purpose.value
    return headers


def actor(user: User, purpose: Purpose | None = None) -> Actor:
    """The Actor for `user` with a declared purpose."""
    return actor_for(user, purpose.value if purpose else None)


def make_agreement(
    session: Session,
    parties: list[Organisation],
    *,
    purposes: list[Purpose] | None = None,
    categories: list[DataCategory] | None = None,
    status: AgreementStatus = AgreementStatus.active,
    valid_from: date | None = None,
    valid_to: date | None = None,
    title: str = "Test information sharing agreement",
) -> SharingAgreement:
    """An agreement already in `status` (default active, all parties signed)."""
    today = london_today()
    agreement = SharingAgreement(
        title=title,
        lawful_basis=LawfulBasis.cda_1998_s115.value,
        valid_from=valid_from or today - timedelta(days=30),
        valid_to=valid_to or today + timedelta(days=365),
        status=status.value,
        drafted_by_organisation_id=parties[0].id,
    )
    session.add(agreement)
    session.flush()
    signed = status != AgreementStatus.draft
    for org in parties:
        session.add(AgreementParty(agreement_id=agreement.id, organisation_id=org.id,
                                   signed_at=utcnow() if signed else None))
    for purpose in purposes or [Purpose.safeguarding]:
        session.add(AgreementPurpose(agreement_id=agreement.id, purpose=purpose.value))
    for category in categories or [DataCategory.person_identifiers]:
        session.add(AgreementCategory(agreement_id=agreement.id, category=category.value))
    session.flush()
    return agreement


# Cases and referrals.


def make_person_record_row(
    session: Session, org: Organisation, *, given_name: str = "Alex",
    family_name: str = "Example", date_of_birth: date | None = date(1990, 4, 1),
    sensitivity: str = "standard",
) -> PersonRecord:
    """A PersonRecord owned by `org`, written straight to the model."""
    record = PersonRecord(
        organisation_id=org.id, given_name=given_name, family_name=family_name,
        date_of_birth=date_of_birth, sensitivity=sensitivity,
    )
    session.add(record)
    session.flush()
    return record


def make_incident_row(
    session: Session, org: Organisation, *, category: str = "asb_nuisance",
    sensitivity: str = "standard", narrative: str = "Noise late at night.",
) -> Incident:
    """An Incident recorded by `org`, written straight to the model."""
    now = utcnow()
    incident = Incident(
        organisation_id=org.id, category=category, occurred_at=now - timedelta(days=2),
        reported_at=now - timedelta(days=1), narrative=narrative, sensitivity=sensitivity,
    )
    session.add(incident)
    session.flush()
    return incident


def make_case(
    session: Session, lead: Organisation, *, members: list[Organisation] | None = None,
    subjects: list[PersonRecord] | None = None, incidents: list[Incident] | None = None,
    title: str = "Noise and threats at Elm Court", kind: str = "asb",
    risk_level: str = "standard", status: str = "open",
) -> Case:
    """A case led by `lead` (a member) with further member agencies, subjects and incidents."""
    case = Case(lead_organisation_id=lead.id, title=title, kind=kind, risk_level=risk_level,
                status=status, closed_at=utcnow() if status == "closed" else None)
    session.add(case)
    session.flush()
    for org in [lead, *(members or [])]:
        session.add(CaseMember(case_id=case.id, organisation_id=org.id))
    for record in subjects or []:
        session.add(CaseSubject(case_id=case.id, person_record_id=record.id))
    for incident in incidents or []:
        session.add(CaseIncident(case_id=case.id, incident_id=incident.id))
    session.flush()
    return case


def make_referral(
    session: Session, sender: Organisation, recipient: Organisation, *, state: str = "sent",
    respond_by: date | None = None, person_record: PersonRecord | None = None,
    case: Case | None = None,
    reason: str = "Repeat victim of ASB; needs a housing assessment.",
) -> Referral:
    """A referral from `sender` to `recipient`, written straight to the model."""
    referral = Referral(
        from_organisation_id=sender.id, to_organisation_id=recipient.id,
        person_record_id=person_record.id if person_record else None,
        case_id=case.id if case else None,
        subject_name=(f"{person_record.given_name} {person_record.family_name}"
                      if person_record else None),
        subject_date_of_birth=person_record.date_of_birth if person_record else None,
        reason=reason, lawful_basis=LawfulBasis.cda_1998_s115.value, consent_obtained=False,
        state=state, respond_by=respond_by or london_today() + timedelta(days=7),
    )
    session.add(referral)
    session.flush()
    return referral


# People, places and incidents.


def make_person_record(
    session: Session, org: Organisation, *, given_name: str = "Jordan",
    family_name: str = "Taylor", date_of_birth: date | None = date(1985, 6, 15),
    postcode: str | None = "GU1 4RR", address: str | None = "12 Elm Court, Guildford",
    sensitivity: Sensitivity = Sensitivity.standard,
) -> PersonRecord:
    """A PersonRecord of `org` with address details (postcode already normalised)."""
    record = PersonRecord(
        organisation_id=org.id, given_name=given_name, family_name=family_name,
        date_of_birth=date_of_birth, address=address, postcode=postcode, phone="01483 000000",
        agency_identifier=f"ID-{uuid.uuid4().hex[:8]}", sensitivity=sensitivity.value,
    )
    session.add(record)
    session.flush()
    return record


def make_place(
    session: Session, *, address: str = "Elm Court, Guildford", postcode: str | None = "GU1 4RR",
    district: str | None = "Guildford", created_by: Organisation | None = None,
) -> Place:
    """A place in the shared gazetteer."""
    place = Place(address=address, postcode=postcode, district=district,
                  created_by_organisation_id=created_by.id if created_by else None)
    session.add(place)
    session.flush()
    return place


def make_incident(
    session: Session, org: Organisation, *, place: Place | None = None,
    category: IncidentCategory = IncidentCategory.asb_nuisance,
    sensitivity: Sensitivity = Sensitivity.standard, occurred_at: datetime | None = None,
    narrative: str = "Loud music and shouting after midnight.",
    parties: list[tuple[PersonRecord, PartyRole]] | None = None,
) -> Incident:
    """An Incident of `org`, optionally at `place` and with parties."""
    occurred = occurred_at or utcnow() - timedelta(days=2)
    incident = Incident(
        organisation_id=org.id, category=category.value, occurred_at=occurred,
        reported_at=occurred + timedelta(hours=1), place_id=place.id if place else None,
        district=place.district if place else org.district, narrative=narrative,
        sensitivity=sensitivity.value,
    )
    session.add(incident)
    session.flush()
    for record, role in parties or []:
        session.add(IncidentParty(incident_id=incident.id, person_record_id=record.id,
                                  role=role.value))
    session.flush()
    return incident


def web_session_for(
    session: Session, user: User, purpose: Purpose | None = None
) -> tuple[str, str]:
    """A live page session for `user`: (cookie token, CSRF token)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=hashlib.sha256(token.encode()).hexdigest(), user_id=user.id, kind="web",
            expires_at=utcnow() + timedelta(hours=1), csrf_token=csrf,
            purpose=purpose.value if purpose else None,
        )
    )
    session.flush()
    return token, csrf


# Early warning (risk).


def make_identity(session: Session, records: list[PersonRecord], *, method: str = "human"
                  ) -> Identity:
    """An Identity linking `records` (as linkage or a human decision would)."""
    identity = Identity(label=None)
    session.add(identity)
    session.flush()
    for record in records:
        session.add(IdentityLink(identity_id=identity.id, person_record_id=record.id,
                                 method=method, match_probability=None))
    session.flush()
    return identity


# Partnership: meetings and commitments.


def make_meeting(
    session: Session, *, invited: Sequence[Organisation] = (), held_on: date | None = None,
    title: str = "Quarterly partnership meeting", attended: Sequence[Organisation] = (),
) -> Meeting:
    """A partnership meeting with invited (and attended) organisations."""
    meeting = Meeting(title=title, kind="meeting", held_on=held_on or date.today(),
                      venue="Guildford", themes="")
    session.add(meeting)
    session.flush()
    attended_ids = {org.id for org in attended}
    for org in invited:
        session.add(MeetingInvitation(meeting_id=meeting.id, organisation_id=org.id,
                                      attended=org.id in attended_ids))
    session.flush()
    return meeting


def make_commitment(
    session: Session, org: Organisation, *, priority_code: str = "anti_social_behaviour",
    due_on: date | None = None, status: str = "not_started", text: str = "Run a clinic",
) -> Commitment:
    """A commitment of `org` under a seeded priority."""
    priority = session.scalars(select(Priority).where(Priority.code == priority_code)).one()
    commitment = Commitment(organisation_id=org.id, priority_id=priority.id, text=text,
                            due_on=due_on or date.today() + timedelta(days=30), status=status)
    session.add(commitment)
    session.flush()
    return commitment
