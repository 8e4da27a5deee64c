"""Whether a person lives at a place, as far as their record's address says (no UPRN on records).

Agencies write the same address differently ("Road" or "Rd", with or without the town), so the
match is on the postcode and the premise (the house number, or "Flat 3"), not the whole text.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.people.models import PersonRecord
from safetyhub.places.models import Place

_PREMISE = re.compile(r"^\s*((?:flat|apartment|unit)\s+\w+|\d+[a-z]?)\b", re.IGNORECASE)
CHUNK = 500


def premise(address: str | None) -> str | None:
    """The premise an address starts with ("12", "12a", "flat 3"), or None (a park, a shop)."""
    found = _PREMISE.match(address or "")
    return " ".join(found.group(1).lower().split()) if found else None


def postcode_key(postcode: str | None) -> str:
    """A postcode without spaces, in capitals."""
    return "".join((postcode or "").split()).upper()


def lives_at(record_address: str | None, record_postcode: str | None,
             place_address: str | None, place_postcode: str | None) -> bool:
    """The record's address is the place: the same postcode and the same premise."""
    home = premise(record_address)
    return (home is not None and home == premise(place_address)
            and postcode_key(record_postcode) != ""
            and postcode_key(record_postcode) == postcode_key(place_postcode))


def residents(session: Session, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]
              ) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """The (person record, place) pairs where the record's address is the place."""
    wanted = set(pairs)
    records = sorted({r for r, _ in wanted}, key=str)
    places = sorted({p for _, p in wanted}, key=str)
    addresses: dict[uuid.UUID, tuple[str | None, str | None]] = {}
    homes: dict[uuid.UUID, tuple[str | None, str | None]] = {}
    for start in range(0, len(records), CHUNK):
        for rid, address, postcode in session.execute(
                select(PersonRecord.id, PersonRecord.address, PersonRecord.postcode)
                .where(PersonRecord.id.in_(records[start:start + CHUNK]))).tuples():
            addresses[rid] = (address, postcode)
    for start in range(0, len(places), CHUNK):
        for pid, address, postcode in session.execute(
                select(Place.id, Place.address, Place.postcode)
                .where(Place.id.in_(places[start:start + CHUNK]))).tuples():
            homes[pid] = (address, postcode)
    return {(r, p) for r, p in wanted
            if r in addresses and p in homes and lives_at(*addresses[r], *homes[p])}
