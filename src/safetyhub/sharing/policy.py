"""The access policy: the ONLY place that decides what an actor may read (see DESIGN.md).

Rules, in order:
1. A user sees everything their own agency owns, subject to sensitivity and role.
2. Another agency's record is visible only if a valid agreement between the two agencies covers
   that record's data category for the declared purpose, or both agencies are members of a case
   the record is attached to.
3. special_category data needs an agreement that names it and a purpose of safeguarding or
   statutory review.
4. What is not visible is not leaked: at most "known to N other agencies".
5. Every read that reveals another agency's data writes an audit event with the purpose.

Every function returning a select is the start of a query: domains add their own filters.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.casereview.models import CaseReview, CaseReviewAttendee, CaseReviewRecommendation
from safetyhub.cases.models import Case, CaseIncident, CaseMember, CaseNote, CaseSubject
from safetyhub.conferences.models import (
    Conference,
    ConferenceAction,
    ConferenceKind,
    ConferenceMember,
    ConferenceNote,
)
from safetyhub.dash.models import DashAssessment
from safetyhub.errors import NotFound
from safetyhub.incidents.models import Incident
from safetyhub.partnership.commitments.models import Commitment, CommitmentProgress, Priority
from safetyhub.partnership.meetings.models import (
    Meeting,
    MeetingAction,
    MeetingAttachment,
    MeetingDecision,
    MeetingInvitation,
)
from safetyhub.partnership.problems.models import Problem, ProblemPartner
from safetyhub.people.models import PersonRecord
from safetyhub.places.models import Place
from safetyhub.referrals.directory.models import DirectoryService
from safetyhub.referrals.models import Referral
from safetyhub.risk.models import Alert, AlertRoute
from safetyhub.sharing.models import (
    AgreementCategory,
    AgreementParty,
    AgreementPurpose,
    AgreementStatus,
    SharingAgreement,
)
from safetyhub.sharing.vocabulary import (
    SENSITIVITY_ORDER,
    SPECIAL_CATEGORY_PURPOSES,
    DataCategory,
    Sensitivity,
)
from safetyhub.timeutil import london_today

T = TypeVar("T")

# Rule 1's "subject to role": the most sensitive records each role may read at all.
ROLE_MAX_SENSITIVITY: dict[Role, Sensitivity] = {
    Role.practitioner: Sensitivity.special_category,
    Role.supervisor: Sensitivity.special_category,
    Role.analyst: Sensitivity.sensitive,
    Role.partnership_office: Sensitivity.sensitive,
    Role.admin: Sensitivity.standard,
}


def readable_sensitivities(actor: Actor) -> list[str]:
    """Sensitivity levels the actor's role may read."""
    if actor.is_system:
        return [s.value for s in Sensitivity]
    if actor.role is None:
        return []
    ceiling = SENSITIVITY_ORDER[ROLE_MAX_SENSITIVITY[actor.role]]
    return [s.value for s in Sensitivity if SENSITIVITY_ORDER[s] <= ceiling]


def active_agreements(today: date | None = None) -> Select[tuple[uuid.UUID]]:
    """Ids of agreements in force today: signed by every party, not revoked, not expired."""
    day = today or london_today()
    return select(SharingAgreement.id).where(
        SharingAgreement.status == AgreementStatus.active,
        SharingAgreement.valid_from <= day,
        SharingAgreement.valid_to >= day,
    )


def sharing_organisations(
    actor: Actor, category: DataCategory, *, special: bool = False
) -> Select[tuple[uuid.UUID]]:
    """Organisations whose `category` records the actor may read for the declared purpose.

    With `special`, the same agreement must also name special_category (rule 3).
    """
    mine = aliased(AgreementParty)
    theirs = aliased(AgreementParty)
    agreement = SharingAgreement.id
    conditions: list[ColumnElement[bool]] = [
        mine.organisation_id == actor.organisation_id,
        theirs.organisation_id != actor.organisation_id,
        agreement.in_(active_agreements()),
        exists().where(
            AgreementPurpose.agreement_id == agreement,
            AgreementPurpose.purpose == (actor.purpose or ""),
        ),
        exists().where(
            AgreementCategory.agreement_id == agreement,
            AgreementCategory.category == category.value,
        ),
    ]
    if special:
        special_cat = aliased(AgreementCategory)
        conditions.append(
            exists().where(
                special_cat.agreement_id == agreement,
                special_cat.category == DataCategory.special_category.value,
            )
        )
    return (
        select(theirs.organisation_id)
        .join(SharingAgreement, SharingAgreement.id == theirs.agreement_id)
        .join(mine, mine.agreement_id == SharingAgreement.id)
        .where(*conditions)
    )


