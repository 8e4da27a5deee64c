"""The extract: police.uk rows and reference data moved (as Arrow) into a DuckDB file.

The file is built once per data version (the hash of the latest import's audit event, so
every process agrees on it) and opened read-only per request; it holds the in-area rows with
a place key; `cube`, their counts by month, type, district and LSOA (with the incidents at
places seen only once), which the charts read; and `place_cells`, the repeat places' counts.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.analytics.models import LsoaReference, PoliceCrime
from safetyhub.audit.models import AuditEvent
from safetyhub.config import get_settings
from safetyhub.extract import TEXT, arrow_table

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


CRIME_COLUMNS = ("month", "crime_type", "district", "lsoa_code", "latitude", "longitude",
                 "location")
CRIME_TYPES = (pa.string(), pa.string(), pa.string(), pa.string(), pa.float64(), pa.float64(),
               pa.string())


def crimes_arrow(session: Session, period: Period | None = None,
                 progress: Callable[[int], None] | None = None) -> pa.Table:
    """In-area police.uk rows (month, type, district, LSOA, coordinates, location) as Arrow."""
    if session.get_bind().dialect.name == "postgresql":
        return _crimes_copied(session, period, progress)
    return _crimes_fetched(session, period, progress)


def _crimes_fetched(session: Session, period: Period | None,
                    progress: Callable[[int], None] | None) -> pa.Table:
    """The rows fetched through the driver, a chunk at a time."""
    statement = select(*(getattr(PoliceCrime, c) for c in CRIME_COLUMNS)).where(
        ~PoliceCrime.out_of_area)
    if period is not None:
        statement = statement.where(PoliceCrime.month.between(period.first, period.last))
    columns: list[list[object]] = [[] for _ in CRIME_COLUMNS]
    for chunk in session.execute(statement).tuples().partitions(PROGRESS_STEP):
        for column, values in zip(columns, zip(*chunk, strict=True), strict=True):
            column.extend(values)
        if progress:
            progress(len(chunk))
    table = pa.table({name: pa.array(values, kind) for name, values, kind
                      in zip(CRIME_COLUMNS, columns, CRIME_TYPES, strict=True)})
    return _known_districts(table)


def _crimes_copied(session: Session, period: Period | None,
                   progress: Callable[[int], None] | None) -> pa.Table:
    """The rows as CSV by PostgreSQL's COPY, read by Arrow (a quarter of the fetch's time)."""
    raw: Any = session.connection().connection.driver_connection
    where, params = ("AND month BETWEEN %s AND %s", [period.first, period.last]) if period \
        else ("", [])
    buffer = io.BytesIO()
    with raw.cursor() as cursor, cursor.copy(
            f"COPY (SELECT {', '.join(CRIME_COLUMNS)} FROM police_crimes "  # noqa: S608
            f"WHERE NOT out_of_area {where}) TO STDOUT WITH (FORMAT csv)", params) as copy:
        for data in copy:
            buffer.write(data)
            if progress:
                progress(bytes(data).count(b"\n"))  # a line break inside a value: a bit early
    if not buffer.tell():
        return pa.table({name: pa.array([], kind)
                         for name, kind in zip(CRIME_COLUMNS, CRIME_TYPES, strict=True)})
    # Unquoted blank is NULL, quoted "" an empty string (as COPY wrote them).
    table = pacsv.read_csv(
        pa.BufferReader(buffer.getvalue()),
        read_options=pacsv.ReadOptions(column_names=list(CRIME_COLUMNS)),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=dict(zip(CRIME_COLUMNS, CRIME_TYPES, strict=True)),
            strings_can_be_null=True, quoted_strings_can_be_null=False))
    return _known_districts(table.combine_chunks())


def _known_districts(table: pa.Table) -> pa.Table:
    """Rows without a district under UNKNOWN_DISTRICT."""
    index = table.column_names.index("district")
    return table.set_column(index, "district",
                            pc.fill_null(table.column("district"), UNKNOWN_DISTRICT))


def lsoas_arrow(session: Session) -> pa.Table:
    """The LSOA reference (code, name, district, population, IMD decile) as Arrow."""
    return arrow_table(session, select(
        LsoaReference.lsoa_code, LsoaReference.name, LsoaReference.district,
        LsoaReference.population, LsoaReference.imd_decile,
    ), (("lsoa_code", TEXT), ("name", TEXT), ("district", TEXT), ("population", pa.int64()),
        ("imd_decile", pa.int64())))


PROGRESS_STEP = 50_000
VERSION_ACTIONS = ("police_uk.import", "lsoa_reference.import")
_BUILD = (
    "CREATE TABLE lsoas AS SELECT * FROM lsoas_in",
    "CREATE TABLE crimes AS SELECT month, crime_type, district, lsoa_code, latitude, longitude, "
    "location, hash(location, latitude, longitude) AS place FROM crimes_in ORDER BY month",
    # How many located incidents each place has in all: a place with one can only ever count
    # one, so the cube counts those and only repeat places need grouping per request.
    "CREATE TEMP TABLE totals AS SELECT place, count(*) AS total FROM crimes "
    "WHERE latitude IS NOT NULL GROUP BY place",
    "CREATE TABLE cube AS SELECT c.month, c.crime_type, c.district, c.lsoa_code, "
    "count(*) AS n, count(c.latitude) AS located, sum(c.latitude) AS lat_sum, "
    "sum(c.longitude) AS lon_sum, "
    "count(*) FILTER (WHERE c.latitude IS NOT NULL AND t.total = 1) AS single_places "
    "FROM crimes c LEFT JOIN totals t USING (place) GROUP BY ALL ORDER BY month",
    "CREATE TABLE place_cells AS SELECT c.place, c.month, c.crime_type, c.district, "
    "count(*) AS n FROM crimes c JOIN totals t USING (place) "
    "WHERE c.latitude IS NOT NULL AND t.total > 1 GROUP BY ALL ORDER BY c.place",
    "CREATE TABLE place_names AS SELECT place, any_value(location) AS loc, "
    "any_value(district) AS d FROM crimes WHERE place IN "
    "(SELECT place FROM totals WHERE total > 1) GROUP BY place",
)


def build(path: Path, crimes: pa.Table, lsoas: pa.Table) -> None:
    """Write the extract file for these rows (to a temporary name, then moved into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex}.part")
    con = duckdb.connect(str(partial))
    try:
        con.register("crimes_in", crimes)
        con.register("lsoas_in", lsoas)
        for statement in _BUILD:
            con.execute(statement)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(partial, path)


