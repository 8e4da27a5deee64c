"""The county's everyday incidents, generated batch by batch so any scale streams.

Each batch has its own random source (derived from the seed and the batch number) and its own
share of address slots and identifier ranges, so batches are independent of one another and
the same seed always streams the same batches. Background people are known to one agency only
and are never a victim or complainant twice, so no planted alert can fire on them by chance.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from safetyhub.incidents.models import PartyRole as R
from safetyhub.synthetic.context import Context
from safetyhub.synthetic.directory import HOUSING, Directory, council_key
from safetyhub.synthetic.gazetteer import Gazetteer
from safetyhub.synthetic.geography import DISTRICTS
from safetyhub.synthetic.incidents import (
    AGENCY_MIX,
    AGENCY_SHARE,
    AT_HOME,
    PARTIES,
    category_table,
    hour_for,
    incident_sensitivity,
    mix_key,
    narrative,
    report_delay,
)
from safetyhub.synthetic.people import (
    HEALTH_KEYS,
    Identifiers,
    dob_for_age,
    random_name,
    sensitivity_for,
)
from safetyhub.synthetic.rows import (
    IncidentPartyRow,
    IncidentRow,
    PersonRecordRow,
    PlaceRow,
    Rows,
)

WINDOW_DAYS = 730  # incidents happen over the 24 months before the reference date
_YOUNG = frozenset({"scc_children", "youth"})


@dataclass(frozen=True)
class BackgroundPlan:
    """How many background incidents to stream, in which batches, with which shared inputs."""

    seed: int
    today: date
    total: int
    batch_size: int
    phone_start: int
    planted_names: frozenset[tuple[str, str, date]]

    @property
    def batches(self) -> int:
        """Number of batches."""
        return max(1, -(-self.total // self.batch_size))

    def size_of(self, index: int) -> int:
        """Incidents in batch `index`."""
        return max(0, min(self.batch_size, self.total - index * self.batch_size))


@dataclass
class _Batch:
    ctx: Context
    plan: BackgroundPlan
    index: int
    directory: Directory
    gazetteer: Gazetteer
    ids: Identifiers
    org_keys: list[str]
    org_cumulative: list[float]
    categories: dict[str, tuple[list[str], list[float]]]
    homes: dict[str, list[PlaceRow]]
    slots: dict[tuple[str, int], PlaceRow]
    subjects: dict[str, list[tuple[PersonRecordRow, PlaceRow]]]
    taken: set[tuple[str, str, date]]


def background_batch(plan: BackgroundPlan, index: int, directory: Directory,
                     gazetteer: Gazetteer, phones: list[str]) -> Rows:
    """The rows of background batch `index` (deterministic in the seed and the index)."""
    ctx = Context(random.Random(f"{plan.seed}:background:{index}"), plan.today, Rows())
    per_batch = max(0, (len(phones) - plan.phone_start) // plan.batches)
    start = plan.phone_start + index * per_batch
    ids = Identifiers(
        counters={key: (index + 1) * 1_000_000 for key in directory.orgs},
        nhs_next=100_000 + index * 15_000, phones=phones, phone_next=start,
        phone_stop=start + per_batch,
    )
    keys, weights = _agency_weights(gazetteer)
    categories = {key: category_table(key) for key in AGENCY_MIX}
    batch = _Batch(ctx, plan, index, directory, gazetteer, ids, keys,
                   list(itertools.accumulate(weights)), categories, {}, {}, {}, set())
    for _ in range(plan.size_of(index)):
        _incident(batch)
    return ctx.rows


def _agency_weights(gazetteer: Gazetteer) -> tuple[list[str], list[float]]:
    """Agencies and their share of incidents; councils and housing split by district weight."""
    district_weight = {d: sum(gazetteer.weights[i] for i, c in enumerate(gazetteer.codes)
                              if gazetteer.areas[c].lsoa.district == d) for d in DISTRICTS}
    total = sum(district_weight.values())
    keys: list[str] = []
    weights: list[float] = []
    for key, share in AGENCY_SHARE.items():
        if key == "council":
            for district in DISTRICTS:
                keys.append(council_key(district))
                weights.append(share * district_weight[district] / total)
        elif key == "housing":
            for ha, (_, _, districts) in HOUSING.items():
                keys.append(ha)
                weights.append(share * sum(district_weight[d] for d in districts) / total)
        else:
            keys.append(key)
            weights.append(share)
    return keys, weights


def _district_for(batch: _Batch, org_key: str) -> str | None:
    rng = batch.ctx.rng
    if org_key.startswith("council:"):
        return org_key[8:]
    if org_key.startswith("ha_"):
        return rng.choice(HOUSING[org_key][2])
    return None


def _incident(batch: _Batch) -> None:
    ctx, rng = batch.ctx, batch.ctx.rng
    org_key = rng.choices(batch.org_keys, cum_weights=batch.org_cumulative)[0]
    categories, cumulative = batch.categories[mix_key(org_key)]
    category = rng.choices(categories, cum_weights=cumulative)[0]
    district = _district_for(batch, org_key)
    lsoa = batch.gazetteer.lsoa(rng, district)
    occurred = ctx.days_ago(rng.randint(1, WINDOW_DAYS), hour=hour_for(rng, category))
    roles = [role for role, p in PARTIES[category] if rng.random() < p]
    parties: list[tuple[PersonRecordRow, str]] = []
    home: PlaceRow | None = None
    for n, role in enumerate(roles):
        cohabiting = n > 0 and category == "domestic_abuse" and rng.random() < 0.7
        shared_home = home if cohabiting else None
        record, their_home = _person(batch, org_key, category, role, lsoa.code, occurred,
                                     shared_home)
        parties.append((record, role))
        if n == 0:
            home = their_home
    at_home = home is not None and rng.random() < AT_HOME.get(category, 0.0)
    place = home if at_home else batch.gazetteer.public_place(rng, lsoa.district)
    org = batch.directory.org(org_key)
    if rng.random() < 0.04:
        place = None  # online or unknown location
    reported = occurred + report_delay(rng, org_key)
    incident = IncidentRow(
        ctx.uuid(), org.id, category, occurred, reported, place.id if place else None,
        place.district if place else lsoa.district,
        narrative(rng, category, place.address if place else "an unknown location"),
        incident_sensitivity(org_key, category), batch.directory.user(ctx, org_key).id, reported,
    )
    ctx.rows.incidents.append(incident)
    for record, role in parties:
        ctx.rows.incident_parties.append(IncidentPartyRow(ctx.uuid(), incident.id, record.id,
                                                          role))


def _person(batch: _Batch, org_key: str, category: str, role: str, lsoa_code: str,
            occurred: datetime, home: PlaceRow | None) -> tuple[PersonRecordRow, PlaceRow]:
    """A background person: new, or (for a subject) one the same agency already knows."""
    ctx, rng = batch.ctx, batch.ctx.rng
    if role == R.subject and rng.random() < 0.25:
        known = [s for s in batch.subjects.get(org_key, [])[-20:] if s[0].created_at <= occurred]
        if known:
            return rng.choice(known)
    young = org_key in _YOUNG or category in ("missing_episode",)
    female = rng.random() < (0.85 if category == "domestic_abuse" and role == R.victim else 0.5)
    while True:
        given, family = random_name(rng, female)
        dob = dob_for_age(rng, ctx.today, *((12, 17) if young else (16, 85)))
        key = (given, family, dob)
        if key not in batch.plan.planted_names and key not in batch.taken:
            batch.taken.add(key)
            break
    place = home or _home(batch, lsoa_code if rng.random() < 0.7 else
                          batch.gazetteer.lsoa(rng).code)
    phone = batch.ids.phone() if rng.random() < 0.5 else None
    record = PersonRecordRow(
        ctx.uuid(), batch.directory.org(org_key).id, given, family,
        None if rng.random() < 0.08 else dob, place.address, place.postcode, phone,
        batch.ids.nhs_number() if org_key in HEALTH_KEYS else batch.ids.agency_id(org_key),
        sensitivity_for(org_key), batch.directory.user(ctx, org_key).id,
        occurred + timedelta(minutes=rng.randint(0, 120)),
    )
    ctx.rows.person_records.append(record)
    if role == R.subject:
        batch.subjects.setdefault(org_key, []).append((record, place))
    return record, place


def _home(batch: _Batch, lsoa_code: str) -> PlaceRow:
    """A residential address from this batch's share of slots (households share addresses)."""
    rng = batch.ctx.rng
    homes = batch.homes.setdefault(lsoa_code, [])
    if homes and rng.random() < 0.35:
        return rng.choice(homes)
    slot = batch.gazetteer.slot_for(rng, lsoa_code, batch.index + 1, batch.plan.batches)
    place = batch.slots.get((lsoa_code, slot))
    if place is None:
        place = batch.gazetteer.place(batch.ctx.uuid(), lsoa_code, slot, None,
                                      batch.ctx.days_ago(WINDOW_DAYS + 30))
        batch.slots[(lsoa_code, slot)] = place
        batch.ctx.rows.places.append(place)
        homes.append(place)
    return place
