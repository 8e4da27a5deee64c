"""Planted patterns about places: cuckooed addresses, ASB hotspots, and ASB Case Review
complainants (with the same incident reported to two agencies)."""

from __future__ import annotations

from datetime import datetime, timedelta

from safetyhub.incidents.models import IncidentCategory as C
from safetyhub.incidents.models import PartyRole as R
from safetyhub.synthetic.directory import council_key
from safetyhub.synthetic.people import TruePerson
from safetyhub.synthetic.planted import HotspotPlan, Planted, spaced
from safetyhub.synthetic.rows import IncidentRow, PersonRecordRow
from safetyhub.synthetic.world import World


def plant_cuckooing(world: World, planted: Planted, count: int,
                    first_district: str | None = None) -> None:
    """A vulnerable adult's home taken over: new associates, drug incidents, more visitors."""
    rng = world.ctx.rng
    for i in range(count):
        home = world.home(first_district if i == 0 else None, exclusive=True)
        district = home.district or "Guildford"
        adult = world.person(age=(30, 65), home=home, moved=0.0)
        housing = world.directory.housing_for(district)
        world.record(adult, housing, world.at(rng.uniform(600, 750), C.welfare_concern))
        care = world.record(adult, "scc_adults", world.at(rng.uniform(400, 700), C.welfare_concern))
        if rng.random() < 0.7:
            world.record(adult, "sabp", world.at(rng.uniform(300, 700), C.welfare_concern))
        when = world.at(rng.uniform(250, 390), C.welfare_concern)
        world.incident("scc_adults", C.welfare_concern, when, place=home,
                       parties=[(care, R.subject)],
                       text=f"Care Act review visit at {home.address}: managing well with "
                            "weekly support; no concerns.")
        onset = rng.uniform(75, 120)
        associates = [world.person(female=False, age=(17, 35), home=home, moved=0.0)
                      for _ in range(rng.randint(3, 4))]
        drugs: list[IncidentRow] = []
        for day in spaced(rng, rng.randint(2, 4), 3, onset - 5, 7):
            when = world.at(day, C.drugs)
            parties: list[tuple[PersonRecordRow, str]] = [
                (world.record_at(a, "police", when), R.subject.value)
                for a in rng.sample(associates, rng.randint(1, 2))
            ]
            parties.append((world.record_at(adult, "police", when), R.witness.value))
            drugs.append(world.incident(
                "police", C.drugs, when, place=home, parties=parties,
                text=f"Drugs search at {home.address}: suspected crack cocaine wraps and cash "
                     "found; males present who do not live there; the tenant appears scared."))
        visitors: list[IncidentRow] = []
        for day in spaced(rng, rng.randint(2, 3), 3, onset, 10):
            org_key = housing if rng.random() < 0.6 else council_key(district)
            when = world.at(day, C.asb_nuisance)
            neighbour = world.person(district=district, moved=0.0)
            visitors.append(world.incident(
                org_key, C.asb_nuisance, when, place=home,
                parties=[(world.record(neighbour, org_key, when), R.complainant)],
                text=f"Neighbours report a stream of visitors to {home.address} at all hours, "
                     "some staying only minutes; loud arguments in the stairwell."))
        other: list[IncidentRow] = []
        when = world.at(rng.uniform(3, onset - 10), C.welfare_concern)
        other.append(world.incident(
            "scc_adults", C.welfare_concern, when, place=home, parties=[(care, R.subject)],
            text="Unknown males staying at the flat; the resident appears frightened and says "
                 "they are friends. Money missing from the resident's account."))
        when = world.at(rng.uniform(3, onset - 10), C.exploitation_concern)
        other.append(world.incident(
            "police", C.exploitation_concern, when, place=home,
            parties=[(world.record_at(adult, "police", when), R.subject)],
            text="Possible cuckooing: vulnerable adult's home used by associates to deal drugs."))
        entry = {"place": home, "adult": adult, "onset": world.ctx.day(int(onset)),
                 "associates": associates, "drugs": drugs, "visitors": visitors, "other": other}
        planted.cuckooed.append(entry)
        if i == 0:
            planted.anchors["cuckoo"] = entry


