"""Planted patterns about people: multi-agency identities, repeat victims, escalating domestic
abuse, and people known to many agencies at once."""

from __future__ import annotations

from datetime import timedelta

from safetyhub.incidents.models import IncidentCategory as C
from safetyhub.incidents.models import PartyRole as R
from safetyhub.synthetic.directory import council_key
from safetyhub.synthetic.incidents import (
    AGENCY_MIX,
    AT_HOME,
    DA_BEHAVIOURS,
    PARTIES,
    dash_level,
    mix_key,
)
from safetyhub.synthetic.people import TruePerson
from safetyhub.synthetic.planted import Planted, acute_for, spaced
from safetyhub.synthetic.rows import IncidentRow, PersonRecordRow
from safetyhub.synthetic.world import World

# Which agencies tend to know the same person, by the kind of life they lead.
PROFILES: dict[str, tuple[tuple[str, ...], tuple[int, int]]] = {
    "asb_household": (("police", "council", "housing", "fire", "victim_support"), (18, 75)),
    "mental_health": (("police", "sabp", "scc_adults", "acute", "secamb"), (18, 70)),
    "young_person": (("police", "scc_children", "youth", "council", "sabp"), (12, 17)),
    "offender": (("police", "probation", "housing", "recovery", "council"), (18, 55)),
    "victim": (("police", "victim_support", "council", "acute", "housing"), (18, 85)),
    "older_adult": (("scc_adults", "fire", "acute", "council", "housing", "secamb"), (65, 95)),
}


def resolve(agency: str, district: str, world: World) -> str:
    """A profile's generic agency ('council', 'housing', 'acute') as the one serving `district`."""
    if agency == "council":
        return council_key(district)
    if agency == "housing":
        return world.directory.housing_for(district)
    if agency == "acute":
        return acute_for(district)
    return agency


def _touch_category(world: World, org_key: str, avoid: set[str]) -> str:
    mix = {c: w for c, w in AGENCY_MIX[mix_key(org_key)].items() if c not in avoid}
    return world.ctx.rng.choices(list(mix), list(mix.values()))[0]


def _touch(world: World, person: TruePerson, org_key: str, days: float,
           roles_used: dict[str, int]) -> PersonRecordRow:
    """One agency's contact with the person: a record and usually an incident about them."""
    rng = world.ctx.rng
    category = _touch_category(world, org_key, {C.domestic_abuse.value})
    when = world.at(days, category)
    record = world.record_at(person, org_key, when)
    if rng.random() < 0.8:
        role = PARTIES[category][0][0]
        # Plain multi-agency people stay below every alert threshold: one victimisation and
        # at most two complaints, ever.
        if (role == R.victim and roles_used.get(R.victim, 0) >= 1) or (
            role == R.complainant and roles_used.get(R.complainant, 0) >= 2
        ):
            role = R.witness
        roles_used[role] = roles_used.get(role, 0) + 1
        at_home = rng.random() < AT_HOME.get(category, 0.2)
        place = person.home if at_home else world.gazetteer.public_place(rng, person.home.district)
        world.incident(org_key, category, when, place=place, parties=[(record, role)])
    return record


def plant_multi_agency(world: World, planted: Planted, count: int) -> None:
    """People known to 2-5 agencies, each contact at least 60 days apart (no alert fires)."""
    rng = world.ctx.rng
    for _ in range(count):
        profile = rng.choice(list(PROFILES))
        agencies, age = PROFILES[profile]
        n = rng.choices((2, 3, 4, 5), (40, 30, 20, 10))[0]
        person = world.person(age=age)
        chosen = [resolve(a, person.home.district or "Guildford", world)
                  for a in rng.sample(agencies, min(n, len(agencies)))]
        roles_used: dict[str, int] = {}
        for org_key, days in zip(chosen, spaced(rng, len(chosen), 5, 725, 60), strict=True):
            _touch(world, person, org_key, days, roles_used)
        if rng.random() < 0.05:
            # The same agency opened a second record of the person: a duplicate to link.
            world.record(person, chosen[0], person.records[0].created_at + timedelta(days=30))
        planted.multi_agency.append(person)


