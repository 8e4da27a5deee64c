"""Build surrey_lsoas.csv once from the real public data in ../shared/data (never run at run time).

Usage (from the project root): python src/safetyhub/synthetic/data/build_surrey_lsoas.py
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

SURREY_DISTRICTS = (
    "Elmbridge", "Epsom and Ewell", "Guildford", "Mole Valley", "Reigate and Banstead",
    "Runnymede", "Spelthorne", "Surrey Heath", "Tandridge", "Waverley", "Woking",
)
HERE = Path(__file__).parent
OUTPUT = HERE / "surrey_lsoas.csv"
FIELDS = ("lsoa_code", "lsoa_name", "district", "population", "imd_decile", "latitude", "longitude")


def build(source: Path) -> list[dict[str, str]]:
    """Join population, IMD decile and police.uk coordinates for every Surrey LSOA."""
    lsoas: dict[str, dict[str, str]] = {}
    with (source / "iod2019_population_lsoa.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            district = row["Local Authority District name (2019)"]
            if district in SURREY_DISTRICTS:
                code = row["LSOA code (2011)"]
                lsoas[code] = {
                    "lsoa_code": code,
                    "lsoa_name": row["LSOA name (2011)"],
                    "district": district,
                    "population": row["Total population: mid 2015 (excluding prisoners)"]
                    .replace(",", ""),
                }
    with (source / "imd2019_england_lsoa.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["lsoa_code"] in lsoas:
                lsoas[row["lsoa_code"]]["imd_decile"] = row["IMD_decile"]
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for path in sorted((source / "police-uk").glob("*-surrey-street.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                code = row["LSOA code"]
                if code in lsoas and row["Latitude"] and row["Longitude"]:
                    acc = sums[code]
                    acc[0] += float(row["Latitude"])
                    acc[1] += float(row["Longitude"])
                    acc[2] += 1
    district_sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for code, (lat, lon, n) in sums.items():
        acc = district_sums[lsoas[code]["district"]]
        acc[0] += lat / n
        acc[1] += lon / n
        acc[2] += 1
    for code, lsoa in lsoas.items():
        # LSOAs with no police.uk rows in these months fall back to their district's mean.
        lat, lon, n = sums.get(code) or district_sums[lsoa["district"]]
        lsoa["latitude"] = f"{lat / n:.5f}"
        lsoa["longitude"] = f"{lon / n:.5f}"
    return sorted(lsoas.values(), key=lambda r: r["lsoa_code"])


def main() -> None:
    """Write surrey_lsoas.csv beside this script."""
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    rows = build(source)
    with OUTPUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"Wrote {len(rows)} LSOAs to {OUTPUT}")


if __name__ == "__main__":
    main()
