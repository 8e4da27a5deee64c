"""Bulk inserts of prepared police.uk rows: each database's own bulk path, keys kept unique."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.analytics.fastpath import STORED
from safetyhub.analytics.models import PoliceCrime

COLUMNS = (*STORED, "import_id")
COPY_BATCH = 20_000
UNIQUE = ("record_key", "crime_id")  # (nearly) every value different: no point encoding


def insert(session: Session, rows: pa.Table, *, order: pa.Array,
           import_id: uuid.UUID) -> tuple[int, int]:
    """Insert the rows with new keys (`order`: their key order); (added, of which flagged)."""
    if rows.num_rows == 0:
        return 0, 0
    if session.get_bind().dialect.name == "postgresql":
        added = _postgres(session, rows, order, import_id)
    else:
        added = _sqlite(session, rows, order, import_id)
    flagged = int(pc.sum(rows.column("out_of_area")).as_py() or 0)
    if added == rows.num_rows or added == 0:
        return added, flagged if added else 0
    # Some keys were there already: count the flagged rows this import added.
    flagged = session.scalar(select(func.count()).where(
        PoliceCrime.import_id == import_id, PoliceCrime.out_of_area)) or 0
    return added, flagged


def _sqlite(session: Session, rows: pa.Table, order: pa.Array, import_id: uuid.UUID) -> int:
    """The driver's executemany with INSERT OR IGNORE, in key order (B-tree appends)."""
    raw: Any = session.connection().connection.driver_connection
    columns = [_python_values(name, rows.column(name), order) for name in STORED]
    cursor = raw.cursor()
    indexes: list[tuple[str, str]] = []
    try:
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MB for the load and index builds
        existing = cursor.execute("SELECT max(rowid) FROM police_crimes").fetchone()[0] or 0
        if rows.num_rows >= existing:
            # A load at least as big as the table: rebuilding the secondary indexes once beats
            # updating them row by row (both inside the file's savepoint: all or nothing).
            indexes = cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'police_crimes' AND sql IS NOT NULL").fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        # The import's id is the same on every row: a literal (hex digits, as SQLAlchemy's Uuid
        # stores it on SQLite), not a parameter bound a million times.
        cursor.executemany(
            f"INSERT OR IGNORE INTO police_crimes ({', '.join(COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(STORED))}, '{import_id.hex}')",
            zip(*columns, strict=True))
        added = int(cursor.rowcount)
        for _, sql in indexes:
            cursor.execute(sql)
        return added
    finally:
        cursor.execute("PRAGMA cache_size=-2000")
        cursor.close()


def _python_values(name: str, column: pa.ChunkedArray, order: pa.Array) -> list[Any]:
    """A column's values as Python objects in `order` (repeated strings share one object)."""
    if column.type == pa.string() and len(column) and name not in UNIQUE:
        encoded = pc.dictionary_encode(column.combine_chunks())
        if len(encoded.dictionary) * 4 < len(encoded):
            values = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
            codes = encoded.indices.fill_null(len(encoded.dictionary)).to_numpy()
            return values[codes[order.to_numpy()]].tolist()  # type: ignore[no-any-return]
    return pc.take(column, order).to_pylist()  # type: ignore[no-any-return]


def _csv_batches(rows: pa.Table, import_id: uuid.UUID) -> Iterator[bytes]:
    """The rows as CSV for COPY, a batch at a time (blank unquoted is NULL, "" an empty string)."""
    table = rows.append_column("import_id", pa.array([import_id.hex] * rows.num_rows,
                                                     pa.string()))
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    for batch in table.to_batches(max_chunksize=COPY_BATCH):
        buffer = io.BytesIO()
        pacsv.write_csv(batch, buffer, options)
        yield buffer.getvalue()


def _copy(raw: Any, table: str, rows: pa.Table, import_id: uuid.UUID) -> None:
    """COPY the rows in, formatting each batch while the server parses the one before."""
    from psycopg.copy import QueuedLibpqWriter

    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)",
            writer=QueuedLibpqWriter(cursor)) as copy:  # a thread sends while this one formats
        for data in _csv_batches(rows, import_id):
            copy.write(data)


def _postgres(session: Session, rows: pa.Table, order: pa.Array, import_id: uuid.UUID) -> int:
    """COPY straight into the table; if a key is there already, COPY to a stage and merge."""
    import psycopg

    connection = session.connection()
    raw: Any = connection.connection.driver_connection
    estimate = raw.execute("SELECT reltuples FROM pg_class "
                           "WHERE oid = 'police_crimes'::regclass").fetchone()[0]
    big = rows.num_rows >= max(estimate, 0)
    if not big:  # key order: the primary key's B-tree grows at its right edge
        rows = rows.take(order)
    indexes: list[tuple[str, str, bool]] = []
    if big:
        # A load at least as big as the table: build the indexes (the primary key's by one
        # sort) once afterwards; this holds the table's lock until the import commits.
        indexes = raw.execute(
            "SELECT c.relname, coalesce(pg_get_constraintdef(k.oid), "
            "pg_get_indexdef(i.indexrelid)), k.oid IS NOT NULL FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.contype = 'p' "
            "WHERE i.indrelid = 'police_crimes'::regclass "
            "ORDER BY k.oid IS NULL, c.relname").fetchall()
    raw.execute("SAVEPOINT police_copy")
    try:
        if indexes:
            raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for name, _, constraint in indexes:
            raw.execute(f'ALTER TABLE police_crimes DROP CONSTRAINT "{name}"' if constraint
                        else f'DROP INDEX "{name}"')
        _copy(raw, "police_crimes", rows, import_id)
        for name, sql, constraint in indexes:
            raw.execute(f'ALTER TABLE police_crimes ADD CONSTRAINT "{name}" {sql}' if constraint
                        else sql)
        if indexes:
            raw.execute("SET LOCAL maintenance_work_mem TO DEFAULT")
    except psycopg.errors.UniqueViolation:
        raw.execute("ROLLBACK TO SAVEPOINT police_copy")
    else:
        raw.execute("RELEASE SAVEPOINT police_copy")
        return int(rows.num_rows)
    connection.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS police_crimes_stage "
        "(LIKE police_crimes INCLUDING DEFAULTS) ON COMMIT DROP")
    connection.exec_driver_sql("TRUNCATE police_crimes_stage")
    _copy(raw, "police_crimes_stage", rows, import_id)
    names = ", ".join(COLUMNS)
    return int(connection.exec_driver_sql(
        f"WITH added AS (INSERT INTO police_crimes ({names}) "  # noqa: S608
        f"SELECT {names} FROM police_crimes_stage ON CONFLICT (record_key) DO NOTHING "
        "RETURNING 1) SELECT count(*) FROM added").scalar_one())
