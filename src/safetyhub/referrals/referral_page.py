"""What the referral pages show besides the referral: labels, links, choices."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.cases import queries as case_queries
from safetyhub.cases.models import Case
from safetyhub.cases.schemas import CaseRead
from safetyhub.cases.service import summary_of
from safetyhub.organisations.service import list_organisations
from safetyhub.people.models import PersonRecord
from safetyhub.referrals.models import Referral
from safetyhub.sharing import policy
from safetyhub.sharing.vocabulary import LawfulBasis
from safetyhub.text import N_

# The legal gateways, as the radios and the referral page show them (message ids equal the
# stored values, so a stored value translates directly).
LAWFUL_BASIS_LABELS: dict[str, str] = {
    LawfulBasis.cda_1998_s115.name: N_("Crime and Disorder Act 1998 s.115"),
    LawfulBasis.cda_1998_s17.name: N_("Crime and Disorder Act 1998 s.17"),
    LawfulBasis.asb_2014_s104.name: N_("Anti-social Behaviour, Crime and Policing Act 2014 s.104"),
    LawfulBasis.children_act_2004_s11.name: N_("Children Act 2004 s.11"),
    LawfulBasis.care_act_2014_s45.name: N_("Care Act 2014 s.45"),
    LawfulBasis.da_act_2021.name: N_("Domestic Abuse Act 2021"),
    LawfulBasis.uk_gdpr_6_1_e.name: N_("UK GDPR Art. 6(1)(e) public task"),
    LawfulBasis.consent.name: N_("Consent of the data subject"),
    LawfulBasis.other.name: N_("Other (see detail)"),
}
LAWFUL_BASIS_BY_VALUE: dict[str, str] = {
    LawfulBasis[name].value: text for name, text in LAWFUL_BASIS_LABELS.items()
}
LAWFUL_BASIS_CHOICES: list[tuple[str, str, str | None]] = [
    (name, text, None) for name, text in LAWFUL_BASIS_LABELS.items()
]
CONSENT_CHOICES: list[tuple[str, str, str | None]] = [
    ("yes", N_("Yes"), None), ("no", N_("No"), None),
]


def readable_person_record(
    session: Session, actor: Actor, record_id: uuid.UUID | None
) -> uuid.UUID | None:
    """The referral's person record id if the reader may open it (nothing is read from it)."""
    if record_id is None:
        return None
    return session.scalar(select(PersonRecord.id).where(
        PersonRecord.id == record_id, policy.person_record_readable(actor)
    ))


def readable_case(session: Session, actor: Actor, case_id: uuid.UUID | None) -> uuid.UUID | None:
    """The referral's case id if the reader may open the case."""
    if case_id is None:
        return None
    return session.scalar(select(Case.id).where(Case.id == case_id, policy.case_readable(actor)))


def case_being_referred(session: Session, actor: Actor, case_id: uuid.UUID) -> CaseRead:
    """The case a referral is about (404 if hidden); a non-member's read is a disclosure."""
    case = policy.get_visible(session, case_queries.visible_case(actor, case_id), "case")
    members = set(session.scalars(
        case_queries.member_case_ids_among(actor.organisation_id, [case.id])
    ))
    if case.id not in members:
        policy.record_disclosures(
            session, actor, [policy.Disclosure("case", case.id, case.lead_organisation_id)]
        )
    return summary_of(session, case)


def referral_for_permission(session: Session, actor: Actor, referral_id: uuid.UUID) -> Referral:
    """The visible referral row (404 otherwise), to decide what the reader may do with it."""
    return policy.get_visible(
        session, policy.visible_referrals(actor).where(Referral.id == referral_id), "referral"
    )


def other_organisations(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """Agencies the actor's agency may refer to: every partner but itself, by name."""
    return [(org.id, org.name) for org in list_organisations(session)
            if org.id != actor.organisation_id]
