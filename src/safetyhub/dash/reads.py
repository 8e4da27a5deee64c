"""Reading DASH assessments through the access policy, the reasons in words, the MARAC list."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.cases.models import RiskLevel
from safetyhub.dash import permissions, queries
from safetyhub.dash.checklist import Checklist, checklist
from safetyhub.dash.models import DashAssessment
from safetyhub.dash.rules import Answer, MaracReason
from safetyhub.dash.schemas import (
    AnswerRead,
    DashAssessmentRead,
    MaracCaseRead,
    MaracList,
    OrganisationRef,
    ReasonRead,
)
from safetyhub.dash.service import answers_of
from safetyhub.errors import PermissionDenied
from safetyhub.organisations.models import Organisation
from safetyhub.people.models import PersonRecord
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.timeutil import london_today
from safetyhub.web.i18n import gettext as _
from safetyhub.web.labels import label

MARAC_LIST_SUGGESTED = 50

TICKS = N_("%(ticks)s of %(questions)s questions answered yes: %(level)s risk by the checklist "
           "(medium from %(medium)s, high from %(high)s).")
RAISED = N_("Professional judgement raised the level from %(actuarial)s to %(level)s: %(reason)s")
REASONS = {
    MaracReason.visible_high_risk: N_("Visible high risk: %(ticks)s ticks, %(high)s or more."),
    MaracReason.professional_judgement: N_("Professional judgement: high risk."),
    MaracReason.escalation: N_("Escalation: %(count)s domestic abuse incidents against the "
                               "victim in the last %(days)s days, at any agency."),
    MaracReason.repeat: N_("Repeat: a further incident within %(days)s days of the last MARAC "
                           "referral, at any agency."),
}
NO_MARAC = N_("No MARAC criterion is met.")
HIDDEN_PERSON = N_("A person recorded by another agency")


def marac_reasons_of(assessment: DashAssessment) -> list[MaracReason]:
    """The stored MARAC criteria."""
    return [MaracReason(code) for code in assessment.marac_reasons.split(",") if code]


def explain(assessment: DashAssessment, questions: Checklist) -> list[ReasonRead]:
    """Why the level and the MARAC suggestion are what they are, in the current language."""
    bands, marac = questions.bands, questions.marac
    reasons = [ReasonRead(code="ticks", text=_(TICKS) % {
        "ticks": assessment.ticks, "questions": len(questions.questions),
        "level": label(assessment.actuarial_level).lower(), "medium": bands.medium_from,
        "high": bands.high_from})]
    if assessment.judgement_level:
        reasons.append(ReasonRead(code="judgement", text=_(RAISED) % {
            "actuarial": label(assessment.actuarial_level).lower(),
            "level": label(assessment.level).lower(),
            "reason": assessment.judgement_reason or ""}))
    values = {"ticks": assessment.ticks, "high": bands.high_from,
              "count": assessment.incidents_in_window, "days": marac.escalation_window_days}
    for reason in marac_reasons_of(assessment):
        if reason == MaracReason.repeat:
            values = {**values, "days": marac.repeat_window_days}
        reasons.append(ReasonRead(code=reason.value, text=_(REASONS[reason]) % values))
    if not assessment.marac_reasons:
        reasons.append(ReasonRead(code="no_marac", text=_(NO_MARAC)))
    return reasons


def _organisation(session: Session, organisation_id: uuid.UUID) -> OrganisationRef:
    organisation = session.get(Organisation, organisation_id)
    return OrganisationRef(id=organisation_id, name=organisation.name if organisation else "")


def _person_name(session: Session, actor: Actor, person_record_id: uuid.UUID) -> str:
    """The victim's name if the actor may read their person record (rule 4 otherwise)."""
    record = session.scalars(policy.visible_person_records(actor).where(
        PersonRecord.id == person_record_id)).first()
    if record is None:
        return _(HIDDEN_PERSON)
    policy.record_disclosures(session, actor, [policy.Disclosure(
        "person_record", record.id, record.organisation_id)])
    return f"{record.given_name} {record.family_name}"


