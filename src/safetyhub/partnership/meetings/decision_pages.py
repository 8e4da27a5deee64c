"""The decision page: a decision with as many actions and commitments as the API takes.

Rows are added without script ("Add another action" posts the form back with one more row);
a blank row is left out, a half-filled one says what to fix, and nothing is written until
every row is right.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safetyhub.auth.dependencies import DbSession
from safetyhub.auth.models import User
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.commitments.models import Priority
from safetyhub.partnership.meetings import reads, service
from safetyhub.partnership.meetings.schemas import (
    MAX_ACTION,
    MAX_DECISION,
    ActionCreate,
    DecisionCommitment,
)
from safetyhub.sharing import policy
from safetyhub.text import N_
from safetyhub.web.forms import (
    DateQuestion,
    FormErrors,
    parse_uuid,
    read_date,
    read_text,
    required_uuid,
)
from safetyhub.web.rendering import redirect, render, translate
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

BASE = "/partnership/meetings"
MAX_ROWS = 20
NOT_THEIR_USER = N_("Select someone who works for the organisation chosen")
ACTION_PARTS = ("text", "owner", "person", "due-day", "due-month", "due-year")
COMMITMENT_PARTS = ("organisation", "priority", "text", "person", "due-day", "due-month",
                    "due-year")


async def _posted(request: Request) -> FormData:
    return await request.form()


Posted = Annotated[FormData, Depends(_posted)]


@dataclass(frozen=True)
class Choices:
    """What the rows' selects offer: organisations, people (with their organisation), priorities."""

    organisations: list[tuple[str, str]]
    people: list[tuple[str, str]]
    person_organisation: dict[str, str]
    priorities: list[tuple[str, str]]


def _choices(session: Session, user: PageUser) -> Choices:
    organisations = {str(org_id): name for org_id, name in session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name))}
    rows = session.execute(select(User.id, User.full_name, User.organisation_id)
                           .where(User.active.is_(True)).order_by(User.full_name)).all()
    priorities = session.scalars(policy.visible_priorities(user.actor).order_by(
        Priority.position, Priority.name)).all()
    return Choices(
        organisations=list(organisations.items()),
        people=[(str(uid), f"{name} ({organisations.get(str(org), '')})")
                for uid, name, org in rows],
        person_organisation={str(uid): str(org) for uid, _, org in rows},
        priorities=[(str(p.id), p.name) for p in priorities],
    )


def _value(posted: FormData, name: str) -> str:
    value = posted.get(name)
    return value[:MAX_DECISION * 2] if isinstance(value, str) else ""


def _count(posted: FormData, name: str, add: str) -> int:
    text = _value(posted, name)
    count = int(text) if text.isdigit() else 1
    return max(1, min(MAX_ROWS, count + (1 if _value(posted, "add") == add else 0)))


def _person(prefix: str, owner: uuid.UUID | None, values: dict[str, str], choices: Choices,
            errors: FormErrors) -> uuid.UUID | None:
    person = values[f"{prefix}-person"]
    if not person:
        return None
    if owner is not None and choices.person_organisation.get(person) != str(owner):
        errors.add(f"{prefix}-person", NOT_THEIR_USER)
    return parse_uuid(person)


def _organisation(prefix: str, name: str, values: dict[str, str], choices: Choices,
                  errors: FormErrors, missing: str) -> uuid.UUID | None:
    chosen = values[f"{prefix}-{name}"]
    if chosen not in dict(choices.organisations):
        errors.add(f"{prefix}-{name}", missing)
        return None
    return parse_uuid(chosen)


def _read_action(prefix: str, values: dict[str, str], choices: Choices, errors: FormErrors
                 ) -> ActionCreate | None:
    text = read_text(f"{prefix}-text", values[f"{prefix}-text"], errors, max_length=MAX_ACTION,
                     missing=N_("Enter what is to be done"))
    owner = _organisation(prefix, "owner", values, choices, errors,
                          N_("Select the organisation that owns the action"))
    person = _person(prefix, owner, values, choices, errors)
    due_on = read_date(f"{prefix}-due", values[f"{prefix}-due-day"],
                       values[f"{prefix}-due-month"], values[f"{prefix}-due-year"], errors,
                       DateQuestion(missing=N_("Enter the date the action is due")))
    if text is None or owner is None or due_on is None or f"{prefix}-person" in errors:
        return None
    return ActionCreate(text=text, owner_organisation_id=owner, owner_user_id=person,
                        due_on=due_on)


