"""The ground truth: which records are one person, and which identities and places meet each
rule. The rules are evaluated from the rows themselves, so truth and data cannot disagree."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from safetyhub.cases.models import CaseStatus
from safetyhub.incidents.models import IncidentCategory as C
from safetyhub.incidents.models import PartyRole as R
from safetyhub.synthetic.incidents import ASB
from safetyhub.synthetic.rows import Rows

# The rule definitions the evaluation uses (written into the ground truth, so a detector can be
# measured against exactly these).
RULES: dict[str, str] = {
    "reference": "Every window ends at 00:00 UTC on reference_date (exclusive).",
    "repeat_victims": "An identity is the victim in >= 2 incidents (repeat) or >= 3 (high) "
                      "with occurred_at in the last 365 days.",
    "escalating_domestic_abuse": "An identity is the victim in >= 3 domestic_abuse incidents "
                                 "with occurred_at in the last 365 days (DASH escalation rule).",
    "known_to_many_agencies": "Records created, or incidents occurring, at >= 3 distinct "
                              "agencies in the last 90 days, and no open case with any of the "
                              "identity's records as a subject.",
    "asb_case_review": "An identity is the complainant in >= 3 ASB complaints reported in the "
                       "last 182 days, each reported within 31 days of the behaviour; "
                       "reports of the same occurrence to several agencies count once.",
    "asb_hotspots": "Planted: public places given concentrated ASB over the last 182 days.",
    "identities": "Person records not listed in true_identities are each their own person.",
}


@dataclass
class Evidence:
    """Per-identity facts gathered in one pass over the rows."""

    victim: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    da_victim: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    recent_agencies: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    complaints: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    complaint_rows: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    with_case: set[str] = field(default_factory=set)


def _start(today: date) -> datetime:
    return datetime.combine(today, time(0, 0), tzinfo=UTC)


def gather(rows: Iterable[Rows], *, person_of: dict[uuid.UUID, str],
           occurrences: dict[uuid.UUID, str], today: date) -> Evidence:
    """One pass over rows (the fixed part, or every batch too) collecting rule evidence.

    Records missing from `person_of` are each their own identity (keyed by record id).
    """
    end = _start(today)
    year, quarter, half = (end - timedelta(days=365), end - timedelta(days=90),
                           end - timedelta(days=182))
    evidence = Evidence()
    for part in rows:
        incidents = {i.id: i for i in part.incidents}
        for record in part.person_records:
            if quarter <= record.created_at < end:
                who = person_of.get(record.id, str(record.id))
                evidence.recent_agencies[who].add(record.organisation_id)
        for party in part.incident_parties:
            incident = incidents.get(party.incident_id)
            if incident is None:
                continue
            who = person_of.get(party.person_record_id, str(party.person_record_id))
            if quarter <= incident.occurred_at < end:
                evidence.recent_agencies[who].add(incident.organisation_id)
            if party.role == R.victim and year <= incident.occurred_at < end:
                evidence.victim[who].add(incident.id)
                if incident.category == C.domestic_abuse:
                    evidence.da_victim[who].add(incident.id)
            if (party.role == R.complainant and incident.category in ASB
                    and half <= incident.reported_at < end
                    and incident.reported_at - incident.occurred_at <= timedelta(days=31)):
                evidence.complaints[who].add(occurrences.get(incident.id, str(incident.id)))
                evidence.complaint_rows[who].add(incident.id)
        open_cases = {c.id for c in part.cases if c.status == CaseStatus.open}
        for subject in part.case_subjects:
            if subject.case_id in open_cases:
                evidence.with_case.add(
                    person_of.get(subject.person_record_id, str(subject.person_record_id)))
    return evidence


def evaluate(evidence: Evidence) -> dict[str, dict[str, Any]]:
    """Which identities meet each rule (identity key -> details)."""
    repeat = {who: {"incident_ids": sorted(map(str, ids)),
                    "level": "high" if len(ids) >= 3 else "repeat"}
              for who, ids in evidence.victim.items() if len(ids) >= 2}
    escalating = {who: {"incident_ids": sorted(map(str, ids))}
                  for who, ids in evidence.da_victim.items() if len(ids) >= 3}
    known = {who: {"organisation_ids": sorted(map(str, orgs))}
             for who, orgs in evidence.recent_agencies.items()
             if len(orgs) >= 3 and who not in evidence.with_case}
    known_with_case = {who: {"organisation_ids": sorted(map(str, orgs))}
                       for who, orgs in evidence.recent_agencies.items()
                       if len(orgs) >= 3 and who in evidence.with_case}
    review = {who: {"qualifying_occurrences": len(occ),
                    "incident_ids": sorted(map(str, evidence.complaint_rows[who]))}
              for who, occ in evidence.complaints.items() if len(occ) >= 3}
    return {"repeat_victims": repeat, "escalating_domestic_abuse": escalating,
            "known_to_many_agencies": known, "known_to_many_with_shared_case": known_with_case,
            "asb_case_review": review}
