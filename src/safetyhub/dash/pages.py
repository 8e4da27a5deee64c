"""DASH pages: choose the victim, answer the checklist, see the level and refer to MARAC; the
MARAC chair's list. Thin: they call dash.service and dash.reads through the access policy."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safetyhub.auth.dependencies import DbSession
from safetyhub.cases.models import RiskLevel
from safetyhub.conferences import reads as conference_reads
from safetyhub.dash import permissions, reads, rules, service
from safetyhub.dash.checklist import Checklist, checklist
from safetyhub.dash.schemas import MAX_NOTE, MAX_NOTES, MAX_REASON
from safetyhub.errors import PermissionDenied
from safetyhub.people.models import PersonRecord
from safetyhub.people.picker import find_people, read_query
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.timeutil import london_today
from safetyhub.web import i18n
from safetyhub.web.forms import (
    DateQuestion,
    FormErrors,
    done_message,
    read_date,
    read_text,
    required_uuid,
)
from safetyhub.web.labels import label
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

SEARCH_RESULTS = 20
ANSWER_CHOICES = ((rules.Answer.yes.value, N_("Yes"), None),
                  (rules.Answer.no.value, N_("No"), None),
                  (rules.Answer.not_known.value, N_("Not known"), None))
JUDGEMENT_CHOICES = (("", N_("No change: keep the level the answers give"), None),
                     (RiskLevel.medium.value, N_("Raise to medium"), None),
                     (RiskLevel.high.value, N_("Raise to high"), None))
MARAC_REASONS = {
    rules.MaracReason.visible_high_risk.value: N_("Visible high risk"),
    rules.MaracReason.professional_judgement.value: N_("Professional judgement"),
    rules.MaracReason.escalation.value: N_("Escalation"),
    rules.MaracReason.repeat.value: N_("Repeat"),
}
DONE_MESSAGES = {"completed": N_("DASH assessment saved"),
                 "referred": N_("Referred to MARAC")}
MEETING = DateQuestion(missing=N_("Enter the date of the MARAC meeting"),
                       not_real=N_("The date of the MARAC meeting must be a real date"))


async def posted_form(request: Request) -> FormData:
    """The posted form with its field names as sent (the checklist's names are configurable)."""
    return await request.form()


Posted = Annotated[FormData, Depends(posted_form)]


def _require_assessor(user: PageUser) -> None:
    if not permissions.may_assess(user.actor):
        raise PermissionDenied(N_("Only practitioners and supervisors complete DASH "
                                  "assessments."))


def _visible_person(session: Session, user: PageUser, record_id: uuid.UUID) -> PersonRecord:
    record = policy.get_visible(session, policy.visible_person_records(user.actor).where(
        PersonRecord.id == record_id), "person record")
    policy.record_disclosures(session, user.actor, [
        policy.Disclosure("person_record", record.id, record.organisation_id)])
    return record


def _form(request: Request, user: PageUser, person: PersonRecord, values: dict[str, str],
          errors: FormErrors | None = None) -> Response:
    questions = checklist()
    locale = i18n.locale_from_request(request)
    return render(
        request, "dash/form.html", status_code=422 if errors else 200, user=user,
        person=person, questions=[(q, q.text_in(locale), q.hint_in(locale))
                                  for q in questions.questions],
        checklist=questions, values=values, errors=errors or FormErrors(),
        answer_choices=ANSWER_CHOICES, judgement_choices=JUDGEMENT_CHOICES,
    )


@router.get("/dash-assessments/new")
def new_assessment(request: Request, session: DbSession, user: SignedInUser,
                   person_record_id: str = "", q: str = "") -> Response:
    """Choose the victim (a person record you may see), then answer the checklist."""
    _require_assessor(user)
    if person_record_id:
        record = _visible_person(session, user, required_uuid(person_record_id,
                                                              "person record"))
        return _form(request, user, record, {})
    errors = FormErrors()
    query = read_query("q", q[:200], errors) if q else None
    matches = find_people(session, user.actor, query, limit=SEARCH_RESULTS) if query else None
    return render(request, "dash/choose_person.html", user=user, query=q[:200],
                  errors=errors, matches=matches)


def _answers(form: FormData, questions: Checklist, errors: FormErrors
             ) -> dict[str, tuple[rules.Answer, str]]:
    answers: dict[str, tuple[rules.Answer, str]] = {}
    for question in questions.questions:
        value = str(form.get(f"answer-{question.key}") or "")
        note = read_text(f"note-{question.key}", str(form.get(f"note-{question.key}") or ""),
                         errors, max_length=MAX_NOTE) or ""
        if value not in {a.value for a in rules.Answer}:
            errors.add(f"answer-{question.key}", N_("Answer question %(number)s"),
                       number=question.number)
            continue
        answers[question.key] = (rules.Answer(value), note)
    return answers


def _judgement(form: FormData, answers: dict[str, tuple[rules.Answer, str]],
               questions: Checklist, errors: FormErrors) -> tuple[RiskLevel | None, str]:
    chosen = str(form.get("judgement_level") or "")
    reason = read_text("judgement_reason", str(form.get("judgement_reason") or ""), errors,
                       max_length=MAX_REASON) or ""
    if chosen not in {"", RiskLevel.medium.value, RiskLevel.high.value}:
        errors.add("judgement_level", N_("Select whether your judgement raises the level"))
        return None, reason
    if not chosen:
        return None, reason
    level = RiskLevel(chosen)
    if len(answers) == len(questions.questions):
        ticks = rules.count_ticks({k: a for k, (a, _) in answers.items()})
        actuarial = rules.actuarial_level(ticks, questions.bands)
        if rules.LEVEL_ORDER[level] < rules.LEVEL_ORDER[actuarial]:
            errors.add("judgement_level", N_("Professional judgement may raise the risk "
                                             "level, never lower it. The answers give %(level)s."),
                       level=label(actuarial.value))
        elif level != actuarial and not reason:
            errors.add("judgement_reason", rules.JUDGEMENT_NEEDS_REASON)
        elif level == actuarial:
            return None, reason
    return level, reason


@router.post("/dash-assessments")
def complete_assessment(request: Request, session: DbSession, user: SignedInUser,
                        form: Posted) -> Response:
    """Check every answer, then score and save the assessment."""
    check_csrf(user.csrf_token, str(form.get("csrf_token") or ""))
    _require_assessor(user)
    record = _visible_person(session, user, required_uuid(
        str(form.get("person_record_id") or ""), "person record"))
    questions = checklist()
    errors = FormErrors()
    answers = _answers(form, questions, errors)
    with i18n.using_locale(i18n.locale_from_request(request)):  # the level's name in a message
        level, reason = _judgement(form, answers, questions, errors)
    notes = read_text("notes", str(form.get("notes") or ""), errors, max_length=MAX_NOTES) or ""
    if errors:
        values = {key: str(value)[:MAX_NOTES] for key, value in form.items()}
        return _form(request, user, record, values, errors)
    assessment = service.complete_assessment(
        session, actor=user.actor, person_record_id=record.id, answers=answers,
        judgement_level=level, judgement_reason=reason, notes=notes,
    )
    return redirect(f"/dash-assessments/{assessment.id}?done=completed")


def _result(request: Request, session: Session, user: PageUser, assessment_id: uuid.UUID,
            done: str = "", values: dict[str, Any] | None = None,
            errors: FormErrors | None = None) -> Response:
    with i18n.using_locale(i18n.locale_from_request(request)):
        view = reads.get_assessment(session, actor=user.actor, assessment_id=assessment_id,
                                    locale=i18n.current_locale())
    may_refer = (permissions.may_assess(user.actor)
                 and user.actor.organisation_id == view.organisation.id
                 and view.marac_referred_at is None)
    return render(
        request, "dash/result.html", status_code=422 if errors else 200, user=user,
        view=view, may_refer=may_refer, marac_reasons=MARAC_REASONS,
        answer_labels={value: text for value, text, _ in ANSWER_CHOICES},
        done=done_message(DONE_MESSAGES, done), values=values or {},
        errors=errors or FormErrors(),
    )


@router.get("/dash-assessments/{assessment_id}")
def assessment_page(request: Request, session: DbSession, user: SignedInUser,
                    assessment_id: str, done: str = "") -> Response:
    """The level, the reasons, whether MARAC is suggested, and the answers."""
    return _result(request, session, user, required_uuid(assessment_id, "DASH assessment"),
                   done)


@router.post("/dash-assessments/{assessment_id}/marac-referral")
def refer_to_marac(
    request: Request, session: DbSession, user: SignedInUser, assessment_id: str,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    day: Annotated[str, Form(alias="meeting-day", max_length=10)] = "",
    month: Annotated[str, Form(alias="meeting-month", max_length=10)] = "",
    year: Annotated[str, Form(alias="meeting-year", max_length=10)] = "",
) -> Response:
    """Refer the victim to the MARAC meeting on a date."""
    check_csrf(user.csrf_token, csrf_token)
    chosen = required_uuid(assessment_id, "DASH assessment")
    errors = FormErrors()
    meeting = read_date("meeting", day, month, year, errors, MEETING)
    if meeting is not None and meeting < london_today():
        errors.add("meeting-day", N_("The date of the MARAC meeting must be today or later"))
    if errors or meeting is None:
        values = {"meeting-day": day, "meeting-month": month, "meeting-year": year}
        return _result(request, session, user, chosen, values=values, errors=errors)
    service.refer_to_marac(session, actor=user.actor, assessment_id=chosen, meeting_on=meeting)
    return redirect(f"/dash-assessments/{chosen}?done=referred")


@router.get("/marac")
def marac_list(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The MARAC chair's list: upcoming cases and suggested referrals."""
    listing = reads.marac_list(session, actor=user.actor)
    return render(request, "dash/marac.html", user=user, listing=listing,
                  marac_reasons=MARAC_REASONS,
                  next_conference=conference_reads.next_marac(session, actor=user.actor))

