"""Helpers for case and referral tests: a small partnership and audit-log readers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.cases.models import Case, CaseAction, CaseMember, CaseNote, CaseSubject
from safetyhub.organisations.models import Organisation, OrganisationKind
from safetyhub.sharing.vocabulary import Purpose
from tests.factories import headers_for, make_org, make_user


@dataclass
class Partnership:
    """Three agencies and a practitioner (plus a police analyst) in each."""

    police: Organisation
    council: Organisation
    housing: Organisation
    police_user: User
    police_analyst: User
    council_user: User
    housing_user: User


def make_partnership(session: Session) -> Partnership:
    """Surrey Police, Guildford Borough Council and Elm Housing, with their users."""
    police = make_org(session, "Surrey Police", OrganisationKind.police)
    council = make_org(session, "Guildford Borough Council", OrganisationKind.council)
    housing = make_org(session, "Elm Housing Association", OrganisationKind.housing)
    return Partnership(
        police=police, council=council, housing=housing,
        police_user=make_user(session, police),
        police_analyst=make_user(session, police, Role.analyst),
        council_user=make_user(session, council),
        housing_user=make_user(session, housing),
    )


def auth(session: Session, user: User, purpose: Purpose | None = None) -> dict[str, str]:
    """Headers for `user`, declaring `purpose` if given."""
    return headers_for(session, user, purpose)


def audit_events(session: Session, action: str | None = None) -> list[AuditEvent]:
    """Audit events written so far in this test, oldest first."""
    statement = select(AuditEvent).order_by(AuditEvent.seq)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    return list(session.scalars(statement.execution_options(populate_existing=True)))


def summary(event: AuditEvent) -> dict[str, Any]:
    """An event's before/after summary."""
    result: dict[str, Any] = json.loads(event.summary)
    return result


def case_table_counts(session: Session) -> tuple[int, ...]:
    """Rows in every case table plus the audit log, to show a refused request wrote nothing."""
    return tuple(
        int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (Case, CaseMember, CaseSubject, CaseAction, CaseNote, AuditEvent)
    )
