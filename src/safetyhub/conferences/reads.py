"""Reading conferences through the access policy; what reveals another agency's data is
audited with the conference's purpose (rule 5)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.cases.models import Case, CaseAction, CaseMember
from safetyhub.conferences import queries
from safetyhub.conferences.models import (
    Conference,
    ConferenceItem,
    ConferenceKind,
    ConferenceMember,
    ConferenceStatus,
)
from safetyhub.conferences.schemas import (
    ActionRead,
    ConferenceDetailRead,
    ConferencePage,
    ConferenceRead,
    ItemRead,
    ItemSubjectRead,
    MemberRead,
    NoteRead,
    OrganisationRef,
)
from safetyhub.conferences.service import conference_actor
from safetyhub.dash.models import DashAssessment
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.risk.models import Alert
from safetyhub.sharing import policy
from safetyhub.sharing.models import AgreementParty, SharingAgreement
from safetyhub.timeutil import london_today

Disclosures = list[policy.Disclosure]


def _names(session: Session) -> dict[uuid.UUID, str]:
    return {org.id: org.name for org in session.scalars(select(Organisation))}


def _org(names: dict[uuid.UUID, str], organisation_id: uuid.UUID) -> OrganisationRef:
    return OrganisationRef(id=organisation_id, name=names.get(organisation_id, ""))


def _summary(session: Session, conference: Conference,
             names: dict[uuid.UUID, str]) -> ConferenceRead:
    chair = session.get(User, conference.chair_user_id)
    agreement = session.get(SharingAgreement, conference.agreement_id)
    items = session.scalar(select(func.count(ConferenceItem.id)).where(
        ConferenceItem.conference_id == conference.id))
    return ConferenceRead(
        id=conference.id, kind=conference.kind, title=conference.title,
        held_on=conference.held_on, status=conference.status, purpose=conference.purpose,
        chair_organisation=_org(names, conference.chair_organisation_id),
        chair_user_name=chair.full_name if chair else "", agreement_id=conference.agreement_id,
        agreement_title=agreement.title if agreement else "", item_count=int(items or 0),
    )


def list_conferences(session: Session, *, actor: Actor) -> ConferencePage:
    """Conferences the actor's agency is invited to (agenda counts only, no content)."""
    statement = queries.conferences_newest_first(actor)
    conferences = list(session.scalars(statement.limit(200)))
    total = int(session.scalar(select(func.count()).select_from(statement.subquery())) or 0)
    names = _names(session)
    return ConferencePage(items=[_summary(session, c, names) for c in conferences], total=total)


def _case_subject(session: Session, reader: Actor, case_id: uuid.UUID,
                  names: dict[uuid.UUID, str], out: Disclosures) -> ItemSubjectRead:
    case = session.scalars(policy.visible_cases(reader).where(Case.id == case_id)).first()
    if case is None:
        return ItemSubjectRead(visible=False, kind="case")
    member = session.scalar(policy.member_case_ids(reader.organisation_id).where(
        CaseMember.case_id == case.id))
    if member is None:
        out.append(policy.Disclosure("case", case.id, case.lead_organisation_id))
    return ItemSubjectRead(visible=True, kind="case", record_id=case.id, title=case.title,
                           level=case.risk_level, detail=case.kind,
                           organisation_name=names.get(case.lead_organisation_id, ""))


def _alert_subject(session: Session, reader: Actor, alert_id: uuid.UUID) -> ItemSubjectRead:
    # An alert is the routed agencies' own work item; the evidence behind it is not shown here.
    alert = session.scalars(policy.visible_alerts(reader).where(Alert.id == alert_id)).first()
    if alert is None:
        return ItemSubjectRead(visible=False, kind="alert")
    return ItemSubjectRead(visible=True, kind="alert", record_id=alert.id, title=alert.indicator,
                           level=alert.level, detail=alert.state)


