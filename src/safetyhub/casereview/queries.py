"""Reads for case reviews: the system-level complaint count, and the policy-filtered lists.

How an application is matched to complaints (and its limits):
- The victim's person records are found among EVERY partner agency's records: the same given and
  family name (trimmed, case-insensitive) and, where the record has a date of birth, the same
  date of birth; a record without one must have the same postcode (spaces and case ignored).
  Records that linkage has joined to the same Identity as a matched record count too.
- A complaint is an incident in an ASB category (or, for the hate-incident variant, a hate
  category) where one of those records is a party as complainant or victim.
- For the distinct-people variant "the same problem" is ASB at places with the victim's
  postcode; complainants are told apart by Identity where linkage has made one, else by record.
Limits: a misspelt name, a different name form (nicknames), a changed address without a date
of birth, or complaints recorded without the victim as a party are not found; two agencies'
records of one complainant that linkage has not joined count as two people. Staff can decide
the threshold differently from the automatic check, with reasons.
This count is a system-level read: it never reaches the public applicant beyond met / not met
and the number; staff see the counted incidents only through the access policy.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from safetyhub.auth.actor import Actor
from safetyhub.casereview.models import CaseReview
from safetyhub.casereview.rules import Complaint, ThresholdParameters, add_months
from safetyhub.incidents.models import Incident, IncidentParty
from safetyhub.people.models import IdentityLink, PersonRecord
from safetyhub.places.models import Place
from safetyhub.sharing import policy


def normalise_name(value: str) -> str:
    """A name compared case-insensitively with single spaces."""
    return " ".join(value.split()).casefold()


def normalise_postcode(value: str) -> str:
    """A postcode without spaces, in capitals."""
    return "".join(value.split()).upper()


def _postcode_column(
    column: ColumnElement[str | None] | InstrumentedAttribute[str | None],
) -> ColumnElement[str]:
    return func.upper(func.replace(func.coalesce(column, ""), " ", ""))


def matching_person_record_ids(
    session: Session, *, given_name: str, family_name: str, date_of_birth: date, postcode: str
) -> set[uuid.UUID]:
    """Every agency's person records of the victim (see the module docstring for the rule)."""
    postcode_matches = _postcode_column(PersonRecord.postcode) == normalise_postcode(postcode)
    candidates = select(PersonRecord.id, PersonRecord.given_name, PersonRecord.family_name).where(
        or_(
            PersonRecord.date_of_birth == date_of_birth,
            and_(PersonRecord.date_of_birth.is_(None), postcode_matches),
        ),
    )
    # Names are compared here, not in SQL: SQLite's lower() leaves non-ASCII capitals alone.
    wanted = (normalise_name(given_name), normalise_name(family_name))
    found = {
        row.id for row in session.execute(candidates)
        if (normalise_name(row.given_name), normalise_name(row.family_name)) == wanted
    }
    if not found:
        return found
    identities = select(IdentityLink.identity_id).where(IdentityLink.person_record_id.in_(found))
    linked = select(IdentityLink.person_record_id).where(IdentityLink.identity_id.in_(identities))
    return found | set(session.scalars(linked))


def _earliest_report(now: datetime, params: ThresholdParameters) -> datetime:
    # A day of slack: the rule itself decides at the boundary.
    return add_months(now, -params.window_months) - timedelta(days=1)


def victim_complaints(
    session: Session, record_ids: set[uuid.UUID], *, now: datetime, params: ThresholdParameters
) -> list[Complaint]:
    """The victim's complaints held by any agency, keyed as one complainant."""
    if not record_ids:
        return []
    categories = params.asb_categories | (
        params.hate_categories if params.single_hate_incident else frozenset())
    statement = (
        select(Incident.id, Incident.organisation_id, Incident.category, Incident.occurred_at,
               Incident.reported_at, Incident.place_id)
        .join(IncidentParty, IncidentParty.incident_id == Incident.id)
        .where(
            IncidentParty.person_record_id.in_(record_ids),
            IncidentParty.role.in_(params.complainant_roles),
            Incident.category.in_(categories),
            Incident.reported_at >= _earliest_report(now, params),
        )
        .distinct()
    )
    return [
        Complaint(incident_id=row.id, organisation_id=row.organisation_id,
                  category=row.category, occurred_at=row.occurred_at,
                  reported_at=row.reported_at, complainant_key="victim",
                  place_key=str(row.place_id) if row.place_id else None)
        for row in session.execute(statement)
    ]


def community_complaints(
    session: Session, postcode: str, *, now: datetime, params: ThresholdParameters
) -> list[Complaint]:
    """Complaints by anyone about ASB at places with the victim's postcode (a local variant)."""
    if params.distinct_complainants <= 0 or not postcode.strip():
        return []
    identity = (
        select(IdentityLink.identity_id)
        .where(IdentityLink.person_record_id == IncidentParty.person_record_id)
        .scalar_subquery()
    )
    statement = (
        select(Incident.id, Incident.organisation_id, Incident.category, Incident.occurred_at,
               Incident.reported_at, IncidentParty.person_record_id, identity.label("identity"))
        .join(Place, Place.id == Incident.place_id)
        .join(IncidentParty, IncidentParty.incident_id == Incident.id)
        .where(
            _postcode_column(Place.postcode) == normalise_postcode(postcode),
            IncidentParty.role.in_(params.complainant_roles),
            Incident.category.in_(params.asb_categories),
            Incident.reported_at >= _earliest_report(now, params),
        )
    )
    return [
        Complaint(incident_id=row.id, organisation_id=row.organisation_id,
                  category=row.category, occurred_at=row.occurred_at,
                  reported_at=row.reported_at,
                  complainant_key=str(row.identity or row.person_record_id))
        for row in session.execute(statement)
    ]


def case_reviews_for(actor: Actor, *, status: str | None = None) -> Select[tuple[CaseReview]]:
    """Case reviews the actor may read, newest first, optionally of one status."""
    statement = policy.visible_case_reviews(actor)
    if status:
        statement = statement.where(CaseReview.status == status)
    return statement.order_by(CaseReview.received_on.desc(), CaseReview.reference)


def case_review_by_id(actor: Actor, case_review_id: uuid.UUID) -> Select[tuple[CaseReview]]:
    """One case review, if the actor may read it."""
    return policy.visible_case_reviews(actor).where(CaseReview.id == case_review_id)
