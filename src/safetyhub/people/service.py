"""Person records: record one for your agency, read one, search them (through the policy)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.errors import InvalidInput, NotFound, PermissionDenied
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.pagination import Page, PageRequest, count_of
from safetyhub.people import queries
from safetyhub.people.models import PersonRecord
from safetyhub.people.permissions import may_create_person_record
from safetyhub.people.schemas import PersonRecordCreate
from safetyhub.places.schemas import postcode_filter_value
from safetyhub.sharing import policy
from safetyhub.sharing.vocabulary import Sensitivity

OBJECT_TYPE = "person_record"


@dataclass(frozen=True)
class PersonRecordView:
    """A person record the actor may see, with the name of the agency that owns it."""

    record: PersonRecord
    organisation_name: str


@dataclass(frozen=True)
class PersonSearchResult(Page[PersonRecordView]):
    """A page of matches, plus rule 4's count of other agencies holding hidden matches."""

    known_to_other_agencies: int


def disclosure_of(record: PersonRecord) -> policy.Disclosure:
    """The disclosure a read of `record` makes (audited only if another agency owns it)."""
    return policy.Disclosure(OBJECT_TYPE, record.id, record.organisation_id)


def create_person_record(
    session: Session, *, actor: Actor, data: PersonRecordCreate
) -> PersonRecordView:
    """Record a person for the actor's own agency (practitioners and supervisors)."""
    if not may_create_person_record(actor):
        raise PermissionDenied("Only practitioners and supervisors record people.")
    organisation = session.get(Organisation, actor.organisation_id)
    if organisation is None:
        raise NotFound("Your organisation no longer exists.")
    sensitivity = data.sensitivity
    if organisation.kind == OrganisationKind.health:
        # Being known to a health service is itself health data (UK GDPR Art. 9): every
        # record a health agency holds is special_category, whatever the form said.
        sensitivity = Sensitivity.special_category
    # The append-only log keeps no free text about the person (it could never be erased):
    # which fields were given, and the sensitivity, are what the audit needs.
    given = sorted(name for name, value in data.model_dump().items()
                   if value is not None and name != "sensitivity")
    fields = {"fields_recorded": given, "sensitivity": sensitivity.value}
    record = PersonRecord(
        organisation_id=organisation.id,
        given_name=data.given_name,
        family_name=data.family_name,
        date_of_birth=data.date_of_birth,
        address=data.address,
        postcode=data.postcode,
        phone=data.phone,
        agency_identifier=data.agency_identifier,
        sensitivity=sensitivity.value,
        created_by_id=actor.user_id,
    )
    session.add(record)
    session.flush()
    audit.record(
        session, actor=actor, action="create_person_record", object_type=OBJECT_TYPE,
        object_id=record.id, owner_organisation_id=organisation.id, after=fields,
    )
    # Link the new record to the person behind it, then look for harm, in this same request.
    from safetyhub.linkage.service import link_new_person_record
    from safetyhub.risk.service import evaluate_after_person_record

    link_new_person_record(session, actor=actor, record_id=record.id)
    evaluate_after_person_record(session, actor=actor, person_record_id=record.id)
    return PersonRecordView(record, organisation.name)


def get_person_record(
    session: Session, *, actor: Actor, person_record_id: uuid.UUID
) -> PersonRecordView:
    """One person record the actor may see (404 otherwise); another agency's read is audited."""
    row = session.execute(queries.person_record_by_id(actor, person_record_id)).first()
    if row is None:
        raise NotFound("No person record with that id is visible to you.")
    record, organisation_name = row
    policy.record_disclosures(session, actor, [disclosure_of(record)])
    return PersonRecordView(record, organisation_name)


def _postcode_criterion(postcode: str | None) -> tuple[str, bool] | None:
    if postcode is None:
        return None
    try:
        return postcode_filter_value(postcode)
    except ValueError as exc:
        raise InvalidInput(str(exc), errors=[{"loc": ["query", "postcode"], "msg": str(exc),
                                              "type": "value_error"}]) from None


def search_person_records(
    session: Session,
    *,
    actor: Actor,
    name: str | None = None,
    date_of_birth: date | None = None,
    postcode: str | None = None,
    page: PageRequest,
) -> PersonSearchResult:
    """Person records matching name / date of birth / postcode that the actor may see."""
    name = (name or "").strip() or None
    postcode = (postcode or "").strip() or None
    if name is None and date_of_birth is None and postcode is None:
        raise InvalidInput("Search by at least one of name, date_of_birth or postcode.")
    matching = queries.person_record_matching(
        name=name, date_of_birth=date_of_birth, postcode=_postcode_criterion(postcode)
    )
    total = count_of(session, queries.person_records_found(actor, matching))
    statement = (
        queries.person_records_with_owner(actor)
        .where(matching)
        .order_by(PersonRecord.family_name, PersonRecord.given_name, PersonRecord.id)
        .limit(page.page_size)
        .offset(page.offset)
    )
    items = [PersonRecordView(record, org_name) for record, org_name in session.execute(statement)]
    policy.record_disclosures(session, actor, [disclosure_of(view.record) for view in items])
    return PersonSearchResult(
        items=items,
        total=total,
        page=page.page,
        page_size=page.page_size,
        known_to_other_agencies=policy.hidden_agency_count(session, actor, matching),
    )
