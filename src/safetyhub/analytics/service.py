"""Import verbs: police.uk files (one transaction per file) and the LSOA reference data."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    MetaData,
    String,
    Table,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import text as sa_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from safetyhub.analytics import bulk, fastpath, imports
from safetyhub.analytics.models import LsoaReference, PoliceCrime, PoliceCrimeImport
from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.errors import InvalidInput
from safetyhub.timeutil import utcnow

BATCH = 5000
SURREY_DISTRICTS = (
    "Elmbridge", "Epsom and Ewell", "Guildford", "Mole Valley", "Reigate and Banstead",
    "Runnymede", "Spelthorne", "Surrey Heath", "Tandridge", "Waverley", "Woking",
)
Progress = Callable[[int], None]


@dataclass
class FileReport:
    """The outcome of importing one file."""

    path: Path
    rows: int = 0
    added: int = 0
    out_of_area: int = 0
    errors: list[imports.RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file was imported (no errors)."""
        return not self.errors


@dataclass
class Areas:
    """The reference's districts: by LSOA code, and by name for LSOAs it does not list."""

    by_code: dict[str, str]
    names: set[str]

    @classmethod
    def load(cls, session: Session) -> Areas:
        """The areas in the reference table."""
        by_code = dict(session.execute(select(LsoaReference.lsoa_code, LsoaReference.district))
                       .tuples().all())
        return cls(by_code=by_code, names=set(by_code.values()))

    def district(self, code: str | None, name: str) -> str | None:
        """The district of an LSOA ("Spelthorne 004F" -> "Spelthorne" for new 2021 codes)."""
        if code is None:
            return None
        found = self.by_code.get(code)
        if found is None:
            prefix = name.rsplit(" ", 1)[0]
            found = prefix if prefix in self.names else None
        return found


def police_files(paths: Iterable[Path]) -> list[Path]:
    """The CSV files named, folders expanded to their *-street.csv files (months in order)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # police.uk archives also hold outcomes and stop-and-search files: street only.
            found.extend(sorted(p for p in path.rglob("*-street.csv") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InvalidInput(f"No such file or folder: {path}")
    return found


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping keys already there (a concurrent import may have added them)."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(PoliceCrime.__table__).on_conflict_do_nothing(
        index_elements=["record_key"])
    session.execute(statement, rows)


COLUMNS = ("record_key", "crime_id", "month", "reported_by", "falls_within", "longitude",
           "latitude", "location", "lsoa_code", "lsoa_name", "district", "crime_type",
           "last_outcome", "context", "out_of_area", "import_id")


def _copy_batch(session: Session, batch: list[dict[str, Any]], report: FileReport) -> None:
    """PostgreSQL's bulk path: COPY into a staging table, then insert what is new."""
    connection = session.connection()
    connection.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS police_crimes_stage "
        "(LIKE police_crimes INCLUDING DEFAULTS) ON COMMIT DROP")
    connection.exec_driver_sql("TRUNCATE police_crimes_stage")
    raw: Any = connection.connection.driver_connection
    names = ", ".join(COLUMNS)
    with raw.cursor() as cursor, cursor.copy(
            f"COPY police_crimes_stage ({names}) FROM STDIN") as copy:
        for row in batch:
            copy.write_row([row[c] for c in COLUMNS])
    flags = connection.exec_driver_sql(
        f"INSERT INTO police_crimes ({names}) SELECT {names} FROM police_crimes_stage "  # noqa: S608
        "ON CONFLICT (record_key) DO NOTHING RETURNING out_of_area").scalars().all()
    report.added += len(flags)
    report.out_of_area += sum(1 for flag in flags if flag)


