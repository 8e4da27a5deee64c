"""The words of early warning: indicator names, rule explanations, states (translatable)."""

from __future__ import annotations

from typing import Any

from safetyhub.text import N_

INDICATOR_NAMES: dict[str, str] = {
    "repeat_victim": N_("Repeat victim"),
    "repeat_place": N_("Repeat place"),
    "known_to_many": N_("Known to many agencies"),
    "escalation": N_("Escalation"),
    "place_escalation": N_("Escalation at a place"),
    "domestic_abuse_escalation": N_("Domestic abuse escalation"),
    "marac_repeat": N_("MARAC repeat"),
    "exploitation": N_("Exploitation signs"),
    "mental_health": N_("Repeated mental-health crises"),
}

# One sentence per rule; the placeholders are the reason's counts and window.
RULE_TEXTS: dict[str, str] = {
    "repeat_victim": N_(
        "Victim in %(occurrences)s incidents in %(window_days)s days (a repeat victim from "
        "%(threshold)s), reported by %(agencies)s agencies."),
    "repeat_place": N_(
        "%(occurrences)s incidents at this place in %(window_days)s days (a repeat place from "
        "%(threshold)s), reported by %(agencies)s agencies."),
    "known_to_many": N_(
        "Known to %(agencies)s agencies in %(window_days)s days (an alert from %(threshold)s), "
        "with no open case about the person."),
    "escalation_frequency": N_(
        "%(recent)s incidents in the last %(window_days)s days against %(baseline)s in the "
        "%(baseline_days)s days before: rising frequency."),
    "escalation_severity": N_(
        "Incidents in the last %(window_days)s days average severity %(recent_severity)s "
        "against %(baseline_severity)s before: rising severity."),
    "domestic_abuse_escalation": N_(
        "Victim of domestic abuse in %(occurrences)s incidents in %(window_days)s days "
        "(a MARAC referral from %(threshold)s)."),
    "marac_repeat": N_(
        "%(occurrences)s further domestic-abuse incidents since the MARAC referral "
        "%(days_since_referral)s days ago."),
    "exploitation": N_(
        "%(signals)s signs of exploitation at a vulnerable person's home in the last "
        "%(window_days)s days (score %(score)s, an alert from %(threshold)s)."),
    "mental_health": N_(
        "%(occurrences)s mental-health crises in %(window_days)s days (an alert from "
        "%(threshold)s)."),
}

SIGNAL_NAMES: dict[str, str] = {
    "drugs": N_("Drug-related incidents at the address"),
    "visitors": N_("Complaints about visitors"),
    "new_associates": N_("New associates seen at the address"),
    "missing_child": N_("Missing episodes of a child"),
    "exploitation_concern": N_("Exploitation concerns"),
}

STATE_NAMES: dict[str, str] = {
    "new": N_("New"),
    "acknowledged": N_("Acknowledged"),
    "actioned": N_("Actioned"),
    "dismissed": N_("Dismissed"),
}

ROUTE_REASONS: dict[str, str] = {
    "right_care_health": N_("Right Care, Right Person: health partner"),
    "right_care_police": N_("Right Care, Right Person: police (immediate risk or a crime)"),
    "case_lead": N_("Lead agency of an open case"),
    "partnership_hub": N_("Partnership hub"),
    "fallback": N_("Agency holding most of the evidence"),
}

HISTORY_ACTIONS: dict[str, str] = {
    "raised": N_("Raised"),
    "updated": N_("Evidence updated"),
    "acknowledged": N_("Acknowledged"),
    "actioned": N_("Actioned"),
    "dismissed": N_("Dismissed"),
    "snoozed": N_("Snoozed"),
}


def rule_params(reason: dict[str, Any]) -> dict[str, Any]:
    """The placeholders of a reason's sentence: its counts and window."""
    return {**reason.get("counts", {}), "window_days": reason.get("window_days", "")}


def rule_text(reason: dict[str, Any]) -> str:
    """A reason as an English sentence (the API's `text`; pages translate the message id)."""
    template = RULE_TEXTS.get(str(reason.get("rule")), "")
    try:
        return template % rule_params(reason)
    except (KeyError, TypeError, ValueError):
        return str(reason.get("rule"))
