"""What each agency records: category mixes, who is involved, when, where, and the narrative."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

from safetyhub.incidents.models import IncidentCategory as C
from safetyhub.incidents.models import PartyRole as R
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.synthetic.people import HEALTH_KEYS

ASB = frozenset({C.asb_personal.value, C.asb_nuisance.value, C.asb_environmental.value})

# Police: police.uk Surrey street-level counts, Jan-Apr 2024 (ASB split personal/nuisance/
# environmental about 25/60/15), plus concerns that never reach police.uk.
POLICE_MIX: dict[str, float] = {
    C.violence_and_sexual_offences: 9519, C.asb_personal: 1077, C.asb_nuisance: 2584,
    C.asb_environmental: 646, C.public_order: 2434, C.shoplifting: 2362,
    C.criminal_damage_arson: 2129, C.other_theft: 2084, C.vehicle_crime: 1896,
    C.burglary: 1487, C.drugs: 698, C.other_crime: 642, C.possession_of_weapons: 244,
    C.bicycle_theft: 166, C.robbery: 163, C.theft_from_the_person: 156,
    C.domestic_abuse: 2600, C.mental_health_crisis: 1300, C.missing_episode: 700,
    C.welfare_concern: 1300, C.hate_incident: 350, C.exploitation_concern: 300,
}
# Agency key (councils and housing associations by their kind) -> category mix.
AGENCY_MIX: dict[str, dict[str, float]] = {
    "police": POLICE_MIX,
    "council": {C.asb_nuisance: 50, C.asb_personal: 20, C.asb_environmental: 25,
                C.hate_incident: 3, C.welfare_concern: 2},
    "housing": {C.asb_nuisance: 45, C.asb_personal: 20, C.asb_environmental: 10,
                C.welfare_concern: 12, C.domestic_abuse: 8, C.exploitation_concern: 5},
    "sabp": {C.mental_health_crisis: 75, C.welfare_concern: 20, C.domestic_abuse: 5},
    "royal_surrey": {C.violence_and_sexual_offences: 35, C.domestic_abuse: 25,
                     C.welfare_concern: 30, C.mental_health_crisis: 10},
    "frimley": {C.violence_and_sexual_offences: 35, C.domestic_abuse: 25,
                C.welfare_concern: 30, C.mental_health_crisis: 10},
    "secamb": {C.mental_health_crisis: 50, C.welfare_concern: 40,
               C.violence_and_sexual_offences: 10},
    "scc_children": {C.missing_episode: 35, C.exploitation_concern: 25, C.welfare_concern: 30,
                     C.domestic_abuse: 10},
    "scc_adults": {C.welfare_concern: 65, C.exploitation_concern: 20,
                   C.mental_health_crisis: 15},
    "fire": {C.criminal_damage_arson: 50, C.welfare_concern: 35, C.asb_environmental: 15},
    "probation": {C.welfare_concern: 50, C.exploitation_concern: 15, C.domestic_abuse: 35},
    "victim_support": {C.violence_and_sexual_offences: 35, C.hate_incident: 20,
                       C.burglary: 20, C.domestic_abuse: 25},
    "da_outreach": {C.domestic_abuse: 100},
    "youth": {C.exploitation_concern: 40, C.missing_episode: 30, C.welfare_concern: 30},
    "recovery": {C.welfare_concern: 70, C.exploitation_concern: 30},
}
# Share of the county's background incidents recorded by each agency (councils and housing
# associations share theirs by district).
AGENCY_SHARE: dict[str, float] = {
    "police": 60, "council": 14, "housing": 6, "sabp": 3, "royal_surrey": 1.3, "frimley": 1.2,
    "secamb": 1.5, "scc_children": 3, "scc_adults": 3, "fire": 2, "probation": 1.5,
    "victim_support": 1.5, "da_outreach": 1.5, "youth": 1, "recovery": 0.5,
}
# Who is involved: (role, probability) per category; the first role drawn is the "main" party.
PARTIES: dict[str, tuple[tuple[str, float], ...]] = {
    C.violence_and_sexual_offences: ((R.victim, 1.0), (R.subject, 0.6), (R.witness, 0.2)),
    C.robbery: ((R.victim, 1.0), (R.subject, 0.3)),
    C.theft_from_the_person: ((R.victim, 1.0),),
    C.burglary: ((R.victim, 1.0), (R.subject, 0.1)),
    C.vehicle_crime: ((R.victim, 0.9),),
    C.bicycle_theft: ((R.victim, 0.9),),
    C.other_theft: ((R.victim, 0.8), (R.subject, 0.15)),
    C.shoplifting: ((R.subject, 0.5),),
    C.criminal_damage_arson: ((R.victim, 0.7), (R.subject, 0.3)),
    C.public_order: ((R.victim, 0.5), (R.subject, 0.6), (R.witness, 0.2)),
    C.drugs: ((R.subject, 1.0),),
    C.possession_of_weapons: ((R.subject, 1.0),),
    C.other_crime: ((R.victim, 0.5), (R.subject, 0.5)),
    C.asb_personal: ((R.complainant, 0.8), (R.subject, 0.4)),
    C.asb_nuisance: ((R.complainant, 0.7), (R.subject, 0.35)),
    C.asb_environmental: ((R.complainant, 0.6), (R.subject, 0.15)),
    C.domestic_abuse: ((R.victim, 1.0), (R.subject, 0.85)),
    C.mental_health_crisis: ((R.subject, 1.0),),
    C.missing_episode: ((R.subject, 1.0),),
    C.welfare_concern: ((R.subject, 1.0),),
    C.hate_incident: ((R.victim, 1.0), (R.subject, 0.3)),
    C.exploitation_concern: ((R.subject, 1.0),),
}
# Probability the incident happens at the main party's home rather than in a public place.
AT_HOME: dict[str, float] = {
    C.burglary: 1.0, C.domestic_abuse: 0.95, C.welfare_concern: 0.85,
    C.mental_health_crisis: 0.6, C.missing_episode: 0.9, C.asb_personal: 0.5,
    C.asb_nuisance: 0.45, C.criminal_damage_arson: 0.5, C.vehicle_crime: 0.5,
    C.exploitation_concern: 0.5, C.hate_incident: 0.3, C.violence_and_sexual_offences: 0.35,
}
# Hours weights: evenings for ASB and disorder, daytime for shops and welfare visits.
_EVENING = (2, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 4, 4, 4, 5, 6, 7, 8, 9, 9, 8, 6, 4)
_DAYTIME = (1, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 9, 9, 8, 7, 5, 4, 3, 2, 2, 1, 1)
_DAYTIME_CATEGORIES = frozenset({C.shoplifting, C.welfare_concern, C.other_theft,
                                 C.asb_environmental, C.exploitation_concern})
_HOURS = tuple(range(24))
_EVENING_CUMULATIVE = tuple(itertools.accumulate(_EVENING))
_DAYTIME_CUMULATIVE = tuple(itertools.accumulate(_DAYTIME))

NARRATIVES: dict[str, tuple[str, ...]] = {
    C.asb_personal: (
        "Complainant reports being targeted by a neighbour near {place}: shouting, threats "
        "and banging on the door.",
        "Ongoing harassment reported at {place}; the complainant says they feel unsafe at home.",
        "Verbal abuse and intimidation towards the complainant by a group near {place}.",
    ),
    C.asb_nuisance: (
        "Group of youths gathering at {place}, shouting, playing loud music and throwing items.",
        "Noise nuisance reported from {place} late into the night.",
        "Report of people drinking and being rowdy at {place}; residents disturbed.",
        "Off-road motorbikes ridden dangerously around {place}.",
    ),
    C.asb_environmental: (
        "Fly-tipping reported at {place}: mattresses and bags of household waste.",
        "Graffiti sprayed on walls at {place}.",
        "Abandoned car and litter reported at {place}.",
    ),
    C.domestic_abuse: (
        "Domestic incident at {place}. Victim reports {behaviour}. DASH risk checklist "
        "completed: {ticks} of 24 questions ticked ({level} risk).",
    ),
    C.mental_health_crisis: (
        "Person in mental-health crisis at {place}; expressing thoughts of self-harm. "
        "Assessed and supported; follow-up arranged.",
        "Concern for a person behaving erratically at {place}; known to mental-health services.",
    ),
    C.missing_episode: (
        "Young person reported missing from {place}; returned after {hours} hours. "
        "Return home interview offered.",
        "Missing episode: young person did not return to {place} overnight; found in another "
        "town the next day.",
    ),
    C.welfare_concern: (
        "Welfare check requested at {place}: person not seen for several days.",
        "Concern for an adult at {place} who appears to be self-neglecting; home in poor state.",
        "Welfare visit at {place}: person frightened and asking for help with visitors.",
    ),
    C.exploitation_concern: (
        "Concern that a person at {place} is being exploited by older associates.",
        "Young person seen with unexplained cash and new phones near {place}; possible "
        "criminal exploitation.",
    ),
    C.hate_incident: (
        "Victim subjected to abuse about their ethnicity near {place}.",
        "Hate incident: offensive graffiti and verbal abuse targeting the victim at {place}.",
    ),
    C.drugs: (
        "Stop and search near {place}: suspected cannabis and cash found.",
        "Suspected drug dealing observed at {place}; several short visits by different people.",
    ),
}
CRIME_LABELS: dict[str, str] = {
    C.violence_and_sexual_offences: "Violence or sexual offence", C.robbery: "Robbery",
    C.theft_from_the_person: "Theft from the person", C.burglary: "Burglary",
    C.vehicle_crime: "Vehicle crime", C.bicycle_theft: "Bicycle theft",
    C.other_theft: "Theft", C.shoplifting: "Shoplifting",
    C.criminal_damage_arson: "Criminal damage", C.public_order: "Public order offence",
    C.possession_of_weapons: "Possession of a weapon", C.other_crime: "Crime",
}
_DEFAULT_NARRATIVES = (
    "{crime} reported at {place}.",
    "{crime} at {place}; enquiries ongoing.",
    "Report of {crime_lower} near {place}; no further details at this time.",
)
DA_BEHAVIOURS = ("verbal abuse and threats", "controlling behaviour and checking their phone",
                 "being pushed and their phone smashed", "being grabbed by the throat",
                 "threats to kill and damage to the home", "an assault causing injuries")


def dash_level(ticks: int) -> str:
    """SafeLives DASH risk level: 1-9 standard, 10-13 medium, 14+ high."""
    return "high" if ticks >= 14 else "medium" if ticks >= 10 else "standard"


def incident_sensitivity(org_key: str, category: str) -> str:
    """How sensitive an incident is: health data is special category; some concerns sensitive."""
    if org_key in HEALTH_KEYS or category == C.mental_health_crisis:
        return Sensitivity.special_category.value
    if category in (C.domestic_abuse, C.exploitation_concern, C.missing_episode,
                    C.hate_incident) or org_key in ("da_outreach", "scc_children", "scc_adults"):
        return Sensitivity.sensitive.value
    return Sensitivity.standard.value


def narrative(rng: random.Random, category: str, place: str, *, ticks: int | None = None) -> str:
    """A short narrative in an agency's words."""
    templates = NARRATIVES.get(category, _DEFAULT_NARRATIVES)
    crime = CRIME_LABELS.get(category, category.replace("_", " ").capitalize())
    dash = ticks if ticks is not None else rng.randint(2, 12)
    return rng.choice(templates).format(
        place=place, crime=crime, crime_lower=crime.lower(), hours=rng.randint(3, 30),
        behaviour=rng.choice(DA_BEHAVIOURS), ticks=dash, level=dash_level(dash),
    )


def hour_for(rng: random.Random, category: str) -> int:
    """A likely hour of day for the category."""
    profile = _DAYTIME_CUMULATIVE if category in _DAYTIME_CATEGORIES else _EVENING_CUMULATIVE
    return rng.choices(_HOURS, cum_weights=profile)[0]


def report_delay(rng: random.Random, org_key: str) -> timedelta:
    """How long after the event the agency recorded it: police fast, partners slower."""
    if org_key == "police" or org_key == "secamb":
        return timedelta(minutes=rng.randint(5, 240))
    return timedelta(hours=rng.randint(2, 24 * 6))


def category_table(key: str) -> tuple[list[str], list[float]]:
    """Categories of an AGENCY_MIX entry and their cumulative weights (for fast draws)."""
    mix = AGENCY_MIX[key]
    return [str(c) for c in mix], list(itertools.accumulate(mix.values()))


def mix_key(org_key: str) -> str:
    """The AGENCY_MIX key of an agency."""
    if org_key.startswith("council:"):
        return "council"
    if org_key.startswith("ha_"):
        return "housing"
    return org_key