def data_version(session: Session) -> str:
    """The hash of the latest police.uk or reference import's audit event ("empty" if none)."""
    found = session.scalar(select(AuditEvent.hash).where(AuditEvent.action.in_(VERSION_ACTIONS))
                           .order_by(AuditEvent.seq.desc()).limit(1))
    return found or "empty"


def cache_folder() -> Path:
    """The folder of extract files (the setting, else the system temp folder's)."""
    return get_settings().picture_extract_dir or Path(tempfile.gettempdir()) / "safetyhub-picture"


def extract_path(session: Session) -> Path:
    """Where this database's extract for its current data version lives."""
    database = hashlib.sha256(str(session.get_bind().engine.url).encode()).hexdigest()[:16]
    return cache_folder() / database / f"picture-{data_version(session)[:32]}.duckdb"


def refresh(session: Session, progress: Callable[[int], None] | None = None) -> Path:
    """Build the extract for the current data version if missing; drop older versions."""
    path = extract_path(session)
    if not path.exists():
        build(path, crimes_arrow(session, progress=progress), lsoas_arrow(session))
        for old in path.parent.glob("picture-*.duckdb"):
            if old != path:
                old.unlink(missing_ok=True)
    return path


def open_extract(session: Session) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current extract (built first if needed)."""
    path = refresh(session)
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException:  # replaced by a newer version between the check and the open
        return duckdb.connect(str(refresh(session)), read_only=True)


def connect(crimes: pa.Table, lsoas: pa.Table, folder: Path | None = None
            ) -> duckdb.DuckDBPyConnection:
    """A read-only extract built from these Arrow tables (tests, benchmarks)."""
    path = (folder or Path(tempfile.mkdtemp())) / f"picture-{uuid.uuid4().hex}.duckdb"
    build(path, crimes, lsoas)
    return duckdb.connect(str(path), read_only=True)


def available_months(session: Session) -> list[str]:
    """The months with (in-area) police.uk data, in order, from the extract."""
    con = open_extract(session)
    try:
        return [str(m) for (m,) in con.execute(
            "SELECT DISTINCT month FROM cube ORDER BY month").fetchall()]
    finally:
        con.close()