def _flush_batch(session: Session, batch: list[dict[str, Any]], report: FileReport) -> None:
    if session.get_bind().dialect.name == "postgresql":
        _copy_batch(session, batch, report)
        return
    keys = [row["record_key"] for row in batch]
    existing = set(session.scalars(select(PoliceCrime.record_key)
                                   .where(PoliceCrime.record_key.in_(keys))))
    new = [row for row in batch if row["record_key"] not in existing]
    if new and session.get_bind().dialect.name == "sqlite":
        # The driver's executemany: SQLAlchemy's per-row parameter processing cost a third.
        # UUIDs as SQLAlchemy's Uuid stores them on SQLite: 32 hex digits.
        session.connection().exec_driver_sql(
            f"INSERT OR IGNORE INTO police_crimes ({', '.join(COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(COLUMNS))})",
            [tuple(row[c].hex if c in ("record_key", "import_id") else row[c] for c in COLUMNS)
             for row in new])
    elif new:
        _insert(session, new)
    report.added += len(new)
    report.out_of_area += sum(1 for row in new if row["out_of_area"])


def import_police_file(session: Session, *, actor: Actor, path: Path,
                       progress: Progress | None = None) -> FileReport:
    """Import one police.uk street-level file, all or nothing; a bad file changes nothing."""
    tried_alone = False
    loaded = fastpath.load(path)  # read once, whichever way takes the file
    if (session.get_bind().dialect.name == "postgresql" and loaded is not None and loaded.rows
            and bulk.loads_alone(session, loaded.rows)):
        streamed = _import_streamed(session, actor=actor, path=path, source=loaded,
                                    progress=progress)
        if streamed is not None:
            return streamed
        tried_alone = True
    table = fastpath.read_table(loaded)
    typed = fastpath.clean(table) if table is not None else None
    if table is not None and typed is not None:
        return _import_checked(session, actor=actor, path=path, table=table, typed=typed,
                               progress=progress, alone=not tried_alone)
    report = FileReport(path=path)
    check = imports.FileCheck(path=path)
    areas = Areas.load(session)
    source = path.name[:200]
    with session.begin_nested() as savepoint:
        run = _start(session, source)
        batch: list[dict[str, Any]] = []
        seen: set[Any] = set()
        for row in imports.read_police_file(path, check):
            if check.errors:
                continue  # keep reading to report every problem; write nothing more
            if row["record_key"] in seen:
                continue
            seen.add(row["record_key"])
            row["district"] = areas.district(row["lsoa_code"], row["lsoa_name"])
            row["out_of_area"] = (row["falls_within"] != row["reported_by"]
                                  or (row["lsoa_code"] is not None and row["district"] is None))
            row["import_id"] = run.id
            batch.append(row)
            if len(batch) >= BATCH:
                _flush_batch(session, batch, report)
                if progress:
                    progress(len(batch))
                batch = []
        if not check.errors and batch:
            _flush_batch(session, batch, report)
            if progress:
                progress(len(batch))
        report.rows = check.rows_read
        report.errors = check.errors
        if report.errors:
            savepoint.rollback()
            report.added = report.out_of_area = 0
            return report
        _audit_import(session, actor, source, report)
    return report


def _import_checked(session: Session, *, actor: Actor, path: Path, table: Any,
                    typed: dict[str, Any], progress: Progress | None,
                    alone: bool) -> FileReport:
    """A file every row of which passed the vectorised checks: one bulk insert."""
    areas = Areas.load(session)
    source = path.name[:200]
    report = FileReport(path=path, rows=table.num_rows)
    with session.begin_nested():
        run = _start(session, source)
        report.added, report.out_of_area = bulk.insert(session, table, typed, areas.district,
                                                       import_id=run.id, alone=alone,
                                                       progress=progress)
        _audit_import(session, actor, source, report)
    return report