def grounds_for(
    session: Session,
    actor: Actor,
    *,
    owner_organisation_id: uuid.UUID,
    category: DataCategory,
    sensitivity: str | None,
) -> list[str]:
    """Titles of the in-force agreements that let the actor read another agency's record."""
    # The same rules as `sharing_organisations` (rules 2 and 3) and the role's ceiling (rule 1):
    # empty for the actor's own records, without a purpose, or when no agreement covers it.
    if actor.is_system or actor.organisation_id is None or actor.role is None:
        return []
    if actor.purpose is None or owner_organisation_id == actor.organisation_id:
        return []
    if sensitivity is not None and sensitivity not in readable_sensitivities(actor):
        return []
    special = sensitivity == Sensitivity.special_category.value
    if special and actor.purpose not in SPECIAL_CATEGORY_PURPOSES:
        return []
    covering = sharing_organisations(actor, category, special=special)
    owner = covering.selected_columns[0]
    statement = covering.where(owner == owner_organisation_id).add_columns(SharingAgreement.title)
    return sorted({title for _owner, title in session.execute(statement)})


def visible_agreements(actor: Actor) -> Select[tuple[SharingAgreement]]:
    """Agreements the actor may read: their agency's, or all of them for the partnership office."""
    if actor.is_system:
        return select(SharingAgreement)
    if actor.organisation_id is None or actor.role is None:
        return select(SharingAgreement).where(false())
    if actor.role == Role.partnership_office:
        # The partnership office keeps the register of every agreement in the partnership.
        return select(SharingAgreement)
    return select(SharingAgreement).where(
        exists().where(
            AgreementParty.agreement_id == SharingAgreement.id,
            AgreementParty.organisation_id == actor.organisation_id,
        )
    )


def member_case_ids(organisation_id: uuid.UUID | None) -> Select[tuple[uuid.UUID]]:
    """Ids of cases an organisation is a member of."""
    return select(CaseMember.case_id).where(CaseMember.organisation_id == organisation_id)


def _both_members(case_id: InstrumentedAttribute[uuid.UUID], actor: Actor,
                  owner: InstrumentedAttribute[uuid.UUID]) -> ColumnElement[bool]:
    """The actor's agency and the record owner are both members of the case `case_id`."""
    owner_member = aliased(CaseMember)
    return and_(
        case_id.in_(member_case_ids(actor.organisation_id)),
        exists().where(
            owner_member.case_id == case_id, owner_member.organisation_id == owner
        ),
    )


def _readable(
    actor: Actor,
    *,
    owner: InstrumentedAttribute[uuid.UUID],
    sensitivity: ColumnElement[str] | InstrumentedAttribute[str] | None,
    category: DataCategory,
    via_case: ColumnElement[bool] | None = None,
) -> ColumnElement[bool]:
    """The SQL condition under which the actor may read a record (rules 1-3)."""
    if actor.is_system:
        return true()
    if actor.organisation_id is None or actor.role is None:
        return false()
    role_ok: ColumnElement[bool] = (
        true() if sensitivity is None else sensitivity.in_(readable_sensitivities(actor))
    )
    own = owner == actor.organisation_id
    if actor.purpose is None:
        return and_(role_ok, own)
    ordinary = or_(
        owner.in_(sharing_organisations(actor, category)),
        via_case if via_case is not None else false(),
    )
    if sensitivity is None:
        return and_(role_ok, or_(own, ordinary))
    is_special = sensitivity == Sensitivity.special_category.value
    special_allowed: ColumnElement[bool] = (
        owner.in_(sharing_organisations(actor, category, special=True))
        if actor.purpose in SPECIAL_CATEGORY_PURPOSES
        else false()
    )
    return and_(
        role_ok,
        or_(own, and_(~is_special, ordinary), and_(is_special, special_allowed)),
    )


def person_record_readable(actor: Actor) -> ColumnElement[bool]:
    """Condition: the actor may read the PersonRecord row."""
    subject = aliased(CaseSubject)
    via_case = exists().where(
        subject.person_record_id == PersonRecord.id,
        _both_members(subject.case_id, actor, PersonRecord.organisation_id),
    )
    return _readable(
        actor,
        owner=PersonRecord.organisation_id,
        sensitivity=PersonRecord.sensitivity,
        category=DataCategory.person_identifiers,
        via_case=via_case,
    )


def visible_person_records(actor: Actor) -> Select[tuple[PersonRecord]]:
    """Person records the actor may read."""
    return select(PersonRecord).where(person_record_readable(actor))


