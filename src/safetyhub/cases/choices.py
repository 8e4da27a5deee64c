"""The choices the case forms offer, as (value, label message id, hint message id) for radios."""

from __future__ import annotations

from safetyhub.cases.models import CaseKind, CaseStatus, RiskLevel
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.text import N_
from safetyhub.web.labels import LABELS

Choice = tuple[str, str, str | None]

KIND_HINTS: dict[str, str] = {
    CaseKind.asb: N_(
        "Behaviour that causes harassment, alarm or distress to people or a community"
    ),
    CaseKind.vulnerability: N_("A person at risk of harm who needs support from several agencies"),
    CaseKind.exploitation: N_("Criminal or sexual exploitation, county lines or cuckooing"),
    CaseKind.domestic_abuse: N_("Abuse by a partner, former partner or family member"),
    CaseKind.place_problem: N_("A location that keeps generating incidents"),
}

# SafeLives' risk definitions, as MARAC partners use them.
RISK_HINTS: dict[str, str] = {
    RiskLevel.standard: N_("Current evidence does not indicate a likelihood of serious harm"),
    RiskLevel.medium: N_("There are identifiable indicators of risk of serious harm"),
    RiskLevel.high: N_("There are indicators that serious harm could happen at any time"),
}

SENSITIVITY_HINTS: dict[str, str] = {
    Sensitivity.standard: N_("Partners covered by a sharing agreement may read it"),
    Sensitivity.sensitive: N_("Only roles cleared for sensitive information may read it"),
    Sensitivity.special_category: N_(
        "Health, sexual life, ethnicity and similar: only partners whose agreement names "
        "special category data may read it"
    ),
}

KIND_CHOICES: list[Choice] = [(k.value, LABELS[k.value], KIND_HINTS[k]) for k in CaseKind]
RISK_CHOICES: list[Choice] = [(r.value, LABELS[r.value], RISK_HINTS[r]) for r in RiskLevel]
SENSITIVITY_CHOICES: list[Choice] = [
    (s.value, LABELS[s.value], SENSITIVITY_HINTS[s]) for s in Sensitivity
]
STATUS_CHOICES: list[str] = [s.value for s in CaseStatus]
