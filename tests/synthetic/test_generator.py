"""The generator is deterministic, realistic in form, and its ground truth matches its rows."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta

import pytest

from safetyhub.auth.models import Role
from safetyhub.incidents.models import PartyRole
from safetyhub.organisations.models import OrganisationKind
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.vocabulary import DataCategory, Purpose, Sensitivity
from safetyhub.synthetic.directory import DEMO_EMAILS
from safetyhub.synthetic.generator import County, generate_county
from safetyhub.synthetic.geography import DISTRICTS, surrey_lsoas
from safetyhub.synthetic.incidents import ASB
from safetyhub.synthetic.rows import Rows
from safetyhub.synthetic.truth import evaluate, gather

POSTCODE = re.compile(r"^(GU|KT|RH|TW|SM|CR)\d{1,2} \d[A-Z]{2}$")


@pytest.fixture(scope="module")
def county() -> County:
    return generate_county("tiny", seed=7)


@pytest.fixture(scope="module")
def everything(county: County) -> list[Rows]:
    return [county.rows, *county.background_batches()]


def _all(parts: list[Rows], table: str) -> list:  # type: ignore[type-arg]
    return [row for part in parts for row in getattr(part, table)]


def _end(county: County) -> datetime:
    return datetime.combine(county.today, time(0, 0), tzinfo=UTC)


def test_same_seed_same_county_including_ids(everything: list[Rows]) -> None:
    again = generate_county("tiny", seed=7)
    assert [again.rows, *again.background_batches()] == everything
    assert again.truth == generate_county("tiny", seed=7).truth


def test_another_seed_another_county(county: County) -> None:
    other = generate_county("tiny", seed=8)
    assert other.rows.organisations[0].id != county.rows.organisations[0].id
    assert other.rows.person_records != county.rows.person_records
    assert [o.name for o in other.rows.organisations] == [
        o.name for o in county.rows.organisations]
    assert other.demo_emails == county.demo_emails == list(DEMO_EMAILS)


def test_every_agency_kind_role_and_district(county: County) -> None:
    orgs = county.rows.organisations
    assert {o.kind for o in orgs} == {k.value for k in OrganisationKind}
    assert {o.district for o in orgs if o.kind == "council"} >= set(DISTRICTS)
    assert 25 <= len(orgs) <= 35
    assert {u.role for u in county.rows.users} == {r.value for r in Role}
    assert len({u.email for u in county.rows.users}) == len(county.rows.users)
    assert all(u.email == u.email.lower() for u in county.rows.users)


def test_agreements_active_draft_and_expired(county: County) -> None:
    rows = county.rows
    today = county.today
    status = {a.title: (a.status, a.valid_from <= today <= a.valid_to) for a in rows.agreements}
    assert sum(1 for s, valid in status.values() if s == AgreementStatus.active and valid) >= 2
    assert any(s == AgreementStatus.draft for s, _ in status.values())
    assert any(s == AgreementStatus.active and not valid for s, valid in status.values())
    categories = defaultdict(set)
    for c in rows.agreement_categories:
        categories[c.agreement_id].add(c.category)
    purposes = defaultdict(set)
    for p in rows.agreement_purposes:
        purposes[p.agreement_id].add(p.purpose)
    special = [a for a in rows.agreements if DataCategory.special_category in categories[a.id]]
    assert special and purposes[special[0].id] == {Purpose.safeguarding, Purpose.statutory_review}
    for agreement in rows.agreements:
        parties = [p for p in rows.agreement_parties if p.agreement_id == agreement.id]
        signed = [p for p in parties if p.signed_at is not None]
        if agreement.status == AgreementStatus.active:
            assert len(signed) == len(parties) >= 2
        else:
            assert len(signed) < len(parties)


def test_places_are_in_real_surrey_lsoas(everything: list[Rows]) -> None:
    lsoas = {lsoa.code: lsoa for lsoa in surrey_lsoas()}
    places = _all(everything, "places")
    for place in places:
        lsoa = lsoas[place.lsoa_code]
        assert place.district == lsoa.district
        assert abs(place.latitude - lsoa.latitude) < 0.03
        assert abs(place.longitude - lsoa.longitude) < 0.04
        assert POSTCODE.match(place.postcode), place.postcode
    assert len({p.address for p in places}) == len(places)


def test_references_resolve(everything: list[Rows]) -> None:
    ids = {table: {row.id for row in _all(everything, table)}
           for table in ("organisations", "users", "places", "person_records", "incidents",
                         "cases")}
    for party in _all(everything, "incident_parties"):
        assert party.incident_id in ids["incidents"]
        assert party.person_record_id in ids["person_records"]
    for incident in _all(everything, "incidents"):
        assert incident.place_id is None or incident.place_id in ids["places"]
        assert incident.created_by_id in ids["users"]
        assert incident.occurred_at <= incident.reported_at
    for subject in _all(everything, "case_subjects"):
        assert subject.person_record_id in ids["person_records"]
    for referral in _all(everything, "referrals"):
        assert referral.person_record_id in ids["person_records"]


def test_incidents_span_24_months_before_the_reference_date(
    county: County, everything: list[Rows]
) -> None:
    end = _end(county)
    incidents = _all(everything, "incidents")
    assert all(end - timedelta(days=731) <= i.occurred_at < end for i in incidents)
    assert all(i.reported_at < end + timedelta(days=7) for i in incidents)
    roles = Counter(p.role for p in _all(everything, "incident_parties"))
    assert set(roles) == {r.value for r in PartyRole}
    assert {i.sensitivity for i in incidents} == {s.value for s in Sensitivity}


def test_true_identities_span_two_to_five_agencies_with_variations(county: County) -> None:
    records = {str(r.id): r for r in county.rows.person_records}
    orgs = {o.id: o for o in county.rows.organisations}
    identities = county.truth["true_identities"]
    assert identities
    for identity in identities:
        mine = [records[rid] for rid in identity["person_record_ids"]]
        assert 2 <= len({r.organisation_id for r in mine}) <= 5, identity
        assert identity["substantive_variations"], identity
        forms = {(r.given_name.lower(), r.family_name.lower(), r.date_of_birth, r.address)
                 for r in mine}
        assert len(forms) >= 2, identity
        for record in mine:
            if orgs[record.organisation_id].kind == OrganisationKind.health:
                assert record.sensitivity == Sensitivity.special_category
    kinds = {k for i in identities for k in i["substantive_variations"]}
    assert {"nickname", "swapped_names", "missing_dob", "transposed_dob"} & kinds


def test_ground_truth_equals_the_rules_evaluated_over_every_row(
    county: County, everything: list[Rows]
) -> None:
    truth = county.truth
    person_of = {rid: i["true_person"] for i in truth["true_identities"]
                 for rid in map(str, i["person_record_ids"])}
    records = {str(r.id): r.id for r in _all(everything, "person_records")}
    person_of_ids = {records[rid]: key for rid, key in person_of.items()}
    occurrences = {
        iid: group["occurrence"]
        for group in truth["duplicate_reports"] for iid in group["incident_ids"]
    }
    incident_ids = {str(i.id): i.id for i in _all(everything, "incidents")}
    evaluated = evaluate(gather(
        everything, person_of=person_of_ids,
        occurrences={incident_ids[k]: v for k, v in occurrences.items()}, today=county.today))

    def record_sets(entries: list[dict]) -> set[frozenset[str]]:  # type: ignore[type-arg]
        return {frozenset(e["person_record_ids"]) for e in entries}

    members: dict[str, set[str]] = defaultdict(set)
    for rid, key in person_of.items():
        members[key].add(rid)
    for rule, listed in (
        ("repeat_victims", truth["repeat_victims"]),
        ("escalating_domestic_abuse", truth["escalating_domestic_abuse"]),
        ("known_to_many_agencies", truth["known_to_many_agencies"]),
        ("asb_case_review", truth["asb_case_review"]["meeting_threshold"]),
    ):
        found = {frozenset(members.get(key, {key})) for key in evaluated[rule]}
        assert found == record_sets(listed), rule
        assert listed, rule


def test_repeat_victims_really_were_victims(county: County) -> None:
    end = _end(county)
    incidents = {str(i.id): i for i in county.rows.incidents}
    victim_of = defaultdict(set)
    for party in county.rows.incident_parties:
        if party.role == PartyRole.victim:
            victim_of[str(party.person_record_id)].add(str(party.incident_id))
    for entry in county.truth["repeat_victims"]:
        mine = {i for rid in entry["person_record_ids"] for i in victim_of[rid]}
        recent = {i for i in mine if incidents[i].occurred_at >= end - timedelta(days=365)}
        assert recent == set(entry["incident_ids"])
        assert len(recent) >= (3 if entry["level"] == "high" else 2)
    for entry in county.truth["repeat_victim_near_misses"]:
        mine = {i for rid in entry["person_record_ids"] for i in victim_of[rid]}
        assert len(mine) >= 2
        assert sum(incidents[i].occurred_at >= end - timedelta(days=365) for i in mine) < 2


def test_domestic_abuse_escalates(county: County) -> None:
    planted = [e for e in county.truth["escalating_domestic_abuse"] if "planted_incidents" in e]
    assert planted
    for entry in planted:
        steps = entry["planted_incidents"]
        times = [datetime.fromisoformat(s["occurred_at"]) for s in steps]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(steps) >= 3
        assert all(later < earlier for earlier, later in itertools.pairwise(gaps))
        ticks = [s["dash_ticks"] for s in steps]
        assert ticks == sorted(ticks) and ticks[-1] > ticks[0]


def test_asb_case_review_counts_a_twice_reported_incident_once(county: County) -> None:
    incidents = {str(i.id): i for i in county.rows.incidents}
    occurrence_of = {iid: g["occurrence"] for g in county.truth["duplicate_reports"]
                     for iid in g["incident_ids"]}
    for group in county.truth["duplicate_reports"]:
        rows = [incidents[i] for i in group["incident_ids"]]
        assert len({r.organisation_id for r in rows}) == len(rows)
        assert len({r.place_id for r in rows}) == 1
        assert max(r.occurred_at for r in rows) - min(r.occurred_at for r in rows) <= timedelta(
            minutes=60)
    meeting = county.truth["asb_case_review"]["meeting_threshold"]
    assert any(len(e["incident_ids"]) > e["qualifying_occurrences"] for e in meeting)
    for entry in meeting:
        occurrences = {occurrence_of.get(i, i) for i in entry["incident_ids"]}
        assert len(occurrences) == entry["qualifying_occurrences"] >= 3
        assert all(incidents[i].category in ASB for i in entry["incident_ids"])
    reasons = {e["reason"] for e in county.truth["asb_case_review"]["near_misses"]}
    assert "duplicate_counted_once" in reasons


def test_cuckooed_address_has_associates_drugs_and_visitors(county: County) -> None:
    records = {str(r.id): r for r in county.rows.person_records}
    incidents = {str(i.id): i for i in county.rows.incidents}
    for entry in county.truth["cuckooed_addresses"]:
        onset = datetime.combine(
            datetime.fromisoformat(entry["onset"]).date(), time(0, 0), tzinfo=UTC)
        assert len(entry["associate_record_ids"]) >= 3
        assert all(records[r].address == entry["address"] for r in entry["associate_record_ids"])
        for key in ("drug_incident_ids", "visitor_complaint_incident_ids"):
            assert len(entry[key]) >= 2
            for iid in entry[key]:
                assert str(incidents[iid].place_id) == entry["place_id"]
                assert incidents[iid].occurred_at >= onset - timedelta(days=1)


def test_hotspots_stand_out(county: County, everything: list[Rows]) -> None:
    end = _end(county)
    asb_at = Counter(
        str(i.place_id) for i in _all(everything, "incidents")
        if i.category in ASB and i.place_id and i.occurred_at >= end - timedelta(days=182))
    hotspots = county.truth["asb_hotspots"]["places"]
    planted = {h["place_id"] for h in hotspots}
    busiest_other = max(n for place, n in asb_at.items() if place not in planted)
    for hotspot in hotspots:
        assert asb_at[hotspot["place_id"]] == hotspot["asb_incidents_last_182_days"] >= 20
        assert hotspot["asb_incidents_last_182_days"] > 3 * busiest_other