def _read_commitment(prefix: str, values: dict[str, str], choices: Choices, errors: FormErrors
                     ) -> DecisionCommitment | None:
    organisation = _organisation(prefix, "organisation", values, choices, errors,
                                 N_("Select the organisation making the commitment"))
    priority = values[f"{prefix}-priority"]
    if priority not in dict(choices.priorities):
        errors.add(f"{prefix}-priority", N_("Select the priority"))
    text = read_text(f"{prefix}-text", values[f"{prefix}-text"], errors,
                     max_length=MAX_ACTION, missing=N_("Enter the commitment"))
    person = _person(prefix, organisation, values, choices, errors)
    due_on = read_date(f"{prefix}-due", values[f"{prefix}-due-day"],
                       values[f"{prefix}-due-month"], values[f"{prefix}-due-year"], errors,
                       DateQuestion(missing=N_("Enter the date the commitment is due")))
    priority_id = parse_uuid(priority)
    if (organisation is None or priority_id is None or text is None or due_on is None
            or f"{prefix}-person" in errors or f"{prefix}-priority" in errors):
        return None
    return DecisionCommitment(organisation_id=organisation, priority_id=priority_id, text=text,
                              owner_user_id=person, due_on=due_on)


def _rows(posted: FormData, kind: str, count: int, parts: tuple[str, ...]
          ) -> list[tuple[str, dict[str, str]]]:
    rows = []
    for number in range(1, count + 1):
        prefix = f"{kind}-{number}"
        rows.append((prefix, {f"{prefix}-{part}": _value(posted, f"{prefix}-{part}").strip()
                              for part in parts}))
    return rows


def _page(request: Request, session: Session, user: PageUser, meeting_id: uuid.UUID, *,
          form: dict[str, str], actions: int, commitments: int, errors: FormErrors,
          status_code: int = 200) -> Response:
    meeting = reads.get_meeting(session, actor=user.actor, meeting_id=meeting_id)
    choices = _choices(session, user)
    return render(request, "partnership/meetings/decision.html", status_code=status_code,
                  user=user, meeting=meeting, form=form, errors=errors,
                  action_rows=[f"action-{n}" for n in range(1, actions + 1)],
                  commitment_rows=[f"commitment-{n}" for n in range(1, commitments + 1)],
                  organisations=choices.organisations, people=choices.people,
                  priorities=[(value, translate(request, name))
                              for value, name in choices.priorities], max_rows=MAX_ROWS)


@router.get(BASE + "/{meeting_id}/decisions/new")
def new_decision(request: Request, session: DbSession, user: SignedInUser, meeting_id: str
                 ) -> Response:
    """The form to record a decision with its actions and commitments (the office)."""
    mid = service.meeting_for_change(session, user.actor, required_uuid(meeting_id, "meeting")).id
    return _page(request, session, user, mid, form={}, actions=1, commitments=1,
                 errors=FormErrors())


@router.post(BASE + "/{meeting_id}/decisions")
def record_decision(request: Request, session: DbSession, user: SignedInUser, meeting_id: str,
                    posted: Posted) -> Response:
    """Record the decision with every filled-in action and commitment, or say what to fix."""
    check_csrf(user.csrf_token, _value(posted, "csrf_token"))
    mid = service.meeting_for_change(session, user.actor, required_uuid(meeting_id, "meeting")).id
    action_count = _count(posted, "actions", "action")
    commitment_count = _count(posted, "commitments", "commitment")
    action_rows = _rows(posted, "action", action_count, ACTION_PARTS)
    commitment_rows = _rows(posted, "commitment", commitment_count, COMMITMENT_PARTS)
    form: dict[str, Any] = {"decision": _value(posted, "decision")}
    for _, values in action_rows + commitment_rows:
        form.update(values)
    if _value(posted, "add") in ("action", "commitment"):
        return _page(request, session, user, mid, form=form, actions=action_count,
                     commitments=commitment_count, errors=FormErrors())
    errors = FormErrors()
    text = read_text("decision", form["decision"], errors, max_length=MAX_DECISION,
                     missing=N_("Enter the decision"))
    choices = _choices(session, user)
    actions = [_read_action(prefix, values, choices, errors)
               for prefix, values in action_rows if any(values.values())]
    made = [_read_commitment(prefix, values, choices, errors)
            for prefix, values in commitment_rows if any(values.values())]
    if errors or text is None:
        return _page(request, session, user, mid, form=form, actions=action_count,
                     commitments=commitment_count, errors=errors, status_code=422)
    service.record_decision(
        session, actor=user.actor, meeting_id=mid, text=text,
        actions=[a for a in actions if a is not None],
        commitments_made=[c for c in made if c is not None],
    )
    return redirect(f"{BASE}/{mid}?done=decision")
