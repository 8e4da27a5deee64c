"""The person profile's reads: the record, other records of the person, and their timeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from safetyhub.auth.actor import Actor
from safetyhub.cases.models import Case, CaseMember, CaseSubject
from safetyhub.incidents.models import Incident, IncidentParty
from safetyhub.organisations.models import Organisation
from safetyhub.people import queries
from safetyhub.people.models import IdentityLink, PersonRecord
from safetyhub.people.service import PersonRecordView, disclosure_of, get_person_record
from safetyhub.referrals.models import Referral
from safetyhub.risk.explain import ExplainPanel, person_panel
from safetyhub.sharing import policy
from safetyhub.sharing.vocabulary import DataCategory, Sensitivity
from safetyhub.timeutil import to_utc

OTHER_RECORDS_LIMIT = 50
TIMELINE_LIMIT = 100


@dataclass(frozen=True)
class Grounds:
    """Why the actor may see another agency's record: agreement titles or shared case titles."""

    agreements: list[str] = field(default_factory=list)
    shared_cases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OtherRecord:
    """Another record of the same person that the actor may see, and why."""

    view: PersonRecordView
    own: bool
    linked: bool  # the same Identity (linkage or a human decision), not only name and birth
    grounds: Grounds


@dataclass(frozen=True)
class TimelineEntry:
    """An incident, case or referral about the person, as the actor may see it."""

    kind: str  # "incident", "case" or "referral"
    at: datetime
    href: str
    what: str  # incident category, case title, or the referral's receiving agency
    agency: str
    detail: str  # party role, case status or referral state (coded)


@dataclass(frozen=True)
class PersonProfile:
    """Everything the profile page shows, already filtered by the access policy."""

    record: PersonRecordView
    own: bool
    grounds: Grounds
    others: list[OtherRecord]
    timeline: list[TimelineEntry]
    known_to_other_agencies: int
    # Early warning: the indicators firing now, explained as far as the policy allows.
    indicators: ExplainPanel | None = None


def _same_person(record: PersonRecord) -> ColumnElement[bool]:
    """Condition: another record of the same Identity, or with the same family name and birth."""
    link = aliased(IdentityLink)
    own_link = aliased(IdentityLink)
    same_identity = PersonRecord.id.in_(
        select(link.person_record_id)
        .join(own_link, own_link.identity_id == link.identity_id)
        .where(own_link.person_record_id == record.id)
    )
    # Linkage is a later issue: until then, the same family name and date of birth is the
    # practitioner's own rule of thumb for "probably the same person".
    same_name_and_birth = (
        and_(func.lower(PersonRecord.family_name) == record.family_name.lower(),
             PersonRecord.date_of_birth == record.date_of_birth)
        if record.date_of_birth is not None else false()
    )
    return and_(PersonRecord.id != record.id, or_(same_identity, same_name_and_birth))


def _linked_ids(session: Session, record_id: uuid.UUID) -> set[uuid.UUID]:
    own_link = aliased(IdentityLink)
    return set(session.scalars(
        select(IdentityLink.person_record_id)
        .join(own_link, own_link.identity_id == IdentityLink.identity_id)
        .where(own_link.person_record_id == record_id)
    ))


def grounds_of(session: Session, actor: Actor, record: PersonRecord) -> Grounds:
    """The agreements (or shared cases) that let the actor see another agency's record."""
    if record.organisation_id == actor.organisation_id:
        return Grounds()
    agreements = policy.grounds_for(
        session, actor, owner_organisation_id=record.organisation_id,
        category=DataCategory.person_identifiers, sensitivity=record.sensitivity,
    )
    shared: list[str] = []
    if record.sensitivity != Sensitivity.special_category.value:
        # Rule 2's second door: both agencies are members of a case the record is a subject of
        # (special category data never passes through it: rule 3).
        shared = sorted(set(session.scalars(
            policy.visible_cases(actor)
            .join(CaseSubject, CaseSubject.case_id == Case.id)
            .where(CaseSubject.person_record_id == record.id,
                   Case.id.in_(policy.member_case_ids(actor.organisation_id)),
                   Case.id.in_(policy.member_case_ids(record.organisation_id)))
            .with_only_columns(Case.title)
        )))
    return Grounds(agreements, shared)


def _other_records(
    session: Session, actor: Actor, record: PersonRecord
) -> list[OtherRecord]:
    linked = _linked_ids(session, record.id)
    rows = session.execute(
        queries.person_records_with_owner(actor)
        .where(_same_person(record))
        .order_by(PersonRecord.family_name, PersonRecord.given_name, PersonRecord.id)
        .limit(OTHER_RECORDS_LIMIT)
    ).all()
    return [
        OtherRecord(
            view=PersonRecordView(other, name), own=other.organisation_id == actor.organisation_id,
            linked=other.id in linked, grounds=grounds_of(session, actor, other),
        )
        for other, name in rows
    ]


