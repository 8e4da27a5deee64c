"""Trends by month, category and district, with change on the previous month and a control limit."""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb

CONTROL_LIMIT = 3.0  # standard deviations, as on a statistical process control chart


@dataclass(frozen=True)
class TrendPoint:
    """One month's count for a group, against the month before."""

    group: str
    month: str
    count: int
    previous: int | None
    change: int | None
    z: float | None
    beyond: bool


def _z(count: int, previous: int) -> float:
    """How unusual the change is if both months are Poisson with the same rate."""
    total = count + previous
    return 0.0 if total == 0 else (count - previous) / math.sqrt(total)


def monthly(con: duckdb.DuckDBPyConnection, by: str | None = None,
            where: str = "TRUE", params: list[object] | None = None) -> list[TrendPoint]:
    """Counts per month (per `by` column: district or crime_type), each against the last."""
    group = by if by in ("district", "crime_type") else "'All'"
    rows = con.execute(
        f"SELECT {group} AS grp, month, sum(n)::BIGINT FROM cube WHERE {where} "  # noqa: S608
        "GROUP BY ALL ORDER BY grp, month", params or []).fetchall()
    points: list[TrendPoint] = []
    last: dict[str, int] = {}
    for grp, month, count in rows:
        previous = last.get(grp)
        z = None if previous is None else _z(count, previous)
        points.append(TrendPoint(grp, month, count, previous,
                                 None if previous is None else count - previous, z,
                                 z is not None and abs(z) > CONTROL_LIMIT))
        last[grp] = count
    return points


def totals(con: duckdb.DuckDBPyConnection, by: str, where: str = "TRUE",
           params: list[object] | None = None) -> list[tuple[str, int]]:
    """Counts for the whole period by district or crime type, largest first."""
    column = by if by in ("district", "crime_type") else "'All'"
    return [(str(k), int(n or 0)) for k, n in con.execute(
        f"SELECT {column}, sum(n)::BIGINT AS total FROM cube WHERE {where} "  # noqa: S608
        "GROUP BY ALL ORDER BY total DESC", params or []).fetchall()]
