"""The home page's content: the signed-in user's own work, gathered from each domain's service."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.cases.service import my_actions_due, my_open_cases
from safetyhub.incidents.service import recent_incidents_of_my_agency
from safetyhub.referrals.service import referrals_waiting_for_my_agency
from safetyhub.risk.reads import alerts_for_my_agency
from safetyhub.risk.texts import INDICATOR_NAMES

HOME_LIMIT = 10


def my_work(session: Session, actor: Actor) -> dict[str, Any]:
    """Open cases, actions due, referrals waiting, alerts and recent incidents of the agency."""
    return {
        "alerts": alerts_for_my_agency(session, actor=actor, limit=HOME_LIMIT),
        "indicator_names": INDICATOR_NAMES,
        "cases": my_open_cases(session, actor=actor, limit=HOME_LIMIT),
        "actions": my_actions_due(session, actor=actor, limit=HOME_LIMIT),
        "referrals": referrals_waiting_for_my_agency(session, actor=actor, limit=HOME_LIMIT),
        "incidents": [
            view.incident
            for view in recent_incidents_of_my_agency(session, actor=actor, limit=HOME_LIMIT)
        ],
    }
