"""Synthetic addresses in real Surrey LSOAs: streets, postcodes, public places, weights.

Every LSOA has a fixed list of address slots. Slots are partitioned so the fixed part of the
county (part 0) and each streamed background batch allocate disjoint addresses: no two Place
rows ever carry the same address, without any state shared between batches.
"""

from __future__ import annotations

import bisect
import itertools
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from safetyhub.synthetic.geography import Lsoa, surrey_lsoas
from safetyhub.synthetic.names import BLOCK_NAMES, PUBLIC_PLACES, STREET_FIRST, STREET_SUFFIX
from safetyhub.synthetic.rows import PlaceRow

_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # inward-code letters (C, I, K, M, O, V are not used)
MIN_SLOTS = 420
GROUP = 4  # slot k belongs to part 0 when k % GROUP == 0, else to batch (k // GROUP) % batches


@dataclass(slots=True)
class Street:
    """A street (or block of flats on a street) with numbered addresses."""

    name: str
    block: str | None
    size: int
    postcodes: tuple[str, ...]
    latitude: float
    longitude: float


@dataclass
class Area:
    """The addresses of one LSOA."""

    lsoa: Lsoa
    streets: list[Street]
    offsets: list[int]
    slots: int


@dataclass
class Gazetteer:
    """Addresses and public places of the county, and where incidents are likely."""

    areas: dict[str, Area]
    codes: list[str]
    weights: list[float]
    # Cumulative weights (county-wide and per district), so each draw is a binary search.
    cumulative: list[float]
    by_district: dict[str, tuple[list[str], list[float]]]
    public: dict[str, list[PlaceRow]] = field(default_factory=dict)
    # Places that planted patterns own: background incidents never happen there.
    reserved: set[uuid.UUID] = field(default_factory=set)

    def lsoa(self, rng: random.Random, district: str | None = None) -> Lsoa:
        """A random LSOA, likelier where more people live and deprivation is higher."""
        if district is None:
            code = rng.choices(self.codes, cum_weights=self.cumulative)[0]
        else:
            codes, cumulative = self.by_district[district]
            code = rng.choices(codes, cum_weights=cumulative)[0]
        return self.areas[code].lsoa

    def address(self, code: str, slot: int) -> tuple[str, str, float, float]:
        """(address, postcode, latitude, longitude) of an address slot."""
        area = self.areas[code]
        i = bisect.bisect_right(area.offsets, slot) - 1
        street = area.streets[i]
        number = slot - area.offsets[i] + 1
        town = area.lsoa.town
        if street.block:
            text = f"Flat {number}, {street.block}, {street.name}, {town}"
        else:
            text = f"{number} {street.name}, {town}"
        jitter = ((slot * 7919) % 101 - 50) * 0.00002
        postcode = street.postcodes[(number - 1) // 25 % len(street.postcodes)]
        return text, postcode, round(street.latitude + jitter, 6), round(
            street.longitude - jitter * 1.3, 6)

    def slot_for(self, rng: random.Random, code: str, part: int, batches: int) -> int:
        """A random address slot of LSOA `code` owned by `part` (0 fixed, 1.. batches)."""
        slots = self.areas[code].slots
        if part == 0:
            return GROUP * rng.randrange(slots // GROUP)
        groups = range(part - 1, slots // GROUP, batches)
        return GROUP * groups[rng.randrange(len(groups))] + rng.randint(1, GROUP - 1)

    def place(self, place_id: uuid.UUID, code: str, slot: int, created_by: uuid.UUID | None,
              created_at: datetime) -> PlaceRow:
        """The Place row of an address slot."""
        text, postcode, lat, lon = self.address(code, slot)
        lsoa = self.areas[code].lsoa
        return PlaceRow(place_id, text, postcode, None, lat, lon, lsoa.code, lsoa.district,
                        created_by, created_at)

    def public_place(self, rng: random.Random, district: str | None = None) -> PlaceRow:
        """A public place (park, parade, car park) in a random, weighted LSOA; never reserved."""
        while True:
            lsoa = self.lsoa(rng, district)
            options = [p for p in self.public[lsoa.code] if p.id not in self.reserved]
            if options:
                return options[rng.randrange(len(options))]


def build_gazetteer(rng: random.Random) -> Gazetteer:
    """Streets and postcodes for every Surrey LSOA (deterministic in rng)."""
    areas: dict[str, Area] = {}
    used_postcodes: set[str] = set()
    used_streets: set[tuple[str, str]] = set()
    for lsoa in surrey_lsoas():
        streets: list[Street] = []
        offsets: list[int] = []
        total = 0
        sector = str(rng.randint(1, 9))
        while total < MIN_SLOTS or len(streets) < 5:
            name = _street_name(rng, lsoa.town, used_streets)
            flats = rng.random() < 0.2
            size = rng.randint(12, 48) if flats else rng.randint(30, 120)
            block = f"{rng.choice(STREET_FIRST)} {rng.choice(BLOCK_NAMES)}" if flats else None
            outward = rng.choice(lsoa.postcode_districts)
            postcodes = tuple(
                _postcode(rng, outward, sector, used_postcodes) for _ in range(1 + size // 25)
            )
            lat = lsoa.latitude + rng.gauss(0, 0.003)
            lon = lsoa.longitude + rng.gauss(0, 0.0045)
            streets.append(Street(name, block, size, postcodes, lat, lon))
            offsets.append(total)
            total += size
        areas[lsoa.code] = Area(lsoa, streets, offsets, total)
    codes = list(areas)
    weights = [_weight(areas[c].lsoa) for c in codes]
    by_district: dict[str, tuple[list[str], list[float]]] = {}
    for code, weight in zip(codes, weights, strict=True):
        district_codes, district_cumulative = by_district.setdefault(
            areas[code].lsoa.district, ([], []))
        district_codes.append(code)
        district_cumulative.append((district_cumulative[-1] if district_cumulative else 0.0)
                                   + weight)
    return Gazetteer(areas, codes, weights, list(itertools.accumulate(weights)), by_district)


def add_public_places(gazetteer: Gazetteer, rng: random.Random,
                      new_id: Callable[[], uuid.UUID], created_at: datetime) -> list[PlaceRow]:
    """Two public places per LSOA, each name unique; returns the new rows."""
    rows: list[PlaceRow] = []
    used: set[str] = set()
    for code in gazetteer.codes:
        area = gazetteer.areas[code]
        places = []
        for kind in rng.sample(PUBLIC_PLACES, 2):
            for _ in range(50):
                street = rng.choice(area.streets)
                if kind == "High Street":
                    text = f"High Street (near no. {rng.randint(2, 90)}), {area.lsoa.town}"
                elif kind in ("Towpath", "Woods"):
                    text = f"{rng.choice(STREET_FIRST)} {kind}, {area.lsoa.town}"
                else:
                    text = f"{rng.choice(STREET_FIRST)} {kind}, {street.name}, {area.lsoa.town}"
                if text not in used:
                    break
            used.add(text)
            place = PlaceRow(
                new_id(), text, street.postcodes[0], None,
                round(street.latitude + rng.gauss(0, 0.001), 6),
                round(street.longitude + rng.gauss(0, 0.0015), 6),
                area.lsoa.code, area.lsoa.district, None, created_at,
            )
            places.append(place)
            rows.append(place)
        gazetteer.public[code] = places
    return rows


def _weight(lsoa: Lsoa) -> float:
    # More people and more deprivation, more recorded incidents (as police.uk data shows).
    return lsoa.population * (1.0 + 0.35 * (10 - lsoa.imd_decile))


def _street_name(rng: random.Random, town: str, used: set[tuple[str, str]]) -> str:
    name = ""
    for _ in range(60):
        name = f"{rng.choice(STREET_FIRST)} {rng.choice(STREET_SUFFIX)}"
        if (town, name) not in used:
            break
    used.add((town, name))
    return name


def _postcode(rng: random.Random, outward: str, sector: str, used: set[str]) -> str:
    for attempt in range(10_000):
        # A crowded sector spills into the next one.
        digit = sector if attempt < 50 else str(rng.randint(0, 9))
        code = f"{outward} {digit}{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}"
        if code not in used:
            used.add(code)
            return code
    raise RuntimeError(f"no postcode left in {outward}")