_VICTIM_CATEGORIES: dict[str, tuple[str, ...]] = {
    "police": (C.violence_and_sexual_offences, C.robbery, C.theft_from_the_person, C.burglary,
               C.hate_incident, C.criminal_damage_arson),
    "victim_support": (C.violence_and_sexual_offences, C.burglary, C.hate_incident),
    "council": (C.hate_incident,),
    "acute": (C.violence_and_sexual_offences,),
}


def plant_repeat_victims(world: World, planted: Planted, count: int, near_misses: int) -> None:
    """Victims of 2-4 incidents in the last 12 months across agencies; and near misses."""
    rng = world.ctx.rng
    for i in range(count + near_misses):
        near = i >= count
        person = world.person(age=(18, 85))
        district = person.home.district or "Guildford"
        n = 2 if near else rng.choices((2, 3, 4), (50, 35, 15))[0]
        days = spaced(rng, n, 15, 330, 50)
        if near:
            days[0] = rng.uniform(400, 640)  # the first victimisation is over a year old
        for j, day in enumerate(days):
            agency = "police" if j == 0 else rng.choice(
                ("police", "police", "victim_support", "council", "acute"))
            category = rng.choice(_VICTIM_CATEGORIES[agency])
            org_key = resolve(agency, district, world)
            when = world.at(day, category)
            record = world.record_at(person, org_key, when)
            at_home = rng.random() < AT_HOME.get(category, 0.3)
            place = person.home if at_home else world.gazetteer.public_place(rng, district)
            world.incident(org_key, category, when, place=place, parties=[(record, R.victim)])
        (planted.repeat_near_misses if near else planted.repeat_victims).append(person)


def _da_text(org_key: str, ticks: int, behaviour: str) -> str:
    level = dash_level(ticks)
    if org_key == "da_outreach":
        return (f"IDVA contact: victim discloses {behaviour}. DASH risk checklist: {ticks} of "
                f"24 questions ticked ({level} risk). Safety planning started.")
    if org_key in ("royal_surrey", "frimley"):
        return (f"Attended the emergency department after {behaviour}; disclosed abuse by a "
                f"partner. DASH risk checklist: {ticks} of 24 ticked ({level} risk).")
    if org_key.startswith("ha_"):
        return (f"Neighbours report shouting and banging; tenant later disclosed {behaviour}. "
                f"DASH risk checklist: {ticks} of 24 ticked ({level} risk).")
    return (f"Domestic incident at the home address. Victim reports {behaviour}. DASH risk "
            f"checklist completed: {ticks} of 24 questions ticked ({level} risk).")