def plant_hotspots(world: World, planted: Planted, count: int, per_place: int,
                   first_district: str | None = None) -> None:
    """Public places with concentrated ASB over the last six months, from several agencies."""
    rng = world.ctx.rng
    for i in range(count):
        place = world.gazetteer.public_place(rng, first_district if i == 0 else None)
        world.gazetteer.reserved.add(place.id)
        district = place.district or "Guildford"
        youths = [world.person(age=(14, 19), district=district, moved=0.0)
                  for _ in range(rng.randint(3, 5))]
        incidents: list[IncidentRow] = []
        for _ in range(per_place):
            day = 2 + 176 * rng.random() ** 1.3  # busier lately
            agency = rng.choices(("police", "council", "housing"), (55, 30, 15))[0]
            org_key = {"council": council_key(district),
                       "housing": world.directory.housing_for(district)}.get(agency, agency)
            category = rng.choices((C.asb_nuisance, C.asb_personal, C.asb_environmental),
                                   (60, 20, 20))[0]
            when = world.at(day, category)
            parties: list[tuple[PersonRecordRow, str]] = []
            if rng.random() < 0.5:
                caller = world.person(district=district, moved=0.0)
                parties.append((world.record(caller, org_key, when), R.complainant.value))
            # The youths are known to police and the council only (two agencies, no alert).
            if category != C.asb_environmental and agency != "housing" and rng.random() < 0.35:
                youth = rng.choice(youths)
                parties.append((world.record_at(youth, org_key, when), R.subject.value))
            incidents.append(world.incident(org_key, category, when, place=place,
                                             parties=parties))
        plan = HotspotPlan(place, incidents, youths)
        planted.hotspots.append({"plan": plan})
        if i == 0:
            planted.anchors["hotspot"] = plan


NEAR_MISS_KINDS = ("duplicate_counted_once", "late_report", "older_than_six_months")


def plant_case_reviews(world: World, planted: Planted, count: int, near_misses: int,
                       first_district: str | None = None) -> None:
    """Complainants with 3+ qualifying ASB complaints in six months (one incident reported to
    two agencies counts once), and near misses that fall short."""
    rng = world.ctx.rng
    for i in range(count + near_misses):
        near = None if i < count else NEAR_MISS_KINDS[(i - count) % len(NEAR_MISS_KINDS)]
        complainant = world.person(age=(25, 80), district=first_district if i == 0 else None,
                                   moved=0.2)
        home = complainant.home
        district = home.district or "Guildford"
        neighbour = world.person(age=(18, 60), district=district, moved=0.0)
        agencies = [council_key(district), "police", world.directory.housing_for(district)]
        start = rng.randrange(3)
        n = 2 if near == "duplicate_counted_once" else 3 if near else rng.choice((3, 3, 4))
        duplicated = set(rng.sample(range(n), 1 if n < 4 or rng.random() < 0.5 else 2))
        days = spaced(rng, n, 10, 170, 14)
        late = -1
        if near == "older_than_six_months":
            days[0] = rng.uniform(200, 260)
            duplicated = set()
        elif near == "late_report":
            days[0] = max(days[0], rng.uniform(100, 170))
            late = 0
            duplicated = set()
        rows: list[IncidentRow] = []
        for k, day in enumerate(days):
            org_key = agencies[(start + k) % 3]
            category = rng.choice((C.asb_personal, C.asb_nuisance))
            when = world.at(day, category)
            delay = timedelta(days=rng.uniform(40, 60) if k == late else rng.uniform(0.1, 10))
            occurrence = f"OCC-{complainant.key}-{k + 1}"
            text = (f"Complaint about the neighbour at {home.address}: shouting, slamming doors "
                    "and threats late at night.")
            rows.append(_complaint(world, org_key, category, when, when + delay, complainant,
                                   neighbour, occurrence, text))
            if k in duplicated:
                # The same night reported to a second agency: one incident, two records.
                other = agencies[(start + k + 1 + rng.randrange(2)) % 3]
                again = when + timedelta(minutes=rng.randint(-30, 30))
                rows.append(_complaint(world, other, category, again,
                                       when + delay + timedelta(days=rng.uniform(1, 5)),
                                       complainant, neighbour, occurrence, text))
        if near is None:
            planted.case_reviews.append(complainant)
        else:
            planted.case_review_near_misses.append((complainant, near))
        if i == 0:
            planted.anchors["case_review"] = (complainant, neighbour, rows)


def _complaint(world: World, org_key: str, category: str, when: datetime, reported: datetime,
               complainant: TruePerson, neighbour: TruePerson, occurrence: str,
               text: str) -> IncidentRow:
    parties: list[tuple[PersonRecordRow, str]] = [
        (world.record_at(complainant, org_key, when), R.complainant.value)]
    if not org_key.startswith("ha_"):
        parties.append((world.record_at(neighbour, org_key, when), R.subject.value))
    return world.incident(org_key, category, when, place=complainant.home, parties=parties,
                          text=text, reported_at=reported, occurrence=occurrence)
