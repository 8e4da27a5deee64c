"""The fixed part of the county under construction: people, records, places and incidents."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from safetyhub.synthetic.context import Context
from safetyhub.synthetic.directory import Directory
from safetyhub.synthetic.gazetteer import Gazetteer
from safetyhub.synthetic.incidents import (
    hour_for,
    incident_sensitivity,
    narrative,
    report_delay,
)
from safetyhub.synthetic.people import (
    Identifiers,
    TruePerson,
    apply_variation,
    choose_variations,
    dob_for_age,
    make_record,
    random_name,
    substantive,
)
from safetyhub.synthetic.rows import IncidentPartyRow, IncidentRow, PersonRecordRow, PlaceRow


@dataclass
class World:
    """Everything the planted patterns and demo casework build on, in one seeded context."""

    ctx: Context
    directory: Directory
    gazetteer: Gazetteer
    ids: Identifiers
    batches: int
    people: list[TruePerson] = field(default_factory=list)
    # Incidents that are the same occurrence reported to more than one agency.
    occurrences: dict[uuid.UUID, str] = field(default_factory=dict)
    used_slots: dict[str, set[int]] = field(default_factory=dict)
    taken_names: set[tuple[str, str, date]] = field(default_factory=set)

    def home(self, district: str | None = None, *, exclusive: bool = False) -> PlaceRow:
        """A new residential address (never one a background batch can use)."""
        rng = self.ctx.rng
        for _ in range(100):
            lsoa = self.gazetteer.lsoa(rng, district)
            slot = self.gazetteer.slot_for(rng, lsoa.code, 0, self.batches)
            used = self.used_slots.setdefault(lsoa.code, set())
            if slot not in used:
                used.add(slot)
                place = self.gazetteer.place(self.ctx.uuid(), lsoa.code, slot, None,
                                             self.ctx.days_ago(760))
                self.ctx.rows.places.append(place)
                if exclusive:
                    self.gazetteer.reserved.add(place.id)
                return place
        raise RuntimeError("no free address left for the planted people")

    def person(self, *, female: bool | None = None, age: tuple[int, int] = (18, 80),
               district: str | None = None, home: PlaceRow | None = None,
               moved: float = 0.3, family: str | None = None) -> TruePerson:
        """A new true person with a unique name and date of birth."""
        rng = self.ctx.rng
        is_female = rng.random() < 0.5 if female is None else female
        while True:
            given, family_name = random_name(rng, is_female)
            family_name = family or family_name
            dob = dob_for_age(rng, self.ctx.today, *age)
            if (given, family_name, dob) not in self.taken_names:
                self.taken_names.add((given, family_name, dob))
                break
        current = home or self.home(district)
        previous = self.home(current.district if rng.random() < 0.7 else None) if (
            rng.random() < moved) else None
        person = TruePerson(
            key=f"TP{len(self.people) + 1:06d}", given=given, family=family_name,
            female=is_female, dob=dob, home=current, previous_home=previous,
            phone=self.ids.phone() if rng.random() < 0.75 else None,
            nhs_number=self.ids.nhs_number(),
        )
        self.people.append(person)
        return person

    def record(self, person: TruePerson, org_key: str, created_at: datetime,
               variations: list[str] | None = None) -> PersonRecordRow:
        """A new record of `person` at agency `org_key` (later records usually differ)."""
        rng = self.ctx.rng
        if variations is None:
            variations = []
            if person.records and rng.random() < 0.6:
                variations = choose_variations(rng, person, 1 if rng.random() < 0.75 else 2)
        creator = self.directory.user(self.ctx, org_key)
        record = make_record(
            rng, person, record_id=self.ctx.uuid(), org_key=org_key,
            org_id=self.directory.org(org_key).id, created_at=created_at, created_by=creator.id,
            identifiers=self.ids, variations=variations,
        )
        self.ctx.rows.person_records.append(record)
        return record

    def record_at(self, person: TruePerson, org_key: str, created_at: datetime) -> PersonRecordRow:
        """The person's record at `org_key`, made now if the agency has none yet."""
        return person.record_at(org_key) or self.record(person, org_key, created_at)

    def incident(
        self, org_key: str, category: str, occurred_at: datetime, *, place: PlaceRow | None,
        parties: list[tuple[PersonRecordRow, str]], text: str | None = None,
        reported_at: datetime | None = None, occurrence: str | None = None,
    ) -> IncidentRow:
        """An incident recorded by `org_key`, with its parties."""
        ctx = self.ctx
        org = self.directory.org(org_key)
        reported = reported_at or occurred_at + report_delay(ctx.rng, org_key)
        incident = IncidentRow(
            ctx.uuid(), org.id, category, occurred_at, reported,
            place.id if place else None, place.district if place else org.district,
            text or narrative(ctx.rng, category, place.address if place else "an unknown place"),
            incident_sensitivity(org_key, category), self.directory.user(ctx, org_key).id,
            reported,
        )
        ctx.rows.incidents.append(incident)
        for record, role in parties:
            ctx.rows.incident_parties.append(
                IncidentPartyRow(ctx.uuid(), incident.id, record.id, role))
        if occurrence is not None:
            self.occurrences[incident.id] = occurrence
        return incident

    def at(self, days: float, category: str) -> datetime:
        """A moment about `days` before the reference date, at a likely hour for `category`."""
        return self.ctx.days_ago(int(days) + 1, hour=hour_for(self.ctx.rng, category))

    def finalize_people(self) -> None:
        """Every person with several records gets at least one substantive variation."""
        rng = self.ctx.rng
        for person in self.people:
            if len(person.records) < 2:
                continue
            if any(substantive(kinds) for kinds in person.variations.values()):
                continue
            kind = choose_variations(rng, person, 1)[0]
            apply_variation(rng, person, person.records[-1], kind)
