"""DASH and MARAC API routes (thin: they call dash.service and dash.reads)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel

from safetyhub.auth.dependencies import CurrentActor, DbSession
from safetyhub.dash import reads, service
from safetyhub.dash.checklist import checklist
from safetyhub.dash.schemas import (
    DashAssessmentCreate,
    DashAssessmentRead,
    MaracList,
    MaracReferralCreate,
)
from safetyhub.errors import InvalidInput

router = APIRouter(tags=["DASH and MARAC"])


class QuestionRead(BaseModel):
    """One question of the checklist in force."""

    key: str
    number: int
    text: dict[str, str]
    hint: dict[str, str]


class ChecklistRead(BaseModel):
    """The checklist in force: its questions and the bands."""

    version: str
    medium_from: int
    high_from: int
    questions: list[QuestionRead]


@router.get("/dash-checklist", response_model=ChecklistRead)
def get_checklist(actor: CurrentActor) -> ChecklistRead:
    """The questions to answer (keys for POST /api/dash-assessments) and the risk bands."""
    questions = checklist()
    return ChecklistRead(
        version=questions.version, medium_from=questions.bands.medium_from,
        high_from=questions.bands.high_from,
        questions=[QuestionRead(key=q.key, number=q.number, text=q.text, hint=q.hint)
                   for q in questions.questions],
    )


@router.post("/dash-assessments", response_model=DashAssessmentRead, status_code=201)
def complete_assessment(
    session: DbSession, actor: CurrentActor, body: DashAssessmentCreate
) -> DashAssessmentRead:
    """Complete a DASH checklist about a victim; answers with the level and the reasons."""
    answers = {a.question: (a.answer, a.note) for a in body.answers}
    if len(answers) != len(body.answers):
        raise InvalidInput("Answer each question once.")
    assessment = service.complete_assessment(
        session, actor=actor, person_record_id=body.person_record_id, answers=answers,
        judgement_level=body.judgement_level, judgement_reason=body.judgement_reason,
        notes=body.notes,
    )
    return reads.get_assessment(session, actor=actor, assessment_id=assessment.id)


@router.get("/dash-assessments/{assessment_id}", response_model=DashAssessmentRead)
def get_assessment(
    session: DbSession, actor: CurrentActor, assessment_id: uuid.UUID
) -> DashAssessmentRead:
    """A DASH assessment (special category: another agency needs an agreement naming it)."""
    return reads.get_assessment(session, actor=actor, assessment_id=assessment_id)


@router.post("/dash-assessments/{assessment_id}/marac-referral",
             response_model=DashAssessmentRead)
def refer_to_marac(
    session: DbSession, actor: CurrentActor, assessment_id: uuid.UUID, body: MaracReferralCreate
) -> DashAssessmentRead:
    """Refer the victim to a MARAC meeting."""
    service.refer_to_marac(session, actor=actor, assessment_id=assessment_id,
                           meeting_on=body.meeting_on)
    return reads.get_assessment(session, actor=actor, assessment_id=assessment_id)


@router.get("/marac", response_model=MaracList)
def marac_list(session: DbSession, actor: CurrentActor) -> MaracList:
    """The MARAC chair's list: upcoming cases and suggested referrals you may see."""
    return reads.marac_list(session, actor=actor)
