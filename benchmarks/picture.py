"""Picture benchmarks: police.uk import speed against each database's own bulk path, and
dashboard query latency (p50/p95) on DuckDB at millions of incidents.

    python -m benchmarks.picture --rows 1000000 --incidents 5000000
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from safetyhub import migrate
from safetyhub.analytics import hotspots, inequality, trends
from safetyhub.analytics.extract import Period, build, connect, crimes_arrow, lsoas_arrow
from safetyhub.analytics.imports import POLICE_COLUMNS
from safetyhub.analytics.models import LsoaReference
from safetyhub.analytics.picture import Filters
from safetyhub.analytics.service import import_police_file
from safetyhub.auth.actor import Actor
from safetyhub.db import make_engine, session_factory

TYPES = ["Anti-social behaviour", "Violence and sexual offences", "Shoplifting", "Burglary",
         "Criminal damage and arson", "Other theft", "Vehicle crime", "Public order", "Drugs",
         "Bicycle theft", "Robbery", "Theft from the person", "Possession of weapons",
         "Other crime"]
DISTRICTS = ["Elmbridge", "Epsom and Ewell", "Guildford", "Mole Valley", "Reigate and Banstead",
             "Runnymede", "Spelthorne", "Surrey Heath", "Tandridge", "Waverley", "Woking"]
LSOAS = 700
ACTOR = Actor.system("benchmark:picture")


def write_csv(path: Path, rows: int, seed: int = 2024) -> None:
    """A police.uk-shaped street-level file (a quarter ASB rows without Crime ID)."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(POLICE_COLUMNS)
        for i in range(rows):
            kind = TYPES[0] if rng.random() < 0.25 else rng.choice(TYPES[1:])
            lsoa = rng.randrange(LSOAS)
            crime_id = "" if kind == TYPES[0] else hashlib.sha256(str(i).encode()).hexdigest()
            writer.writerow([
                crime_id, f"2024-{1 + i % 12:02d}", "Surrey Police", "Surrey Police",
                f"{-0.9 + lsoa % 30 * 0.03 + rng.random() * 0.01:.6f}",
                f"{51.1 + lsoa // 30 * 0.01 + rng.random() * 0.01:.6f}",
                f"On or near Street {rng.randrange(20000)}", f"E0103{lsoa:04d}",
                f"{DISTRICTS[lsoa % 11]} {lsoa:03d}A", kind,
                "" if not crime_id else "Under investigation", ""])


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def import_into(url: str, path: Path) -> float:
    """Seconds for `import_police_file` (one transaction) into a migrated database."""
    migrate.upgrade(url)
    engine = make_engine(url)
    factory = session_factory(engine)
    with factory() as session:  # the LSOAs the file names, so its rows are in the area
        session.add_all(LsoaReference(
            lsoa_code=f"E0103{i:04d}", name=f"{DISTRICTS[i % 11]} {i:03d}A",
            district_code=f"E07000{200 + i % 11}", district=DISTRICTS[i % 11],
            population=1500, imd_decile=1 + i % 10) for i in range(LSOAS))
        session.commit()

    def run() -> None:
        with factory() as session:
            report = import_police_file(session, actor=ACTOR, path=path)
            assert report.ok, report.errors[:3]
            session.commit()

    seconds = timed(run)
    engine.dispose()
    return seconds


def sqlite_baseline(path: Path, db: Path, *, wal: bool) -> float:
    """SQLite's own bulk path: executemany of the file's rows in one transaction.

    `wal=True`: into a plain table of the database the import wrote, opened as SafetyHub opens
    it (write-ahead log), like for like with PostgreSQL's COPY into the same server.
    `wal=False`: into a new file with SQLite's default rollback journal (no log to write twice).
    """
    engine = make_engine(f"sqlite:///{db}")  # SafetyHub's own connection settings
    con: Any = (engine.raw_connection().driver_connection if wal
                else sqlite3.connect(db, isolation_level=None))
    con.execute("DROP TABLE IF EXISTS raw")
    con.execute(f"CREATE TABLE raw ({', '.join(f'c{i} TEXT' for i in range(12))})")

    def run() -> None:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            con.execute("BEGIN")
            con.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            reader)
            con.execute("COMMIT")

    seconds = timed(run)
    con.close()
    engine.dispose()
    return seconds


