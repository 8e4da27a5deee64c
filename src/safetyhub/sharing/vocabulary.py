"""The shared words of the information-sharing agreement: purposes, data categories, sensitivity."""

from __future__ import annotations

from enum import StrEnum


class Purpose(StrEnum):
    """Why a user reads another agency's data; declared per request (X-Purpose) or per session."""

    safeguarding = "safeguarding"
    asb_case_management = "asb_case_management"
    crime_prevention = "crime_prevention"
    statutory_review = "statutory_review"


class DataCategory(StrEnum):
    """What kind of data an agreement covers."""

    person_identifiers = "person_identifiers"
    incidents = "incidents"
    case_notes = "case_notes"
    referrals = "referrals"
    special_category = "special_category"


class Sensitivity(StrEnum):
    """How sensitive a record is; ordered from least to most."""

    standard = "standard"
    sensitive = "sensitive"
    special_category = "special_category"


SENSITIVITY_ORDER: dict[str, int] = {
    Sensitivity.standard: 0,
    Sensitivity.sensitive: 1,
    Sensitivity.special_category: 2,
}

# UK GDPR Art. 9 / DPA 2018 Sch. 1: special category data is shared only for these purposes.
SPECIAL_CATEGORY_PURPOSES: frozenset[str] = frozenset(
    {Purpose.safeguarding, Purpose.statutory_review}
)


class LawfulBasis(StrEnum):
    """The legal gateway an agreement relies on."""

    cda_1998_s115 = "Crime and Disorder Act 1998 s.115"
    cda_1998_s17 = "Crime and Disorder Act 1998 s.17"
    asb_2014_s104 = "Anti-social Behaviour, Crime and Policing Act 2014 s.104"
    children_act_2004_s11 = "Children Act 2004 s.11"
    care_act_2014_s45 = "Care Act 2014 s.45"
    da_act_2021 = "Domestic Abuse Act 2021"
    uk_gdpr_6_1_e = "UK GDPR Art. 6(1)(e) public task"
    consent = "Consent of the data subject"
    other = "Other (see detail)"