def incident_readable(actor: Actor) -> ColumnElement[bool]:
    """Condition: the actor may read the Incident row."""
    attached = aliased(CaseIncident)
    via_case = exists().where(
        attached.incident_id == Incident.id,
        _both_members(attached.case_id, actor, Incident.organisation_id),
    )
    return _readable(
        actor,
        owner=Incident.organisation_id,
        sensitivity=Incident.sensitivity,
        category=DataCategory.incidents,
        via_case=via_case,
    )


def visible_incidents(actor: Actor) -> Select[tuple[Incident]]:
    """Incidents the actor may read."""
    return select(Incident).where(incident_readable(actor))


def case_readable(actor: Actor) -> ColumnElement[bool]:
    """Condition: the actor may read the Case: member agencies, or an agreement with the lead."""
    if actor.is_system:
        return true()
    if actor.organisation_id is None or actor.role is None:
        return false()
    member = Case.id.in_(member_case_ids(actor.organisation_id))
    by_agreement = _readable(
        actor, owner=Case.lead_organisation_id, sensitivity=None,
        category=DataCategory.case_notes,
    )
    return or_(member, by_agreement)


def visible_cases(actor: Actor) -> Select[tuple[Case]]:
    """Cases the actor may read."""
    return select(Case).where(case_readable(actor))


def visible_case_notes(actor: Actor) -> Select[tuple[CaseNote]]:
    """Case notes the actor may read: the case is visible and the note itself passes the rules."""
    via_case = _both_members(CaseNote.case_id, actor, CaseNote.organisation_id)
    return (
        select(CaseNote)
        .join(Case, Case.id == CaseNote.case_id)
        .where(
            case_readable(actor),
            _readable(
                actor,
                owner=CaseNote.organisation_id,
                sensitivity=CaseNote.sensitivity,
                category=DataCategory.case_notes,
                via_case=via_case,
            ),
        )
    )


def referral_readable(actor: Actor) -> ColumnElement[bool]:
    """Condition: sender and recipient always see a referral; others need an agreement."""
    if actor.is_system:
        return true()
    if actor.organisation_id is None or actor.role is None:
        return false()
    party = or_(
        Referral.from_organisation_id == actor.organisation_id,
        Referral.to_organisation_id == actor.organisation_id,
    )
    return or_(
        party,
        _readable(
            actor, owner=Referral.from_organisation_id, sensitivity=None,
            category=DataCategory.referrals,
        ),
    )


def visible_referrals(actor: Actor) -> Select[tuple[Referral]]:
    """Referrals the actor may read."""
    return select(Referral).where(referral_readable(actor))


def visible_places(actor: Actor) -> Select[tuple[Place]]:
    """Places are shared gazetteer data: any signed-in user may read them."""
    if not actor.is_system and actor.organisation_id is None:
        return select(Place).where(false())
    return select(Place)


# Alerts go to the routed agency's professionals; admins manage users, not casework.
ALERT_ROLES: frozenset[Role] = frozenset(
    {Role.practitioner, Role.supervisor, Role.analyst, Role.partnership_office}
)


def alert_readable(actor: Actor) -> ColumnElement[bool]:
    """Condition: the alert is routed to the actor's agency and their role reads alerts.

    Reading an alert is not reading its evidence: each contributing record is shown only as
    far as `incident_readable` / `person_record_readable` allow (rule 4: counts otherwise).
    """
    if actor.is_system:
        return true()
    if actor.organisation_id is None or actor.role not in ALERT_ROLES:
        return false()
    return exists().where(
        AlertRoute.alert_id == Alert.id, AlertRoute.organisation_id == actor.organisation_id
    )


def visible_alerts(actor: Actor) -> Select[tuple[Alert]]:
    """Alerts the actor may read: those routed to their agency."""
    return select(Alert).where(alert_readable(actor))


@dataclass(frozen=True)
class Disclosure:
    """One record of another agency that a read revealed."""

    object_type: str
    object_id: uuid.UUID
    owner_organisation_id: uuid.UUID


def record_disclosures(session: Session, actor: Actor, disclosures: Iterable[Disclosure]) -> int:
    """Rule 5: write one audit event per revealed record owned by another agency."""
    written = 0
    for item in disclosures:
        if actor.is_system or item.owner_organisation_id == actor.organisation_id:
            continue
        audit.record(
            session,
            actor=actor,
            action="read",
            object_type=item.object_type,
            object_id=item.object_id,
            owner_organisation_id=item.owner_organisation_id,
            purpose=actor.purpose,
        )
        written += 1
    return written


