"""Demo: a MARAC next week (high-risk DASH referral and cases on the agenda) and a community
MARAC held two weeks ago with attendance, notes, actions and minutes, in the synthetic county."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.auth.service import actor_for
from safetyhub.cases.models import Case, CaseSubject
from safetyhub.conferences import service
from safetyhub.conferences.models import (
    Conference,
    ConferenceActionStatus,
    ConferenceItem,
    ConferenceKind,
)
from safetyhub.dash import service as dash_service
from safetyhub.dash.checklist import checklist
from safetyhub.dash.rules import Answer
from safetyhub.errors import SafetyHubError
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.risk.models import Alert, AlertRoute
from safetyhub.sharing.models import SharingAgreement
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.timeutil import london_today

CHAIR = "mark.ellis@surrey-police.example"
OFFICER = "alex.morgan@surrey-police.example"
COUNCIL_OFFICER = "priya.shah@guildford-council.example"
MARAC_PROTOCOL = "Surrey MARAC and Domestic Abuse Information Sharing Protocol"
ASB_PROTOCOL = "Surrey Community Safety Information Sharing Protocol: ASB and crime prevention"
MARAC_MEMBERS = ("Surrey Domestic Abuse Outreach", "Wey Valley Homes",
                 "Guildford Borough Council", "Surrey and Borders Partnership NHS Foundation Trust",
                 "Surrey County Council Children's Services")
COMMUNITY_MEMBERS = ("Guildford Borough Council", "Wey Valley Homes",
                     "Surrey Fire and Rescue Service")


def _actor(session: Session, email: str, purpose: Purpose) -> Actor | None:
    user = session.scalars(select(User).where(User.email == email)).first()
    return actor_for(user).with_purpose(purpose) if user is not None else None


def _org_ids(session: Session, names: tuple[str, ...]) -> list[uuid.UUID]:
    return list(session.scalars(select(Organisation.id).where(Organisation.name.in_(names))))


def _agreement(session: Session, title: str) -> uuid.UUID | None:
    return session.scalar(select(SharingAgreement.id).where(SharingAgreement.title == title))


def _case(session: Session, title: str) -> Case | None:
    return session.scalars(select(Case).where(Case.title == title)
                           .order_by(Case.created_at)).first()


def _marac_referral(session: Session, officer: Actor, case: Case, meeting_on: date) -> uuid.UUID:
    """A high-risk DASH checklist on the case's police-held victim, referred to the MARAC."""
    record_id = session.scalar(
        select(PersonRecord.id).join(CaseSubject, CaseSubject.person_record_id == PersonRecord.id)
        .where(CaseSubject.case_id == case.id,
               PersonRecord.organisation_id == officer.organisation_id))
    if record_id is None:
        raise LookupError("no police-held victim record")
    keys = checklist().keys
    answers = {key: (Answer.yes if i < 15 else Answer.no, "") for i, key in enumerate(keys)}
    assessment = dash_service.complete_assessment(session, actor=officer,
                                                  person_record_id=record_id, answers=answers)
    dash_service.refer_to_marac(session, actor=officer, assessment_id=assessment.id,
                                meeting_on=meeting_on)
    return assessment.id


def _marac(session: Session, today: date) -> None:
    chair = _actor(session, CHAIR, Purpose.safeguarding)
    officer = _actor(session, OFFICER, Purpose.safeguarding)
    agreement = _agreement(session, MARAC_PROTOCOL)
    if chair is None or officer is None or agreement is None:
        return
    held_on = max(today, london_today()) + timedelta(days=7)
    conference = service.create_conference(
        session, actor=chair, kind=ConferenceKind.marac, title="Guildford and Waverley MARAC",
        held_on=held_on, agreement_id=agreement, purpose=Purpose.safeguarding,
        member_organisation_ids=_org_ids(session, MARAC_MEMBERS))
    case = _case(session, "MARAC: high-risk domestic abuse")
    if case is not None:
        try:
            assessment_id = _marac_referral(session, officer, case, held_on)
            service.add_item(session, actor=officer, conference_id=conference.id,
                             dash_assessment_id=assessment_id)
        except (LookupError, SafetyHubError):
            pass  # a county without a police-held victim: the case alone goes on the agenda
        service.add_item(session, actor=officer, conference_id=conference.id, case_id=case.id)
    _add_alerts(session, officer, conference)


