"""The picture, assembled: public (disclosure-controlled) figures and the analysts' view."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy.orm import Session

from safetyhub.analytics import disclosure, inequality, trends
from safetyhub.analytics import hotspots as spots
from safetyhub.analytics.extract import Period, available_months, open_extract
from safetyhub.auth.actor import Actor
from safetyhub.errors import InvalidInput

DIMENSIONS = ("district", "month", "category")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."


def period_of(session: Session, first: str | None, last: str | None) -> Period:
    """The period asked for (YYYY-MM), defaulting to all months with data."""
    months = available_months(session)
    first = first or (months[0] if months else "2024-01")
    last = last or (months[-1] if months else first)
    for value in (first, last):
        if not MONTH.match(value):
            raise InvalidInput(f"'{value[:20]}' is not a month (YYYY-MM).")
    if first > last:
        raise InvalidInput("The period starts after it ends.")
    return Period(first, last)


def parse_by(by: str) -> tuple[str, ...]:
    """The dimensions asked for, in the cube's order ("district,month" and so on)."""
    asked = [part.strip() for part in by.split(",") if part.strip()]
    unknown = [part for part in asked if part not in DIMENSIONS]
    if unknown or len(set(asked)) != len(asked):
        raise InvalidInput("by takes district, month and category, each at most once.")
    return tuple(d for d in DIMENSIONS if d in asked)


@dataclass(frozen=True)
class PublicRow:
    """One published figure: its dimension values and the count as shown."""

    values: tuple[str, ...]
    figure: disclosure.Figure


@lru_cache(maxsize=8)
def _protected(counts: tuple[tuple[tuple[str, str, str], int], ...]
               ) -> dict[disclosure.Key, disclosure.Figure]:
    return disclosure.protect(dict(counts), len(DIMENSIONS))


def public_cube(session: Session, period: Period) -> dict[disclosure.Key, disclosure.Figure]:
    """Every public figure for the period (district x month x category and all totals)."""
    con = open_extract(session)
    try:
        rows = con.execute(
            "SELECT district, month, crime_type, sum(n) FROM cube WHERE month BETWEEN ? AND ? "
            "GROUP BY ALL", [period.first, period.last]).fetchall()
    finally:
        con.close()
    counts = tuple(sorted(((d, m, c), int(n)) for d, m, c, n in rows))
    return _protected(counts)


def public_rows(cube: dict[disclosure.Key, disclosure.Figure], by: tuple[str, ...]
                ) -> list[PublicRow]:
    """The figures at one level of the cube (the dimensions in `by`, totals over the rest)."""
    wanted = [d in by for d in DIMENSIONS]
    rows = [
        PublicRow(tuple(v for v, w in zip(key, wanted, strict=True) if w and v is not None),
                  figure)
        for key, figure in cube.items()
        if all((v is not None) == w for v, w in zip(key, wanted, strict=True))
    ]
    return sorted(rows, key=lambda r: r.values)


@dataclass
class Filters:
    """The analyst's filters: a period, and optionally one district and one crime type."""

    period: Period
    district: str | None = None
    category: str | None = None

    def where(self) -> tuple[str, list[object]]:
        """A DuckDB condition on `crimes` or `cube` and its parameters."""
        parts, params = ["month BETWEEN ? AND ?"], [self.period.first, self.period.last]
        if self.district:
            parts.append("district = ?")
            params.append(self.district)
        if self.category:
            parts.append("crime_type = ?")
            params.append(self.category)
        return " AND ".join(parts), list(params)


@dataclass
class AnalystPicture:
    """Everything the analyst dashboard and the report show."""

    filters: Filters
    total: int
    county: list[trends.TrendPoint]
    by_district: list[trends.TrendPoint]
    by_category: list[trends.TrendPoint]
    district_totals: list[tuple[str, int]]
    category_totals: list[tuple[str, int]]
    hotspots: list[spots.Hotspot]
    concentration: spots.Concentration
    repeat_locations: list[tuple[str, str, int]]
    inequality: list[inequality.Inequality]
    districts: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def analyst_picture(session: Session, *, actor: Actor, filters: Filters) -> AnalystPicture:
    """Trends, hotspots, concentration and inequality for the filters, computed in DuckDB."""
    con = open_extract(session)
    con.register("concerns", inequality.concerns_arrow(session, actor, filters.period))
    where, params = filters.where()
    during, period = Filters(filters.period).where()
    summary, repeats = spots.concentration(con, where, params)
    all_districts = [d for d, _ in trends.totals(con, "district", during, period)]
    all_categories = [c for c, _ in trends.totals(con, "crime_type", during, period)]
    picture = AnalystPicture(
        filters=filters,
        total=sum(n for _, n in trends.totals(con, "all", where, params)),
        county=trends.monthly(con, None, where, params),
        by_district=trends.monthly(con, "district", where, params),
        by_category=trends.monthly(con, "crime_type", where, params),
        district_totals=trends.totals(con, "district", where, params),
        category_totals=trends.totals(con, "crime_type", where, params),
        hotspots=spots.hotspots(con, where, params),
        concentration=summary, repeat_locations=repeats,
        inequality=inequality.all_measures(con, during, period),
        districts=sorted(all_districts), categories=sorted(all_categories),
    )
    con.close()
    return picture
