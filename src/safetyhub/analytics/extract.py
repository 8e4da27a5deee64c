"""The extract layer: police.uk rows and reference data moved into DuckDB as Arrow tables."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.analytics.models import LsoaReference, PoliceCrime

UNKNOWN_DISTRICT = "Not known"


@dataclass(frozen=True)
class Period:
    """A run of months, first and last inclusive ("2024-01" to "2024-04")."""

    first: str
    last: str

    def months(self) -> list[str]:
        """Every month in the period, in order."""
        year, month = int(self.first[:4]), int(self.first[5:])
        out: list[str] = []
        while f"{year:04d}-{month:02d}" <= self.last and len(out) < 240:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def crimes_arrow(session: Session, period: Period | None = None) -> pa.Table:
    """In-area police.uk rows (month, type, district, LSOA, coordinates, location) as Arrow."""
    statement = select(
        PoliceCrime.month, PoliceCrime.crime_type, PoliceCrime.district, PoliceCrime.lsoa_code,
        PoliceCrime.latitude, PoliceCrime.longitude, PoliceCrime.location,
    ).where(~PoliceCrime.out_of_area)
    if period is not None:
        statement = statement.where(PoliceCrime.month.between(period.first, period.last))
    columns: list[list[object]] = [[], [], [], [], [], [], []]
    for row in session.execute(statement).tuples():
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    return pa.table({
        "month": pa.array(columns[0], pa.string()),
        "crime_type": pa.array(columns[1], pa.string()),
        "district": pa.array([d or UNKNOWN_DISTRICT for d in columns[2]], pa.string()),
        "lsoa_code": pa.array(columns[3], pa.string()),
        "latitude": pa.array(columns[4], pa.float64()),
        "longitude": pa.array(columns[5], pa.float64()),
        "location": pa.array(columns[6], pa.string()),
    })


def lsoas_arrow(session: Session) -> pa.Table:
    """The LSOA reference (code, name, district, population, IMD decile) as Arrow."""
    rows = session.execute(select(LsoaReference.lsoa_code, LsoaReference.name,
                                  LsoaReference.district, LsoaReference.population,
                                  LsoaReference.imd_decile)).tuples().all()
    names = ("lsoa_code", "name", "district", "population", "imd_decile")
    types = (pa.string(), pa.string(), pa.string(), pa.int64(), pa.int64())
    return pa.table({name: pa.array([r[i] for r in rows], kind)
                     for i, (name, kind) in enumerate(zip(names, types, strict=True))})


def connect(crimes: pa.Table, lsoas: pa.Table) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the `crimes` and `lsoas` Arrow tables registered."""
    con = duckdb.connect(":memory:")
    con.register("crimes", crimes)
    con.register("lsoas", lsoas)
    return con


def available_months(session: Session) -> list[str]:
    """The months with police.uk data, in order."""
    return list(session.scalars(select(PoliceCrime.month).distinct().order_by(PoliceCrime.month)))
