"""Concentration from the extract's precomputed tables equals its plain definition."""

from __future__ import annotations

import math
import random
from collections import Counter
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from safetyhub.analytics import extract, hotspots
from safetyhub.analytics.extract import Period
from safetyhub.analytics.picture import Filters

TYPES = ("Burglary", "Shoplifting", "Anti-social behaviour")
DISTRICTS = ("Guildford", "Woking")


def _rows(seed: int, count: int) -> list[dict[str, object]]:
    """Incidents at a mix of busy, repeat, single and unlocated places."""
    rng = random.Random(seed)
    places = [(f"On or near Street {i}", 51.2 + i / 1000, -0.5 - i / 1000, DISTRICTS[i % 2])
              for i in range(60)]
    rows = []
    for i in range(count):
        kind = rng.random()
        if kind < 0.6:  # a skewed choice of repeat places
            location, lat, lon, district = places[min(int(rng.expovariate(0.15)), 59)]
        elif kind < 0.95:  # somewhere seen once
            location, lat, lon = f"On or near Lane {i}", 51.0 + i / 1e5, -0.1 - i / 1e5
            district = DISTRICTS[i % 2]
        else:
            location, lat, lon, district = "No location", None, None, DISTRICTS[0]
        rows.append({"month": f"2024-0{1 + rng.randrange(4)}", "crime_type": rng.choice(TYPES),
                     "district": district, "lsoa_code": "E01030000", "latitude": lat,
                     "longitude": lon, "location": location})
    return rows


def _expected(rows: list[dict[str, object]], filters: Filters
              ) -> tuple[hotspots.Concentration, list[tuple[str, str, int]]]:
    """The definition: incidents per located place, the top 5% of places by count."""
    period = filters.period
    chosen = [r for r in rows if r["latitude"] is not None
              and period.first <= str(r["month"]) <= period.last
              and filters.district in (None, r["district"])
              and filters.category in (None, r["crime_type"])]
    per_place = Counter((r["location"], r["latitude"], r["longitude"]) for r in chosen)
    district_of = {(r["location"], r["latitude"], r["longitude"]): r["district"] for r in rows}
    counts = sorted(per_place.values(), reverse=True)
    top = math.ceil(len(counts) * hotspots.TOP_SHARE) if counts else 0
    summary = hotspots.Concentration(
        places=len(counts), incidents=sum(counts), top_places=top,
        top_incidents=sum(counts[:top]), repeat_places=sum(1 for n in counts if n >= 2))
    repeats = sorted(((str(p[0]), str(district_of[p]), n) for p, n in per_place.items()
                      if n >= 2), key=lambda r: (-r[2], r[0]))
    return summary, repeats[:20]


@pytest.mark.parametrize("filters", [
    Filters(Period("2024-01", "2024-04")),
    Filters(Period("2024-02", "2024-03")),
    Filters(Period("2024-01", "2024-04"), district="Woking"),
    Filters(Period("2024-03", "2024-04"), category="Burglary"),
    Filters(Period("2024-01", "2024-01"), district="Guildford", category="Shoplifting"),
    Filters(Period("2025-01", "2025-02")),
])
def test_concentration_matches_its_definition(tmp_path: Path, filters: Filters) -> None:
    rows = _rows(7, 3000)
    crimes = pa.Table.from_pylist(rows, schema=pa.schema([
        ("month", pa.string()), ("crime_type", pa.string()), ("district", pa.string()),
        ("lsoa_code", pa.string()), ("latitude", pa.float64()), ("longitude", pa.float64()),
        ("location", pa.string())]))
    lsoas = pa.table({"lsoa_code": ["E01030000"], "name": ["Guildford 001A"],
                      "district": ["Guildford"], "population": [1500], "imd_decile": [5]})
    con = extract.connect(crimes, lsoas, tmp_path)
    where, params = filters.where()
    try:
        assert hotspots.concentration(con, where, params) == _expected(rows, filters)
    finally:
        con.close()


def test_few_repeat_places_are_all_listed(tmp_path: Path) -> None:
    rows = [{"month": "2024-01", "crime_type": "Burglary", "district": "Woking",
             "lsoa_code": None, "latitude": 51.0 + i / 100, "longitude": -0.5,
             "location": f"Street {i}"} for i in range(30)]
    rows += [dict(rows[0]), dict(rows[0]), dict(rows[1])]
    crimes = pa.Table.from_pylist(rows)
    lsoas = pa.table({"lsoa_code": pa.array([], pa.string()), "name": pa.array([], pa.string()),
                      "district": pa.array([], pa.string()),
                      "population": pa.array([], pa.int64()),
                      "imd_decile": pa.array([], pa.int64())})
    con = extract.connect(crimes, lsoas, tmp_path)
    try:
        summary, repeats = hotspots.concentration(con, *Filters(Period("2024-01", "2024-01"))
                                                  .where())
    finally:
        con.close()
    assert repeats == [("Street 0", "Woking", 3), ("Street 1", "Woking", 2)]
    assert (summary.places, summary.incidents, summary.top_places, summary.top_incidents,
            summary.repeat_places) == (30, 33, 2, 5, 2)