def get_visible(session: Session, statement: Select[tuple[T]], what: str) -> T:
    """Run a policy-filtered select for one row; invisible and missing alike answer 404."""
    row = session.scalars(statement).first()
    if row is None:
        raise NotFound(f"No {what} with that id is visible to you.")
    return row


def hidden_agency_count(
    session: Session, actor: Actor, matching: ColumnElement[bool]
) -> int:
    """Rule 4: how many OTHER agencies hold person records matching `matching` that are hidden."""
    statement = select(func.count(func.distinct(PersonRecord.organisation_id))).where(
        matching,
        PersonRecord.organisation_id != actor.organisation_id,
        ~person_record_readable(actor),
    )
    return int(session.scalar(statement) or 0)


def visible_case_reviews(actor: Actor) -> Select[tuple[CaseReview]]:
    """ASB Case Reviews the actor may read.

    The partnership office runs the case review process (and decides appeals), so it reads every
    one; otherwise only practitioners and supervisors of the lead agency, or of an agency that
    attended the review meeting or owns one of its recommendations.
    """
    if actor.is_system or actor.role == Role.partnership_office:
        return select(CaseReview)
    if actor.organisation_id is None or actor.role not in (Role.practitioner, Role.supervisor):
        return select(CaseReview).where(false())
    org = actor.organisation_id
    return select(CaseReview).where(
        or_(
            CaseReview.lead_organisation_id == org,
            exists().where(CaseReviewAttendee.case_review_id == CaseReview.id,
                           CaseReviewAttendee.organisation_id == org),
            exists().where(CaseReviewRecommendation.case_review_id == CaseReview.id,
                           CaseReviewRecommendation.organisation_id == org),
        )
    )


def visible_dash_assessments(actor: Actor) -> Select[tuple[DashAssessment]]:
    """DASH assessments the actor may read: as a special_category record of the assessing agency
    (rules 1 and 3: the agency's own, or an agreement naming special category data and a purpose
    of safeguarding or statutory review)."""
    return select(DashAssessment).where(
        _readable(
            actor,
            owner=DashAssessment.organisation_id,
            sensitivity=DashAssessment.sensitivity,
            category=DataCategory.special_category,
        )
    )


# --- Case conferences (conferences/) ---

# Conferences are casework: admins and analysts of a member agency do not read them.
CONFERENCE_ROLES: frozenset[Role] = frozenset(
    {Role.practitioner, Role.supervisor, Role.partnership_office}
)


def conference_readable(actor: Actor) -> ColumnElement[bool]:
    """Condition: the actor's agency is a member (invited) of the conference."""
    if actor.is_system:
        return true()
    if actor.organisation_id is None or actor.role not in CONFERENCE_ROLES:
        return false()
    return exists().where(
        ConferenceMember.conference_id == Conference.id,
        ConferenceMember.organisation_id == actor.organisation_id,
    )


def visible_conferences(actor: Actor) -> Select[tuple[Conference]]:
    """Conferences the actor may read: those their agency is invited to (404 otherwise)."""
    return select(Conference).where(conference_readable(actor))


def conference_discussion_readable(actor: Actor) -> ColumnElement[bool]:
    """Condition: the actor's agency attended the conference and is a party to its agreement,
    which is in force; MARAC discussion is special category data (rule 3: role ceiling)."""
    if actor.is_system:
        return true()
    if actor.organisation_id is None or actor.role not in CONFERENCE_ROLES:
        return false()
    attended = exists().where(
        ConferenceMember.conference_id == Conference.id,
        ConferenceMember.organisation_id == actor.organisation_id,
        ConferenceMember.attended.is_(True),
    )
    party = exists().where(
        AgreementParty.agreement_id == Conference.agreement_id,
        AgreementParty.organisation_id == actor.organisation_id,
    )
    in_force = Conference.agreement_id.in_(active_agreements())
    special_ok: ColumnElement[bool] = (
        true() if Sensitivity.special_category.value in readable_sensitivities(actor)
        else Conference.kind != ConferenceKind.marac.value
    )
    return and_(attended, party, in_force, special_ok)


def visible_conference_notes(actor: Actor) -> Select[tuple[ConferenceNote]]:
    """Discussion notes the actor may read: only attending agencies under the agreement."""
    return (
        select(ConferenceNote)
        .join(Conference, Conference.id == ConferenceNote.conference_id)
        .where(conference_readable(actor), conference_discussion_readable(actor))
    )


def visible_conference_actions(actor: Actor) -> Select[tuple[ConferenceAction]]:
    """Conference actions the actor may read: attending agencies, and the owning agency."""
    owner = (
        true() if actor.is_system else ConferenceAction.organisation_id == actor.organisation_id
    )
    return (
        select(ConferenceAction)
        .join(Conference, Conference.id == ConferenceAction.conference_id)
        .where(conference_readable(actor), or_(owner, conference_discussion_readable(actor)))
    )


