"""Factories for test data: quick, explicit, flushed (never committed)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date, timedelta

from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import AuthSession, Role, User
from safetyhub.auth.passwords import hash_password
from safetyhub.auth.service import actor_for
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.sharing.models import (
    AgreementCategory,
    AgreementParty,
    AgreementPurpose,
    AgreementStatus,
    SharingAgreement,
)
from safetyhub.sharing.vocabulary import DataCategory, LawfulBasis, Purpose
from safetyhub.timeutil import utcnow

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
    today = utcnow().date()
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