def postgres_baseline(dsn: str, path: Path) -> float:
    """PostgreSQL's own bulk path: COPY of the file into a plain table."""
    with psycopg.connect(dsn) as con:
        con.execute("DROP TABLE IF EXISTS raw")
        con.execute(f"CREATE TABLE raw ({', '.join(f'c{i} text' for i in range(12))})")

        def run() -> None:
            with con.cursor() as cursor, cursor.copy(
                    "COPY raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                    path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            con.commit()

        return timed(run)


def fresh_postgres(admin_dsn: str, name: str) -> str:
    """Drop and create database `name`; its DSN."""
    with psycopg.connect(admin_dsn, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    return admin_dsn.rsplit("/", 1)[0] + f"/{name}"


def synthetic_arrow(incidents: int, seed: int = 2024) -> tuple[pa.Table, pa.Table]:
    """`crimes` and `lsoas` Arrow tables of the extract's shape, made with numpy."""
    rng = np.random.default_rng(seed)
    lsoa = rng.integers(0, LSOAS, incidents)
    codes = np.array([f"E0103{i:04d}" for i in range(LSOAS)])
    crimes = pa.table({
        "month": pa.array(np.array([f"2024-{m:02d}" for m in range(1, 13)])[
            rng.integers(0, 12, incidents)]),
        "crime_type": pa.array(np.array(TYPES)[rng.integers(0, len(TYPES), incidents)]),
        "district": pa.array(np.array(DISTRICTS)[lsoa % 11]),
        "lsoa_code": pa.array(codes[lsoa]),
        "latitude": pa.array(51.1 + lsoa // 30 * 0.01 + rng.random(incidents) * 0.01),
        "longitude": pa.array(-0.9 + lsoa % 30 * 0.03 + rng.random(incidents) * 0.01),
        "location": pa.array(np.char.add("On or near Street ",
                                         rng.integers(0, 20000, incidents).astype(str))),
    })
    lsoas = pa.table({
        "lsoa_code": pa.array(codes), "name": pa.array(codes),
        "district": pa.array(np.array(DISTRICTS)[np.arange(LSOAS) % 11]),
        "population": pa.array(rng.integers(1000, 3000, LSOAS)),
        "imd_decile": pa.array(rng.integers(1, 11, LSOAS)),
    })
    return crimes, lsoas


def snapped(crimes: pa.Table) -> pa.Table:
    """The same incidents at police.uk-like snap points: one point (and LSOA) per street."""
    street = pc.cast(pc.utf8_slice_codeunits(crimes.column("location"), 18), pa.int64()).to_numpy()
    lsoa = street % LSOAS
    codes = np.array([f"E0103{i:04d}" for i in range(LSOAS)])
    return crimes.set_column(2, "district", pa.array(np.array(DISTRICTS)[lsoa % 11])) \
        .set_column(3, "lsoa_code", pa.array(codes[lsoa])) \
        .set_column(4, "latitude", pa.array(51.1 + lsoa // 30 * 0.01 + street % 97 * 1e-4)) \
        .set_column(5, "longitude", pa.array(-0.9 + lsoa % 30 * 0.03 + street % 89 * 1e-4))


def percentiles(chart: Callable[[], object], repeats: int) -> tuple[float, float]:
    """p50 and p95 milliseconds of `repeats` calls (after one to warm up)."""
    chart()
    samples = sorted(1000 * timed(chart) for _ in range(repeats))
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def latency(incidents: int, repeats: int) -> dict[str, tuple[float, float]]:
    """p50 and p95 milliseconds of each chart's query on DuckDB over the Arrow extract."""
    crimes, lsoas = synthetic_arrow(incidents)
    start = time.perf_counter()
    con = connect(crimes, lsoas)  # the extract file, as built once per import
    print(f"\nExtract file built from {incidents:,} rows in {time.perf_counter() - start:.1f} s")
    con.register("concerns", pa.table({"lsoa_code": pa.array([], pa.string())}))
    where, params = Filters(Period("2024-01", "2024-12")).where()
    burglary, with_type = Filters(Period("2024-01", "2024-12"), category="Burglary").where()
    charts: dict[str, Callable[[], object]] = {
        "county by month": lambda: trends.monthly(con, None, where, params),
        "by district and month": lambda: trends.monthly(con, "district", where, params),
        "by type and month": lambda: trends.monthly(con, "crime_type", where, params),
        "district totals (filtered by type)": lambda: trends.totals(
            con, "district", burglary, with_type),
        "hot spots (Gi*, FDR)": lambda: hotspots.hotspots(con, where, params),
        "concentration and repeat places": lambda: hotspots.concentration(con, where, params),
        "inequality (4 measures)": lambda: inequality.all_measures(con, where, params),
    }
    out = {name: percentiles(chart, repeats) for name, chart in charts.items()}
    con.close()
    # The rows above give almost every incident its own place (the worst case for grouping
    # by place); real police.uk data has a few thousand snap points, each repeated.
    con = connect(snapped(crimes), lsoas)
    out["concentration, 20,000 snap points"] = percentiles(
        lambda: hotspots.concentration(con, where, params), repeats)
    con.close()
    return out


def row(database: str, ours_runs: list[float], base_runs: list[float], rows: int) -> str:
    """One Markdown row: median import, median bulk path, their ratio, and every run."""
    ours, base = statistics.median(ours_runs), statistics.median(base_runs)
    runs = ", ".join(f"{a:.1f} / {b:.1f}" for a, b in zip(ours_runs, base_runs, strict=True))
    return (f"| {database} | {ours:.1f} | {base:.1f} | {base / ours:.0%} | {rows / ours:,.0f} "
            f"| {runs} |")


def main() -> None:
    """Run the benchmarks and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--incidents", type=int, default=5_000_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3,
                        help="Imports and baselines per database, taken in turn; medians shown.")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="An admin DSN; '' skips PostgreSQL.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / "2024-bench-street.csv"
        write_csv(path, args.rows)
        # The file on disk before anything is timed: its writeback must not land in the first
        # measurement only (it made the first import of a run ~1 s slower than a repeat).
        os.sync()
        print("| database | SafetyHub import (s) | own bulk path (s) | ratio | rows/s | "
              "runs: import / bulk path (s) |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        ours_runs, wal_runs, plain_runs = [], [], []
        for run in range(args.runs):  # in turn, so a busy moment of the machine hits both
            ours, plain = tmp / f"bench{run}.db", tmp / f"raw{run}.db"
            ours_runs.append(import_into(f"sqlite:///{ours}", path))
            wal_runs.append(sqlite_baseline(path, ours, wal=True))
            plain_runs.append(sqlite_baseline(path, plain, wal=False))
            for name in (ours, plain):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{name}{suffix}").unlink(missing_ok=True)
        print(row("SQLite (executemany into the same database, WAL)", ours_runs, wal_runs,
                  args.rows))
        print(row("SQLite (executemany into a new rollback-journal file)", ours_runs,
                  plain_runs, args.rows))
        if args.postgres:
            ours_runs, base_runs = [], []
            for _ in range(args.runs):
                dsn = fresh_postgres(args.postgres, "picture_bench")
                ours_runs.append(import_into(dsn.replace("postgresql://", "postgresql+psycopg://"),
                                             path))
                base_runs.append(postgres_baseline(dsn, path))
            print(row("PostgreSQL (COPY)", ours_runs, base_runs, args.rows))
            url = dsn.replace("postgresql://", "postgresql+psycopg://")
            with session_factory(make_engine(url))() as session, \
                    tempfile.TemporaryDirectory() as extracts:
                start = time.perf_counter()
                crimes = crimes_arrow(session)
                build(Path(extracts) / "picture.duckdb", crimes, lsoas_arrow(session))
                seconds = time.perf_counter() - start
            print(f"\nExtract rebuilt from PostgreSQL after the import (as `safetyhub import "
                  f"police-uk` does): {crimes.num_rows:,} in-area rows in {seconds:.1f} s")
    figures = latency(args.incidents, args.repeats)
    print(f"\n| chart ({args.incidents:,} incidents) | p50 (ms) | p95 (ms) |")
    print("| --- | ---: | ---: |")
    for name, (p50, p95) in figures.items():
        print(f"| {name} | {p50:.0f} | {p95:.0f} |")


if __name__ == "__main__":
    main()
