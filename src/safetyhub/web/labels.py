"""Display labels for the partnership's coded values, translatable."""

from __future__ import annotations

from safetyhub.web.i18n import N_, gettext

LABELS: dict[str, str] = {
    # Purposes
    "safeguarding": N_("Safeguarding"),
    "asb_case_management": N_("ASB case management"),
    "crime_prevention": N_("Crime prevention"),
    "statutory_review": N_("Statutory review"),
    # Roles
    "practitioner": N_("Practitioner"),
    "supervisor": N_("Supervisor"),
    "analyst": N_("Analyst"),
    "admin": N_("Administrator"),
    "partnership_office": N_("Partnership office"),
    # Sensitivity
    "standard": N_("Standard"),
    "sensitive": N_("Sensitive"),
    "special_category": N_("Special category"),
    # Data categories
    "person_identifiers": N_("Person identifiers"),
    "incidents": N_("Incidents"),
    "case_notes": N_("Case notes"),
    "referrals": N_("Referrals"),
    # Incident categories
    "asb_personal": N_("ASB – personal"),
    "asb_nuisance": N_("ASB – nuisance"),
    "asb_environmental": N_("ASB – environmental"),
    "bicycle_theft": N_("Bicycle theft"),
    "burglary": N_("Burglary"),
    "criminal_damage_arson": N_("Criminal damage and arson"),
    "drugs": N_("Drugs"),
    "other_theft": N_("Other theft"),
    "possession_of_weapons": N_("Possession of weapons"),
    "public_order": N_("Public order"),
    "robbery": N_("Robbery"),
    "shoplifting": N_("Shoplifting"),
    "theft_from_the_person": N_("Theft from the person"),
    "vehicle_crime": N_("Vehicle crime"),
    "violence_and_sexual_offences": N_("Violence and sexual offences"),
    "other_crime": N_("Other crime"),
    "domestic_abuse": N_("Domestic abuse"),
    "mental_health_crisis": N_("Mental-health crisis"),
    "exploitation_concern": N_("Exploitation concern"),
    "welfare_concern": N_("Welfare concern"),
    "hate_incident": N_("Hate incident"),
    "missing_episode": N_("Missing episode"),
    # Party roles
    "victim": N_("Victim"),
    "subject": N_("Subject"),
    "witness": N_("Witness"),
    "complainant": N_("Complainant"),
    # Case kinds, risk, status
    "asb": N_("Anti-social behaviour"),
    "vulnerability": N_("Vulnerability"),
    "exploitation": N_("Exploitation"),
    "place_problem": N_("Place problem"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "done": N_("Done"),
    # Referral and agreement states
    "sent": N_("Sent"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "completed": N_("Completed"),
    "draft": N_("Draft"),
    "active": N_("Active"),
    "revoked": N_("Revoked"),
    # Organisation kinds
    "police": N_("Police"),
    "council": N_("Council"),
    "health": N_("Health"),
    "housing": N_("Housing"),
    "fire": N_("Fire and rescue"),
    "probation": N_("Probation"),
    "victim_support": N_("Victim support"),
    "voluntary": N_("Voluntary sector"),
}


def label(value: str | None) -> str:
    """The translated display label of a coded value (the value itself if unknown)."""
    if value is None:
        return ""
    text = LABELS.get(str(value))
    return gettext(text) if text else str(value).replace("_", " ")
