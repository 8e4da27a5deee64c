"""API shapes for alerts and their explanations."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from safetyhub.risk.models import AlertState

MAX_DISMISS_REASON = 2_000

DismissReason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_DISMISS_REASON)
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AlertActionCreate(_Request):
    """Link an alert to the case or the referral that acts on it (exactly one of the two)."""

    case_id: uuid.UUID | None = None
    referral_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> AlertActionCreate:
        if (self.case_id is None) == (self.referral_id is None):
            raise ValueError("Give either case_id or referral_id.")
        return self


class AlertDismiss(_Request):
    """Dismissing needs a reason (kept with the alert, never in the audit log)."""

    reason: DismissReason


class AlertSnooze(_Request):
    """Hide an open alert until a date (it returns sooner if its level rises)."""

    until: date


class ReasonRead(BaseModel):
    """One rule that fired: which, over which window, with which counts."""

    rule: str
    text: str
    window_days: int
    window_start: datetime
    window_end: datetime
    counts: dict[str, int | float]


class ContributingRecordRead(BaseModel):
    """A contributing record the reader may see (others appear only in `hidden`)."""

    record_type: str
    record_id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    when: datetime
    category: str | None = None
    name: str | None = None


class HiddenRecordsRead(BaseModel):
    """Rule 4: contributing records the reader may not see, as counts only."""

    incidents: int
    person_records: int
    agencies: int


class ExplanationRead(BaseModel):
    """Why: the rules, and the records behind them as far as the reader may see them."""

    reasons: list[ReasonRead]
    records: list[ContributingRecordRead]
    hidden: HiddenRecordsRead


class RouteRead(BaseModel):
    """An agency the alert is routed to, and why."""

    organisation_id: uuid.UUID
    organisation_name: str
    reason: str


class StateChangeRead(BaseModel):
    """One step of the alert's history."""

    at: datetime
    action: str
    from_state: str | None
    to_state: str
    actor_label: str
    reason: str | None
    snoozed_until: date | None
    case_id: uuid.UUID | None
    referral_id: uuid.UUID | None


class AlertRead(BaseModel):
    """An alert as the routed agency sees it (the subject named only if a record is visible)."""

    id: uuid.UUID
    indicator: str
    indicator_name: str
    level: str
    score: float
    state: AlertState
    subject_kind: str
    subject_label: str | None
    person_record_id: uuid.UUID | None
    place_id: uuid.UUID | None
    routes: list[RouteRead]
    created_at: datetime
    evidence_updated_at: datetime
    snoozed_until: date | None
    snoozed: bool
    actioned_case_id: uuid.UUID | None
    actioned_referral_id: uuid.UUID | None
    dismissed_reason: str | None


class AlertDetail(AlertRead):
    """An alert with its explanation and history."""

    explanation: ExplanationRead
    history: list[StateChangeRead]
    may_work: bool


class AlertPage(BaseModel):
    """One page of visible alerts; `total` counts only alerts routed to the reader's agency."""

    items: list[AlertRead]
    total: int
    page: int
    page_size: int


class IndicatorResultRead(BaseModel):
    """An indicator firing now for a person or place (the explain panel)."""

    indicator: str
    indicator_name: str
    level: str
    score: float
    explanation: ExplanationRead
    alert_id: uuid.UUID | None