def _incident_entries(
    session: Session, actor: Actor, record_ids: list[uuid.UUID]
) -> list[TimelineEntry]:
    rows = session.execute(
        policy.visible_incidents(actor)
        .join(IncidentParty, IncidentParty.incident_id == Incident.id)
        .join(Organisation, Organisation.id == Incident.organisation_id)
        .where(IncidentParty.person_record_id.in_(record_ids))
        .add_columns(IncidentParty.role, Organisation.name)
        .order_by(Incident.occurred_at.desc(), Incident.id)
        .limit(TIMELINE_LIMIT)
    ).all()
    policy.record_disclosures(session, actor, {
        policy.Disclosure("incident", incident.id, incident.organisation_id)
        for incident, _role, _name in rows
    })
    return [
        TimelineEntry("incident", incident.occurred_at, f"/incidents/{incident.id}",
                      incident.category, name, role)
        for incident, role, name in rows
    ]


def _case_entries(
    session: Session, actor: Actor, record_ids: list[uuid.UUID]
) -> list[TimelineEntry]:
    rows = session.execute(
        policy.visible_cases(actor)
        .join(Organisation, Organisation.id == Case.lead_organisation_id)
        .where(Case.id.in_(select(CaseSubject.case_id)
                           .where(CaseSubject.person_record_id.in_(record_ids))))
        .add_columns(Organisation.name)
        .order_by(Case.created_at.desc(), Case.id)
        .limit(TIMELINE_LIMIT)
    ).all()
    member_of = set(session.scalars(policy.member_case_ids(actor.organisation_id)
                                    .where(CaseMember.case_id.in_([case.id for case, _ in rows]))))
    # A non-member reads a case through an agreement: a disclosure by the lead agency.
    policy.record_disclosures(session, actor, [
        policy.Disclosure("case", case.id, case.lead_organisation_id)
        for case, _name in rows if case.id not in member_of
    ])
    return [
        TimelineEntry("case", case.created_at, f"/cases/{case.id}", case.title, name, case.status)
        for case, name in rows
    ]


def _referral_entries(
    session: Session, actor: Actor, record_ids: list[uuid.UUID]
) -> list[TimelineEntry]:
    sender = aliased(Organisation)
    recipient = aliased(Organisation)
    rows = session.execute(
        policy.visible_referrals(actor)
        .join(sender, sender.id == Referral.from_organisation_id)
        .join(recipient, recipient.id == Referral.to_organisation_id)
        .where(Referral.person_record_id.in_(record_ids))
        .add_columns(sender.name, recipient.name)
        .order_by(Referral.created_at.desc(), Referral.id)
        .limit(TIMELINE_LIMIT)
    ).all()
    mine = actor.organisation_id
    policy.record_disclosures(session, actor, [
        policy.Disclosure("referral", referral.id, referral.from_organisation_id)
        for referral, _from, _to in rows
        if mine not in (referral.from_organisation_id, referral.to_organisation_id)
    ])
    return [
        TimelineEntry("referral", referral.created_at, f"/referrals/{referral.id}", to_name,
                      from_name, referral.state)
        for referral, from_name, to_name in rows
    ]


def person_profile(
    session: Session, *, actor: Actor, person_record_id: uuid.UUID
) -> PersonProfile:
    """The profile of a person record the actor may see (404 otherwise); every read audited."""
    view = get_person_record(session, actor=actor, person_record_id=person_record_id)
    record = view.record
    others = _other_records(session, actor, record)
    policy.record_disclosures(session, actor, [disclosure_of(o.view.record) for o in others])
    # The timeline follows the record and the records linked to the same Identity: a name and
    # a birth date alone are not enough to put someone else's incidents on this page.
    record_ids = [record.id] + [o.view.record.id for o in others if o.linked]
    timeline = sorted(
        _incident_entries(session, actor, record_ids)
        + _case_entries(session, actor, record_ids)
        + _referral_entries(session, actor, record_ids),
        key=lambda entry: to_utc(entry.at), reverse=True,
    )
    return PersonProfile(
        record=view, own=record.organisation_id == actor.organisation_id,
        grounds=grounds_of(session, actor, record), others=others, timeline=timeline,
        known_to_other_agencies=policy.hidden_agency_count(session, actor, _same_person(record)),
        indicators=person_panel(session, actor=actor, person_record_id=record.id),
    )