def plant_domestic_abuse(world: World, planted: Planted, count: int,
                         first_district: str | None = None) -> None:
    """Escalating domestic abuse: 3-5 incidents in 12 months, gaps shrinking, DASH rising."""
    rng = world.ctx.rng
    for i in range(count):
        district = first_district if i == 0 and first_district else None
        victim = world.person(female=rng.random() < 0.9, age=(20, 50), district=district,
                              moved=0.4)
        home = victim.home
        perpetrator = world.person(female=not victim.female, age=(22, 55),
                                   home=home if rng.random() < 0.7 else None)
        district = home.district or "Guildford"
        n = rng.choice((3, 4, 4, 5))
        gaps = [float(rng.randint(6, 14))]
        for _ in range(n - 2):
            gaps.append(gaps[-1] * rng.uniform(1.6, 2.2))
        gaps.reverse()  # oldest gap first: the incidents come faster and faster
        last = rng.uniform(4, 25)
        span = sum(gaps)
        if last + span > 330:
            gaps = [g * (330 - last) / span for g in gaps]
        days = [last + sum(gaps[k:]) for k in range(len(gaps))] + [last]
        ticks = rng.randint(4, 8)
        incidents: list[dict[str, object]] = []
        rows: list[IncidentRow] = []
        if rng.random() < 0.6:
            world.record(perpetrator, "probation", world.at(rng.uniform(500, 700), "other"))
        if rng.random() < 0.4:
            when = world.at(rng.uniform(420, 650), C.domestic_abuse)
            history = world.record_at(victim, "police", when)
            world.incident("police", C.domestic_abuse, when, place=home,
                           parties=[(history, R.victim)],
                           text=_da_text("police", rng.randint(2, 6), DA_BEHAVIOURS[0]))
        for j, day in enumerate(days):
            agency = "police" if j in (0, n - 1) else rng.choices(
                ("police", "da_outreach", "acute", "housing"), (50, 25, 15, 10))[0]
            org_key = resolve(agency, district, world)
            when = world.at(day, C.domestic_abuse)
            record = world.record_at(victim, org_key, when)
            parties = [(record, R.victim.value)]
            if org_key == "police" or org_key.startswith("ha_"):
                parties.append((world.record_at(perpetrator, org_key, when), R.subject.value))
            behaviour = DA_BEHAVIOURS[min(len(DA_BEHAVIOURS) - 1, j + 1)]
            incident = world.incident(org_key, C.domestic_abuse, when, place=home,
                                      parties=parties, text=_da_text(org_key, ticks, behaviour))
            rows.append(incident)
            incidents.append({"incident_id": str(incident.id), "occurred_at": when.isoformat(),
                              "organisation": world.directory.org(org_key).name,
                              "dash_ticks": ticks, "risk": dash_level(ticks)})
            ticks = min(23, ticks + rng.randint(2, 4))
        planted.domestic_abuse.append({"victim": victim, "perpetrator": perpetrator,
                                       "incidents": incidents, "rows": rows})


_KTM_AGENCIES: dict[str, dict[str, tuple[str, ...]]] = {
    "young_person": {
        "police": (C.missing_episode, C.exploitation_concern),
        "scc_children": (C.missing_episode, C.exploitation_concern, C.welfare_concern),
        "youth": (C.exploitation_concern, C.welfare_concern),
        "sabp": (C.mental_health_crisis,),
    },
    "mental_health": {
        "police": (C.mental_health_crisis, C.welfare_concern),
        "sabp": (C.mental_health_crisis,), "secamb": (C.mental_health_crisis,),
        "scc_adults": (C.welfare_concern,), "acute": (C.welfare_concern,),
        "housing": (C.welfare_concern,),
    },
}


def plant_known_to_many(world: World, planted: Planted, count: int, near_misses: int) -> None:
    """People new to 3-4 agencies within the last 90 days, with no shared case; near misses."""
    rng = world.ctx.rng
    for i in range(count + near_misses):
        near = i >= count
        profile = rng.choice(list(_KTM_AGENCIES))
        person = world.person(age=(12, 17) if profile == "young_person" else (18, 70))
        plant_contacts(world, person, profile, 3 if near else rng.choice((3, 3, 4)), near=near)
        (planted.known_to_many_near_misses if near else planted.known_to_many).append(person)


def plant_contacts(world: World, person: TruePerson, profile: str, n: int, *,
                   near: bool = False) -> list[IncidentRow]:
    """Contacts with n agencies as the subject of concerns: recent, or spread (near miss)."""
    rng = world.ctx.rng
    options = _KTM_AGENCIES[profile]
    agencies = rng.sample(list(options), n)
    if near:
        # Three agencies, but never three within any 90 days: 140-200, 60-85 and 5-40 days ago.
        days = [rng.uniform(140, 200), rng.uniform(60, 85), rng.uniform(5, 40)]
    else:
        days = spaced(rng, n, 3, 80, 5)
    incidents = []
    district = person.home.district or "Guildford"
    for agency, day in zip(agencies, days, strict=True):
        org_key = resolve(agency, district, world)
        category = rng.choice(options[agency])
        when = world.at(day, category)
        record = world.record_at(person, org_key, when)
        incidents.append(world.incident(org_key, category, when, place=person.home,
                                        parties=[(record, R.subject)]))
    return incidents