def get_assessment(session: Session, *, actor: Actor, assessment_id: uuid.UUID,
                   locale: str = "en") -> DashAssessmentRead:
    """An assessment the actor may read (404 otherwise); another agency's read is audited."""
    assessment = policy.get_visible(session, queries.assessment_by_id(actor, assessment_id),
                                    "DASH assessment")
    policy.record_disclosures(session, actor, [policy.Disclosure(
        "dash_assessment", assessment.id, assessment.organisation_id)])
    questions = checklist()
    by_key = {q.key: q for q in questions.questions}
    answers = sorted(answers_of(session, assessment.id),
                     key=lambda a: by_key[a.question_key].number if a.question_key in by_key
                     else len(by_key) + 1)
    return DashAssessmentRead(
        id=assessment.id, organisation=_organisation(session, assessment.organisation_id),
        person_record_id=assessment.person_record_id,
        person_name=_person_name(session, actor, assessment.person_record_id),
        assessed_at=assessment.created_at, checklist_version=assessment.checklist_version,
        ticks=assessment.ticks, question_count=len(answers),
        actuarial_level=RiskLevel(assessment.actuarial_level),
        judgement_level=RiskLevel(assessment.judgement_level)
        if assessment.judgement_level else None,
        judgement_reason=assessment.judgement_reason, level=RiskLevel(assessment.level),
        marac_suggested=bool(assessment.marac_reasons),
        marac_reasons=marac_reasons_of(assessment), reasons=explain(assessment, questions),
        incidents_in_window=assessment.incidents_in_window,
        marac_referred_at=assessment.marac_referred_at,
        marac_meeting_on=assessment.marac_meeting_on, notes=assessment.notes,
        answers=[AnswerRead(
            question=a.question_key,
            number=by_key[a.question_key].number if a.question_key in by_key else None,
            text=by_key[a.question_key].text_in(locale) if a.question_key in by_key
            else a.question_key,
            answer=Answer(a.answer), note=a.note) for a in answers],
    )


def _case(session: Session, actor: Actor, assessment: DashAssessment) -> MaracCaseRead:
    return MaracCaseRead(
        assessment_id=assessment.id,
        organisation=_organisation(session, assessment.organisation_id),
        person_name=_person_name(session, actor, assessment.person_record_id),
        level=RiskLevel(assessment.level), marac_reasons=marac_reasons_of(assessment),
        assessed_at=assessment.created_at, marac_meeting_on=assessment.marac_meeting_on,
    )


def marac_list(session: Session, *, actor: Actor) -> MaracList:
    """The MARAC chair's list: upcoming cases and suggested referrals the actor may see."""
    if not permissions.may_read_marac_list(actor):
        raise PermissionDenied("The MARAC list is for supervisors and the partnership office.")
    today = london_today()
    upcoming = list(session.scalars(queries.upcoming_marac(actor, today)))
    suggested = list(session.scalars(
        queries.suggested_not_referred(actor, MARAC_LIST_SUGGESTED)))
    policy.record_disclosures(session, actor, [
        policy.Disclosure("dash_assessment", a.id, a.organisation_id)
        for a in [*upcoming, *suggested]])
    return MaracList(
        upcoming=[_case(session, actor, a) for a in upcoming],
        suggested=[_case(session, actor, a) for a in suggested],
        hidden_upcoming=queries.upcoming_total(session, today) - len(upcoming),
    )


def assessments_of_person(session: Session, *, actor: Actor,
                          person_record_id: uuid.UUID) -> list[DashAssessment]:
    """The assessments of one person record the actor may read, newest first."""
    return list(session.scalars(
        policy.visible_dash_assessments(actor)
        .where(DashAssessment.person_record_id == person_record_id)
        .order_by(DashAssessment.created_at.desc())
    ))

