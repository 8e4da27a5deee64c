"""DASH verbs (complete an assessment, refer to MARAC) and the policy-filtered reads.

Audit summaries carry ids, levels, counts and dates, never the answers or notes: the audit log
cannot be pruned, so it must not become a copy of special category data.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.cases.models import RiskLevel
from safetyhub.dash import permissions, queries, rules
from safetyhub.dash.checklist import Checklist, checklist
from safetyhub.dash.models import DashAnswer, DashAssessment
from safetyhub.errors import Conflict, InvalidInput, PermissionDenied
from safetyhub.people.models import PersonRecord
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.timeutil import london_today, utcnow

ALL_QUESTIONS = N_("Answer every question: yes, no or not known.")


def _state(assessment: DashAssessment) -> dict[str, Any]:
    return {
        "person_record_id": assessment.person_record_id, "ticks": assessment.ticks,
        "actuarial_level": assessment.actuarial_level, "level": assessment.level,
        "judgement_raised": assessment.judgement_level is not None,
        "marac_reasons": assessment.marac_reasons,
        "incidents_in_window": assessment.incidents_in_window,
        "marac_meeting_on": assessment.marac_meeting_on,
    }


def check_answers(answers: Mapping[str, tuple[rules.Answer, str]], questions: Checklist) -> None:
    """Every question of the checklist answered once, and no other."""
    unknown = [key for key in answers if key not in questions.keys]
    if unknown:
        raise InvalidInput(f"No checklist question has the key {unknown[0][:40]!r}.")
    missing = [q.number for q in questions.questions if q.key not in answers]
    if missing:
        raise InvalidInput(ALL_QUESTIONS, errors=[
            {"loc": ["answers", str(n)], "msg": "not answered", "type": "missing"}
            for n in missing])


def complete_assessment(
    session: Session, *, actor: Actor, person_record_id: uuid.UUID,
    answers: Mapping[str, tuple[rules.Answer, str]], judgement_level: RiskLevel | None = None,
    judgement_reason: str = "", notes: str = "",
) -> DashAssessment:
    """Score a completed checklist about a victim the actor may see, with escalation and repeat
    across every agency, and store it as the actor's agency's special category record."""
    if not permissions.may_assess(actor) or actor.organisation_id is None:
        raise PermissionDenied("Only practitioners and supervisors complete DASH assessments.")
    record = policy.get_visible(
        session, policy.visible_person_records(actor).where(PersonRecord.id == person_record_id),
        "person record",
    )
    questions = checklist()
    check_answers(answers, questions)
    now = utcnow()
    victim = queries.victim_record_ids(session, record.id)
    incidents = queries.victim_incidents(session, victim, questions.marac.escalation_categories)
    last_referral = queries.last_marac_referral(session, victim)
    result = rules.assess(
        {key: answer for key, (answer, _) in answers.items()}, bands=questions.bands,
        rules=questions.marac, now=now, judgement=judgement_level,
        judgement_reason=judgement_reason,
        incident_times=[i.occurred_at for i in incidents],
        reported_times=[i.reported_at for i in incidents], last_marac_referral_at=last_referral,
    )
    raised = result.level != result.actuarial_level
    assessment = DashAssessment(
        id=uuid.uuid4(), organisation_id=actor.organisation_id, person_record_id=record.id,
        assessed_by_id=actor.user_id, checklist_version=questions.version, ticks=result.ticks,
        actuarial_level=result.actuarial_level.value,
        judgement_level=result.level.value if raised else None,
        judgement_reason=judgement_reason.strip() or None if raised else None,
        level=result.level.value, marac_reasons=",".join(r.value for r in result.reasons),
        incidents_in_window=result.incidents_in_window, notes=notes.strip() or None,
    )
    session.add(assessment)
    session.flush()
    session.add_all(
        DashAnswer(assessment_id=assessment.id, question_key=key, answer=answer.value,
                   note=note.strip() or None)
        for key, (answer, note) in answers.items()
    )
    session.flush()
    audit.record(
        session, actor=actor, action="complete_dash_assessment", object_type="dash_assessment",
        object_id=assessment.id, owner_organisation_id=assessment.organisation_id,
        purpose=actor.purpose, after=_state(assessment),
    )
    return assessment


def refer_to_marac(
    session: Session, *, actor: Actor, assessment_id: uuid.UUID, meeting_on: date
) -> DashAssessment:
    """Refer the victim to the MARAC meeting on `meeting_on` (the assessing agency does this)."""
    assessment = policy.get_visible(session, queries.assessment_by_id(actor, assessment_id),
                                    "DASH assessment")
    if not permissions.may_refer_to_marac(actor, assessment):
        raise PermissionDenied("Only the assessing agency refers its assessment to MARAC.")
    if assessment.marac_referred_at is not None:
        raise Conflict("This assessment has already been referred to MARAC.")
    if meeting_on < london_today():
        raise InvalidInput("The MARAC meeting date must be today or later.")
    before = _state(assessment)
    assessment.marac_referred_at = utcnow()
    assessment.marac_meeting_on = meeting_on
    assessment.marac_referred_by_id = actor.user_id
    session.flush()
    audit.record(
        session, actor=actor, action="refer_to_marac", object_type="dash_assessment",
        object_id=assessment.id, owner_organisation_id=assessment.organisation_id,
        purpose=actor.purpose, before=before, after=_state(assessment),
    )
    return assessment


def answers_of(session: Session, assessment_id: uuid.UUID) -> list[DashAnswer]:
    """The stored answers of an assessment (the caller has read the assessment itself)."""
    return list(session.scalars(select(DashAnswer).where(
        DashAnswer.assessment_id == assessment_id)))