def _import_streamed(session: Session, *, actor: Actor, path: Path, source: fastpath.Source,
                     progress: Progress | None) -> FileReport | None:
    """A big load into PostgreSQL, read, checked and sent a part at a time, so the server
    stores one part while the next is read; None, with nothing changed, when a part fails the
    vectorised checks or a key repeats (the whole-file way then takes the file)."""
    areas = Areas.load(session)
    name = path.name[:200]
    with session.begin_nested() as savepoint:
        run = _start(session, name)
        counted = bulk.load_alone(session, fastpath.checked_parts(source), areas.district,
                                  import_id=run.id, progress=progress)
        if counted is None:
            savepoint.rollback()
            return None
        report = FileReport(path=path, rows=counted[0], added=counted[0],
                            out_of_area=counted[1])
        _audit_import(session, actor, name, report)
    return report


def _audit_import(session: Session, actor: Actor, source: str, report: FileReport) -> None:
    """The one audit event of a file imported."""
    audit.record(session, actor=actor, action="police_uk.import", object_type="police_file",
                 object_id=source, after={"rows": report.rows, "added": report.added,
                                          "out_of_area": report.out_of_area})


def _start(session: Session, source: str) -> PoliceCrimeImport:
    """The import's row (file name and time), flushed so its id can be stored on each row."""
    run = PoliceCrimeImport(source_file=source, imported_at=utcnow())
    session.add(run)
    session.flush()
    return run


def import_reference(session: Session, *, actor: Actor, imd_path: Path, population_path: Path,
                     districts: Iterable[str] | None = SURREY_DISTRICTS) -> int:
    """Replace the LSOA reference data (district, population, IMD decile); the count kept."""
    wanted = set(districts) if districts is not None else None
    deciles = imports.read_imd(imd_path)
    rows = [
        {"lsoa_code": code, "name": name[:100], "district_code": district_code,
         "district": district[:100], "population": population, "imd_decile": deciles.get(code)}
        for code, name, district_code, district, population in imports.read_population(
            population_path)
        if wanted is None or district in wanted
    ]
    if not rows:
        raise InvalidInput("The population file has no LSOA in the districts asked for.")
    before = session.scalar(select(func.count()).select_from(LsoaReference)) or 0
    session.execute(delete(LsoaReference))
    for start in range(0, len(rows), BATCH):
        session.execute(insert(LsoaReference), rows[start:start + BATCH])
    session.flush()
    _judge_again(session)
    audit.record(session, actor=actor, action="lsoa_reference.import",
                 object_type="lsoa_reference", object_id=None,
                 before={"lsoas": before}, after={"lsoas": len(rows)})
    return len(rows)


def _judge_again(session: Session) -> None:
    """Give rows imported before this reference their district and out-of-area flag again."""
    areas = Areas.load(session)
    places = session.execute(select(PoliceCrime.lsoa_code, PoliceCrime.lsoa_name)
                             .where(PoliceCrime.lsoa_code.is_not(None)).distinct()).tuples()
    judged = [{"lsoa_code": code, "lsoa_name": name, "district": areas.district(code, name)}
              for code, name in places]
    # One joined update through a keyed temporary table (police_crimes has no index on LSOA).
    session.execute(sa_text(f"DROP TABLE IF EXISTS {JUDGED.name}"))
    JUDGED.create(session.connection())
    if judged:
        session.execute(insert(JUDGED), judged)
    found = select(JUDGED.c.district).where(
        JUDGED.c.lsoa_code == PoliceCrime.lsoa_code,
        JUDGED.c.lsoa_name == PoliceCrime.lsoa_name).scalar_subquery()
    session.execute(update(PoliceCrime).where(PoliceCrime.lsoa_code.is_not(None))
                    .values(district=found))
    JUDGED.drop(session.connection())
    session.execute(update(PoliceCrime).values(out_of_area=or_(
        PoliceCrime.falls_within != PoliceCrime.reported_by,
        and_(PoliceCrime.lsoa_code.is_not(None), PoliceCrime.district.is_(None)))))


JUDGED = Table(
    "police_districts_judged", MetaData(),
    Column("lsoa_code", String(9), primary_key=True),
    Column("lsoa_name", String(100), primary_key=True),
    Column("district", String(100)),
    prefixes=["TEMPORARY"],
)