def _dash_subject(session: Session, reader: Actor, assessment_id: uuid.UUID,
                  names: dict[uuid.UUID, str], out: Disclosures) -> ItemSubjectRead:
    assessment = session.scalars(policy.visible_dash_assessments(reader).where(
        DashAssessment.id == assessment_id)).first()
    if assessment is None:
        return ItemSubjectRead(visible=False, kind="dash_assessment")
    out.append(policy.Disclosure("dash_assessment", assessment.id, assessment.organisation_id))
    record = session.scalars(policy.visible_person_records(reader).where(
        PersonRecord.id == assessment.person_record_id)).first()
    title = None
    if record is not None:
        out.append(policy.Disclosure("person_record", record.id, record.organisation_id))
        title = f"{record.given_name} {record.family_name}"
    return ItemSubjectRead(
        visible=True, kind="dash_assessment", record_id=assessment.id, title=title,
        level=assessment.level, detail=assessment.marac_reasons,
        organisation_name=names.get(assessment.organisation_id, ""))


def _subject(session: Session, reader: Actor, item: ConferenceItem,
             names: dict[uuid.UUID, str], out: Disclosures) -> ItemSubjectRead:
    if item.case_id is not None:
        return _case_subject(session, reader, item.case_id, names, out)
    if item.alert_id is not None:
        return _alert_subject(session, reader, item.alert_id)
    assert item.dash_assessment_id is not None
    return _dash_subject(session, reader, item.dash_assessment_id, names, out)


def _disclose(session: Session, reader: Actor, disclosures: Iterable[policy.Disclosure]) -> None:
    """Write each revealed record once, with the conference's purpose."""
    unique = {(d.object_type, d.object_id): d for d in disclosures}
    policy.record_disclosures(session, reader, unique.values())


