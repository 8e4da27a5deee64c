"""Assemble the ground-truth document: true identities, planted patterns and near misses."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from safetyhub.synthetic.incidents import ASB
from safetyhub.synthetic.people import TruePerson, substantive
from safetyhub.synthetic.planted import HotspotPlan, Planted, ids
from safetyhub.synthetic.truth import RULES
from safetyhub.synthetic.world import World


def _tags(planted: Planted) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = defaultdict(list)
    for person in planted.multi_agency:
        tags[person.key].append("multi_agency")
    for person in planted.repeat_victims:
        tags[person.key].append("repeat_victim")
    for entry in planted.domestic_abuse:
        tags[entry["victim"].key].append("domestic_abuse_victim")
        tags[entry["perpetrator"].key].append("domestic_abuse_perpetrator")
    for entry in planted.cuckooed:
        tags[entry["adult"].key].append("cuckooed_adult")
        for associate in entry["associates"]:
            tags[associate.key].append("cuckooing_associate")
    for person in planted.known_to_many:
        tags[person.key].append("known_to_many")
    for person in planted.case_reviews:
        tags[person.key].append("asb_case_review_complainant")
    for person, _ in planted.case_review_near_misses:
        tags[person.key].append("asb_case_review_near_miss")
    for hotspot in planted.hotspots:
        for youth in hotspot["plan"].youths:
            tags[youth.key].append("hotspot_youth")
    if "case_child" in planted.anchors:
        tags[planted.anchors["case_child"].key].append("exploitation_case_child")
    return tags


def _person(person: TruePerson, names: dict[str, str], tags: dict[str, list[str]]
            ) -> dict[str, Any]:
    return {
        "true_person": person.key,
        "name": person.name,
        "date_of_birth": person.dob.isoformat(),
        "person_record_ids": ids(person.records),
        "organisations": sorted({names[str(r.organisation_id)] for r in person.records}),
        "planted_as": tags.get(person.key, []),
    }


def build_ground_truth(world: World, planted: Planted, evaluated: dict[str, dict[str, Any]],
                       *, seed: int, scale: str, expected_background_asb: float
                       ) -> dict[str, Any]:
    """The ground-truth document written beside a seeded database."""
    names = {str(o.id): o.name for o in world.ctx.rows.organisations}
    tags = _tags(planted)
    people = {p.key: p for p in world.people}

    def listed(rule: str) -> list[dict[str, Any]]:
        return [{**_person(people[key], names, tags), **detail}
                for key, detail in sorted(evaluated[rule].items())]

    identities = []
    for person in world.people:
        if len(person.records) >= 2:
            entry = _person(person, names, tags)
            entry["variations"] = {str(rid): kinds for rid, kinds in person.variations.items()}
            entry["substantive_variations"] = sorted(
                {k for kinds in person.variations.values() for k in substantive(kinds)})
            identities.append(entry)
    occurrence_groups: dict[str, list[str]] = defaultdict(list)
    for incident_id, occurrence in world.occurrences.items():
        occurrence_groups[occurrence].append(str(incident_id))
    escalating = listed("escalating_domestic_abuse")
    details = {e["victim"].key: e for e in planted.domestic_abuse}
    for entry in escalating:
        da = details.get(entry["true_person"])
        if da is not None:
            entry["perpetrator"] = da["perpetrator"].key
            entry["perpetrator_record_ids"] = ids(da["perpetrator"].records)
            entry["planted_incidents"] = da["incidents"]
    return {
        "generator": {"seed": seed, "scale": scale,
                      "reference_date": world.ctx.today.isoformat(),
                      "window_start": (world.ctx.today - timedelta(days=730)).isoformat()},
        "rules": RULES,
        "true_identities": identities,
        "repeat_victims": listed("repeat_victims"),
        "repeat_victim_near_misses": [
            {**_person(p, names, tags), "reason": "first victimisation over 12 months ago"}
            for p in planted.repeat_near_misses],
        "escalating_domestic_abuse": escalating,
        "cuckooed_addresses": [_cuckoo(e, names, tags) for e in planted.cuckooed],
        "known_to_many_agencies": listed("known_to_many_agencies"),
        "known_to_many_with_shared_case": listed("known_to_many_with_shared_case"),
        "known_to_many_near_misses": [
            {**_person(p, names, tags), "reason": "three agencies, never three within 90 days"}
            for p in planted.known_to_many_near_misses],
        "asb_hotspots": _hotspots(planted, world.ctx.today, expected_background_asb),
        "asb_case_review": {
            "meeting_threshold": listed("asb_case_review"),
            "near_misses": [{**_person(p, names, tags), "reason": reason}
                            for p, reason in planted.case_review_near_misses],
        },
        "duplicate_reports": [
            {"occurrence": occ, "incident_ids": sorted(group)}
            for occ, group in sorted(occurrence_groups.items()) if len(group) >= 2],
    }


def _cuckoo(entry: dict[str, Any], names: dict[str, str], tags: dict[str, list[str]]
            ) -> dict[str, Any]:
    place = entry["place"]
    return {
        "place_id": str(place.id), "address": place.address, "postcode": place.postcode,
        "lsoa_code": place.lsoa_code, "district": place.district,
        "vulnerable_adult": _person(entry["adult"], names, tags),
        "onset": entry["onset"].isoformat(),
        "associate_record_ids": [str(r.id) for a in entry["associates"] for r in a.records],
        "drug_incident_ids": ids(entry["drugs"]),
        "visitor_complaint_incident_ids": ids(entry["visitors"]),
        "other_incident_ids": ids(entry["other"]),
    }


def _hotspots(planted: Planted, today: date, expected: float) -> dict[str, Any]:
    places = []
    by_lsoa: dict[str, dict[str, Any]] = {}
    for hotspot in planted.hotspots:
        plan: HotspotPlan = hotspot["plan"]
        asb = [i for i in plan.incidents if i.category in ASB]
        places.append({
            "place_id": str(plan.place.id), "address": plan.place.address,
            "lsoa_code": plan.place.lsoa_code, "district": plan.place.district,
            "asb_incidents_last_182_days": len(asb), "incident_ids": ids(asb),
            "youth_record_ids": [str(r.id) for y in plan.youths for r in y.records],
        })
        lsoa = by_lsoa.setdefault(plan.place.lsoa_code or "", {
            "lsoa_code": plan.place.lsoa_code, "district": plan.place.district,
            "planted_asb_incidents": 0})
        lsoa["planted_asb_incidents"] += len(asb)
    return {"places": places, "lsoas": list(by_lsoa.values()),
            "expected_background_asb_per_public_place_182_days": round(expected, 2),
            "as_of": today.isoformat()}