def _add_alerts(session: Session, officer: Actor, conference: Conference) -> None:
    """Up to two open high-level alerts routed to the officer's agency."""
    alerts = session.scalars(
        select(Alert.id).join(AlertRoute, AlertRoute.alert_id == Alert.id)
        .where(AlertRoute.organisation_id == officer.organisation_id,
               Alert.is_open.is_(True), Alert.level == "high")
        .order_by(Alert.score.desc()).limit(2))
    for alert_id in list(alerts):
        service.add_item(session, actor=officer, conference_id=conference.id, alert_id=alert_id)


def _community_marac(session: Session, today: date) -> None:
    chair = _actor(session, CHAIR, Purpose.asb_case_management)
    officer = _actor(session, OFFICER, Purpose.asb_case_management)
    council = _actor(session, COUNCIL_OFFICER, Purpose.asb_case_management)
    agreement = _agreement(session, ASB_PROTOCOL)
    if chair is None or officer is None or council is None or agreement is None:
        return
    members = _org_ids(session, COMMUNITY_MEMBERS)
    conference = service.create_conference(
        session, actor=chair, kind=ConferenceKind.community_marac,
        title="Guildford community MARAC", held_on=today - timedelta(days=14),
        agreement_id=agreement, purpose=Purpose.asb_case_management,
        member_organisation_ids=members)
    present = [council.organisation_id, *_org_ids(session, ("Wey Valley Homes",))]
    for org in present:
        if org is not None:
            service.record_attendance(session, actor=chair, conference_id=conference.id,
                                      organisation_id=org, attended=True)
    cases = session.scalars(select(Case).where(
        Case.title.like("ASB%"), Case.status == "open").order_by(Case.created_at).limit(2))
    items: list[ConferenceItem] = []
    for case in list(cases):
        try:
            items.append(service.add_item(session, actor=officer, conference_id=conference.id,
                                          case_id=case.id))
        except SafetyHubError:
            continue  # police are not a member of that case
    notes = ("Repeat calls from the same three addresses; patrols have not changed the pattern.",
             "Council has issued two Community Protection Notice warnings; one breach reported.")
    for item, (author, text) in zip(items, ((officer, notes[0]), (council, notes[1])),
                                    strict=False):
        service.add_note(session, actor=author, conference_id=conference.id, item_id=item.id,
                         text=text)
    # Due dates are counted from the real today too: the verbs refuse a due date in the past.
    due_from = max(today, london_today())
    if items and council.organisation_id is not None:
        service.add_action(
            session, actor=council, conference_id=conference.id,
            organisation_id=council.organisation_id, item_id=items[0].id,
            description="Serve a Community Protection Notice if a further breach is reported",
            due_date=due_from + timedelta(days=14), create_case_action=True)
    if officer.organisation_id is not None:
        done = service.add_action(
            session, actor=officer, conference_id=conference.id,
            organisation_id=officer.organisation_id,
            description="Share the last three months' calls for service with the panel",
            due_date=due_from + timedelta(days=1))
        service.update_action_status(session, actor=officer, conference_id=conference.id,
                                     action_id=done.id, status=ConferenceActionStatus.done)
    service.record_minutes(
        session, actor=chair, conference_id=conference.id,
        minutes="Two ASB cases discussed. Partners agreed a joint plan: council enforcement, "
                "targeted patrols and tenancy support. Review at the next community MARAC.")
    service.close_conference(session, actor=chair, conference_id=conference.id)


def seed_demo(session: Session, *, today: date) -> None:
    """A MARAC next week and a closed community MARAC from two weeks ago."""
    _marac(session, today)
    _community_marac(session, today)
