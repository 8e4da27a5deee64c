"""Reading police.uk street-level and reference CSVs: streamed, validated row by row."""

from __future__ import annotations

import csv
import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

POLICE_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LSOA = re.compile(r"^[EW]0\d{7}$")
CRIME_ID = re.compile(r"^[0-9a-f]{64}$")
MAX_ERRORS = 50
LIMITS = {"Reported by": 100, "Falls within": 100, "Location": 200, "LSOA name": 100,
          "Crime type": 60, "Last outcome category": 120, "Context": 2000}


@dataclass(frozen=True)
class RowError:
    """One problem in a file: where (row number counting the header as 1, column) and what."""

    row: int
    column: str
    problem: str

    def as_dict(self) -> dict[str, Any]:
        """The error as plain data (for problem JSON and reports)."""
        return {"row": self.row, "column": self.column, "problem": self.problem}


@dataclass
class FileCheck:
    """What reading a file found: its rows (when valid) and its errors."""

    path: Path
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0


def _number(value: str, low: float, high: float) -> float | str | None:
    """A coordinate, None when blank, or a problem in words."""
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        return f"'{value[:30]}' is not a number"
    if not low <= number <= high:
        return f"{number} is outside {low} to {high}"
    return number


def row_key(values: tuple[str, ...], occurrence: int) -> str:
    """A stable key for a row without a Crime ID: its normalised content and occurrence."""
    normalised = "\x1f".join(v.strip() for v in values)
    return hashlib.sha256(f"{normalised}\x1e{occurrence}".encode()).hexdigest()


def stored_key(hex_digits: str) -> uuid.UUID:
    """The stored record key: the first 128 bits of a Crime ID or a row_key (both hex)."""
    return uuid.UUID(hex_digits[:32])


def check_row(number: int, raw: list[str], errors: list[RowError]) -> dict[str, Any] | None:
    """Validate one data row; append its problems to `errors`; the parsed row when clean."""
    if len(raw) != len(POLICE_COLUMNS):
        errors.append(RowError(number, "(row)", f"has {len(raw)} fields, expected "
                                               f"{len(POLICE_COLUMNS)} (truncated or broken line)"))
        return None
    cells = dict(zip(POLICE_COLUMNS, (v.strip() for v in raw), strict=True))
    found = len(errors)
    if cells["Crime ID"] and not CRIME_ID.match(cells["Crime ID"]):
        errors.append(RowError(number, "Crime ID", "is not a 64-character police.uk id"))
    if not MONTH.match(cells["Month"]):
        errors.append(RowError(number, "Month", f"'{cells['Month'][:20]}' is not YYYY-MM"))
    lon = _number(cells["Longitude"], -180, 180)
    lat = _number(cells["Latitude"], -90, 90)
    for column, value in (("Longitude", lon), ("Latitude", lat)):
        if isinstance(value, str):
            errors.append(RowError(number, column, value))
    if (lon is None) != (lat is None):
        errors.append(RowError(number, "Longitude", "only one of longitude and latitude given"))
    if cells["LSOA code"] and not LSOA.match(cells["LSOA code"]):
        errors.append(RowError(number, "LSOA code", f"'{cells['LSOA code'][:20]}' is not an "
                                                    "LSOA code"))
    if not cells["Crime type"]:
        errors.append(RowError(number, "Crime type", "is empty"))
    if not cells["Reported by"]:
        errors.append(RowError(number, "Reported by", "is empty"))
    for column, limit in LIMITS.items():
        if len(cells[column]) > limit:
            errors.append(RowError(number, column, f"is longer than {limit} characters"))
    if len(errors) > found:
        return None
    return {
        "crime_id": cells["Crime ID"] or None, "month": cells["Month"],
        "reported_by": cells["Reported by"], "falls_within": cells["Falls within"],
        "longitude": lon, "latitude": lat, "location": cells["Location"],
        "lsoa_code": cells["LSOA code"] or None, "lsoa_name": cells["LSOA name"],
        "crime_type": cells["Crime type"], "last_outcome": cells["Last outcome category"],
        "context": cells["Context"],
    }


def read_police_file(path: Path, check: FileCheck) -> Iterator[dict[str, Any]]:
    """Yield a file's valid rows with their keys; problems go to `check.errors`."""
    occurrences: Counter[str] = Counter()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            check.errors.append(RowError(1, "(header)", f"unreadable: {exc}"))
            return
        if header is None or tuple(h.strip() for h in header) != POLICE_COLUMNS:
            check.errors.append(RowError(1, "(header)", "is not the police.uk street-level "
                                                        "header: " + ", ".join(POLICE_COLUMNS)))
            return
        while True:
            try:
                raw = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                check.errors.append(RowError(reader.line_num, "(row)", f"unreadable: {exc}"))
                break
            number = reader.line_num
            check.rows_read += 1
            if not raw:
                continue
            row = check_row(number, raw, check.errors)
            if len(check.errors) >= MAX_ERRORS:
                break
            if row is None:
                continue
            if row["crime_id"]:
                row["record_key"] = stored_key(row["crime_id"])
            else:
                content = tuple(raw)
                digest = row_key(content, 0)
                occurrences[digest] += 1
                row["record_key"] = stored_key(row_key(content, occurrences[digest] - 1))
            yield row


def thousands(value: str) -> int:
    """An integer written with thousands separators ("1,296")."""
    return int(value.replace(",", "").strip())


def read_imd(path: Path) -> dict[str, int]:
    """IMD 2019 decile per LSOA code."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {row["lsoa_code"]: int(row["IMD_decile"]) for row in csv.DictReader(handle)}


def read_population(path: Path) -> Iterator[tuple[str, str, str, str, int]]:
    """(LSOA code, LSOA name, district code, district name, population) per LSOA."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            if len(row) >= 5 and row[0]:
                yield row[0], row[1], row[2], row[3], thousands(row[4])