# --- Partnership: problem solving (SARA) ---

# Problems are professional work; administrators manage users, not casework.
PROBLEM_ROLES: frozenset[Role] = frozenset(
    {Role.practitioner, Role.supervisor, Role.analyst, Role.partnership_office}
)


def problem_readable(actor: Actor) -> ColumnElement[bool]:
    """Condition: the actor's agency leads the problem or is one of its partners.

    Reading a problem is not reading its incidents: each linked incident is shown only as far as
    `incident_readable` allows (rule 4: a count otherwise).
    """
    if actor.is_system:
        return true()
    if actor.organisation_id is None or actor.role not in PROBLEM_ROLES:
        return false()
    return or_(
        Problem.lead_organisation_id == actor.organisation_id,
        exists().where(
            ProblemPartner.problem_id == Problem.id,
            ProblemPartner.organisation_id == actor.organisation_id,
        ),
    )


def visible_problems(actor: Actor) -> Select[tuple[Problem]]:
    """Problems the actor may read: their agency leads it or is a partner."""
    return select(Problem).where(problem_readable(actor))


# --- Partnership: assemblies, meetings and commitments (partnership/meetings, commitments) ---
# Meetings are visible to the partnership office and to the organisations invited (others 404).
# Commitments and progress are the partnership's public accountability, not personal data:
# every signed-in partnership user reads them.


def meeting_readable(actor: Actor) -> ColumnElement[bool]:
    """The partnership office reads every meeting; an agency, the meetings it was invited to."""
    if actor.is_system or actor.role == Role.partnership_office:
        return true()
    if actor.organisation_id is None:
        return false()
    invitation = aliased(MeetingInvitation)  # so lists of invitations do not correlate it
    return exists().where(invitation.meeting_id == Meeting.id,
                          invitation.organisation_id == actor.organisation_id)


def visible_meetings(actor: Actor) -> Select[tuple[Meeting]]:
    """Meetings the actor may read."""
    return select(Meeting).where(meeting_readable(actor))


def visible_meeting_invitations(actor: Actor) -> Select[tuple[MeetingInvitation]]:
    """Invitations (and attendance) of the meetings the actor may read."""
    return select(MeetingInvitation).join(
        Meeting, Meeting.id == MeetingInvitation.meeting_id
    ).where(meeting_readable(actor))


def visible_meeting_attachments(actor: Actor) -> Select[tuple[MeetingAttachment]]:
    """Papers of the meetings the actor may read."""
    return select(MeetingAttachment).join(
        Meeting, Meeting.id == MeetingAttachment.meeting_id
    ).where(meeting_readable(actor))


def visible_meeting_decisions(actor: Actor) -> Select[tuple[MeetingDecision]]:
    """Decisions of the meetings the actor may read."""
    return select(MeetingDecision).join(Meeting, Meeting.id == MeetingDecision.meeting_id).where(
        meeting_readable(actor)
    )


def visible_meeting_actions(actor: Actor) -> Select[tuple[MeetingAction]]:
    """Actions of the meetings the actor may read, and any action the actor's agency owns."""
    own = (
        MeetingAction.owner_organisation_id == actor.organisation_id
        if actor.organisation_id is not None else false()
    )
    return select(MeetingAction).join(Meeting, Meeting.id == MeetingAction.meeting_id).where(
        or_(meeting_readable(actor), own)
    )


def _partnership_member(actor: Actor) -> ColumnElement[bool]:
    return true() if actor.is_system or actor.organisation_id is not None else false()


def visible_priorities(actor: Actor) -> Select[tuple[Priority]]:
    """The agreement's priorities: every signed-in partnership user."""
    return select(Priority).where(_partnership_member(actor))


def visible_commitments(actor: Actor) -> Select[tuple[Commitment]]:
    """Commitments: every signed-in partnership user (the partnership's accountability)."""
    return select(Commitment).where(_partnership_member(actor))


def visible_commitment_progress(actor: Actor) -> Select[tuple[CommitmentProgress]]:
    """Evidence of progress on commitments: as the commitments themselves."""
    return select(CommitmentProgress).where(_partnership_member(actor))



# --- Service directory (referrals.directory): not personal data ---------------------------


def visible_directory_services(actor: Actor) -> Select[tuple[DirectoryService]]:
    """Listed services: every signed-in partnership user (the directory is not personal data)."""
    return select(DirectoryService).where(_partnership_member(actor))