def _case_action_states(session: Session, reader: Actor,
                        ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """The state of each linked case action whose case the reader may see (rule 1)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    statement = (select(CaseAction.id, CaseAction.state)
                 .join(Case, Case.id == CaseAction.case_id)
                 .where(CaseAction.id.in_(wanted), policy.case_readable(reader)))
    return {action_id: state for action_id, state in session.execute(statement)}


def get_conference(session: Session, *, actor: Actor,
                   conference_id: uuid.UUID) -> ConferenceDetailRead:
    """A conference the actor's agency is invited to (404 otherwise), its agenda as far as the
    policy allows, and notes, actions and minutes for attending agencies only."""
    conference = policy.get_visible(session, queries.conference_by_id(actor, conference_id),
                                    "conference")
    reader = conference_actor(actor, conference)
    names = _names(session)
    revealed: Disclosures = []
    notes = list(session.scalars(queries.visible_notes(reader, conference.id)))
    actions = list(session.scalars(queries.visible_actions(reader, conference.id)))
    discussion = queries.may_read_discussion(session, reader, conference.id)
    revealed += [policy.Disclosure("conference_note", n.id, n.organisation_id) for n in notes]
    revealed += [policy.Disclosure("conference_action", a.id, a.organisation_id)
                 for a in actions]
    if discussion and conference.minutes is not None:
        # The minutes are the chair's agency's record of the discussion.
        revealed.append(policy.Disclosure("conference_minutes", conference.id,
                                          conference.chair_organisation_id))
    states = _case_action_states(session, reader, (a.case_action_id for a in actions))
    items = []
    for item in queries.items_of(session, conference.id):
        subject = _subject(session, reader, item, names, revealed)
        items.append(ItemRead(id=item.id, position=item.position, subject=subject, notes=[
            NoteRead(id=n.id, item_id=n.item_id, organisation=_org(names, n.organisation_id),
                     text=n.text, created_at=n.created_at)
            for n in notes if n.item_id == item.id]))
    _disclose(session, reader, revealed)
    return ConferenceDetailRead(
        **_summary(session, conference, names).model_dump(),
        members=[MemberRead(organisation=_org(names, m.organisation_id), attended=m.attended)
                 for m in queries.members_of(session, conference.id)],
        items=items,
        actions=[ActionRead(
            id=a.id, item_id=a.item_id, organisation=_org(names, a.organisation_id),
            description=a.description, due_date=a.due_date, status=a.status,
            case_action_id=a.case_action_id,
            case_action_state=states.get(a.case_action_id) if a.case_action_id else None,
            created_at=a.created_at) for a in actions],
        minutes=conference.minutes if discussion else None,
        may_read_discussion=discussion, closed_at=conference.closed_at,
    )


def marac_waiting(session: Session, *, actor: Actor,
                  conference: Conference) -> list[tuple[uuid.UUID, str, str, uuid.UUID]]:
    """MARAC referrals for a meeting by the conference's date, not yet on any conference's
    agenda, that the actor may see: (assessment id, assessing agency's name, level, its id)."""
    reader = conference_actor(actor, conference)
    on_agenda = select(ConferenceItem.dash_assessment_id).where(
        ConferenceItem.dash_assessment_id.is_not(None))
    statement = (
        policy.visible_dash_assessments(reader)
        .where(DashAssessment.marac_referred_at.is_not(None),
               DashAssessment.marac_meeting_on <= conference.held_on,
               DashAssessment.id.not_in(on_agenda))
        .order_by(DashAssessment.marac_meeting_on, DashAssessment.created_at)
        .limit(50)
    )
    names = _names(session)
    return [(a.id, names.get(a.organisation_id, ""), a.level, a.organisation_id)
            for a in session.scalars(statement)]


def agenda_choices(session: Session, *, actor: Actor,
                   conference: Conference) -> dict[str, list[tuple[str, str]]]:
    """What the actor may bring to the agenda: their agency's open cases, alerts routed to it,
    and (for a MARAC) the referrals waiting; values are "kind:id" for the page's select."""
    reader = conference_actor(actor, conference)
    on_agenda = queries.items_of(session, conference.id)
    cases_on = {i.case_id for i in on_agenda}
    alerts_on = {i.alert_id for i in on_agenda}
    cases = session.scalars(
        policy.visible_cases(reader)
        .where(Case.status == "open", Case.id.in_(policy.member_case_ids(actor.organisation_id)))
        .order_by(Case.created_at.desc()).limit(100))
    alerts = session.scalars(policy.visible_alerts(reader).where(Alert.is_open.is_(True))
                             .order_by(Alert.created_at.desc()).limit(100))
    choices = {
        "case": [(f"case:{c.id}", c.title) for c in cases if c.id not in cases_on],
        "alert": [(f"alert:{a.id}", f"{a.indicator} ({a.level})") for a in alerts
                  if a.id not in alerts_on],
        "dash": [],
    }
    if conference.kind == "marac":
        waiting = marac_waiting(session, actor=actor, conference=conference)
        choices["dash"] = [(f"dash:{aid}", f"{org} ({level})") for aid, org, level, _ in waiting]
        # Listing another agency's MARAC referral reveals it: audited with the purpose.
        _disclose(session, reader, [policy.Disclosure("dash_assessment", aid, owner)
                                    for aid, _, _, owner in waiting])
    return choices


def in_force_agreements(session: Session, *, actor: Actor) -> list[tuple[str, str]]:
    """The in-force agreements the actor's agency is party to (for a new conference)."""
    mine = select(AgreementParty.agreement_id).where(
        AgreementParty.organisation_id == actor.organisation_id)
    statement = policy.visible_agreements(actor).where(
        SharingAgreement.id.in_(policy.active_agreements()), SharingAgreement.id.in_(mine)
    ).order_by(SharingAgreement.title)
    return [(str(a.id), a.title) for a in session.scalars(statement)]


def invitable_agencies(session: Session, *, conference: Conference) -> list[tuple[str, str]]:
    """Parties to the conference's agreement not yet invited, by name (for the chair)."""
    members = select(ConferenceMember.organisation_id).where(
        ConferenceMember.conference_id == conference.id)
    statement = (
        select(Organisation.id, Organisation.name)
        .join(AgreementParty, AgreementParty.organisation_id == Organisation.id)
        .where(AgreementParty.agreement_id == conference.agreement_id,
               Organisation.id.not_in(members))
        .order_by(Organisation.name)
    )
    return [(str(oid), name) for oid, name in session.execute(statement)]


def next_marac(session: Session, *, actor: Actor) -> Conference | None:
    """The coming scheduled MARAC the actor's agency is invited to (for the MARAC list)."""
    statement = policy.visible_conferences(actor).where(
        Conference.kind == ConferenceKind.marac.value,
        Conference.status == ConferenceStatus.scheduled.value,
        Conference.held_on >= london_today(),
    ).order_by(Conference.held_on, Conference.created_at)
    return session.scalars(statement.limit(1)).first()
