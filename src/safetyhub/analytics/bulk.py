"""Bulk inserts of prepared police.uk rows: each database's own bulk path, keys kept unique."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.analytics.fastpath import STORED, NotClean, prepare, unique_in_order
from safetyhub.analytics.models import PoliceCrime

COLUMNS = (*STORED, "import_id")
COPY_BATCH = 20_000
PREPARE_BATCH = 100_000
PROGRESS_STEP = 50_000  # rows between progress reports of a SQLite load
UNIQUE = ("record_key", "crime_id")  # (nearly) every value different: no point encoding


def insert(session: Session, table: pa.Table, typed: dict[str, Any], district_of: Any, *,
           import_id: uuid.UUID, alone: bool = True,
           progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Insert a checked file's rows with new keys (the first of a repeated one); (added, flagged).

    `table`, `typed` and `district_of` are what fastpath.prepare takes; `alone=False` when
    `load_alone` has already failed for this file (so it is not tried again). `progress` hears
    of the file's rows as they are done (on SQLite as the driver takes them).
    """
    if table.num_rows == 0:
        return 0, 0
    if session.get_bind().dialect.name == "postgresql":
        added, flagged = _postgres(session, table, typed, district_of, import_id, alone)
        if progress:
            progress(table.num_rows)
    else:
        rows, order = unique_in_order(prepare(table, typed, district_of))
        added = _sqlite(session, rows, order, import_id, progress)
        if progress and table.num_rows > rows.num_rows:  # repeats within the file
            progress(table.num_rows - rows.num_rows)
        flagged = _flagged(rows) if added == rows.num_rows else None
    if flagged is not None or added == 0:
        return added, flagged or 0
    # Some keys were there already: count the flagged rows this import added.
    flagged = session.scalar(select(func.count()).where(
        PoliceCrime.import_id == import_id, PoliceCrime.out_of_area)) or 0
    return added, flagged


def _flagged(rows: pa.Table) -> int:
    """How many of the rows are flagged out of area."""
    return int(pc.sum(rows.column("out_of_area")).as_py() or 0)


def _sqlite(session: Session, rows: pa.Table, order: pa.Array, import_id: uuid.UUID,
            progress: Callable[[int], None] | None) -> int:
    """The driver's executemany with INSERT OR IGNORE, in key order (B-tree appends)."""
    raw: Any = session.connection().connection.driver_connection
    columns = [_python_values(name, rows.column(name), order) for name in STORED]
    cursor = raw.cursor()
    indexes: list[tuple[str, str]] = []
    try:
        # Room for the whole load (a row and its key take well under 1 KiB; 256 MB at least,
        # 4 GB at most): pages spilled to the WAL mid-load were written twice.
        kib = min(max(262_144, rows.num_rows), 4_194_304)
        cursor.execute(f"PRAGMA cache_size=-{kib}")
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
            _told(columns, progress))
        added = int(cursor.rowcount)
        for _, sql in indexes:
            cursor.execute(sql)
        return added
    finally:
        cursor.execute("PRAGMA cache_size=-2000")
        cursor.close()


def _told(columns: list[list[Any]],
          progress: Callable[[int], None] | None) -> Iterator[tuple[Any, ...]]:
    """The columns' rows, telling `progress` of each PROGRESS_STEP rows as the driver takes
    them."""
    step = PROGRESS_STEP
    for start in range(0, len(columns[0]), step):
        part = [column[start:start + step] for column in columns]
        yield from zip(*part, strict=True)
        if progress:
            progress(len(part[0]))


def _python_values(name: str, column: pa.ChunkedArray, order: pa.Array) -> list[Any]:
    """A column's values as Python objects in `order` (repeated strings share one object)."""
    if column.type == pa.string() and len(column) and name not in UNIQUE:
        encoded = pc.dictionary_encode(column.combine_chunks())
        if len(encoded.dictionary) * 4 < len(encoded):
            values = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
            codes = encoded.indices.fill_null(len(encoded.dictionary)).to_numpy()
            return values[codes[order.to_numpy()]].tolist()  # type: ignore[no-any-return]
    return pc.take(column, order).to_pylist()  # type: ignore[no-any-return]


# Binary COPY: fixed-width fields first, so each row starts with one 47-byte block.
BINARY_COLUMNS = ("record_key", "import_id", "out_of_area", "longitude", "latitude",
                  *(name for name in STORED if name not in {
                      "record_key", "out_of_area", "longitude", "latitude"}))
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # flags and header extension: none
_TRAILER = b"\xff\xff"
_NULL_FIELD = pa.scalar(b"\xff\xff\xff\xff", pa.binary())  # length -1


def _uuid_bytes(hex_keys: pa.Array) -> np.ndarray[Any, Any]:
    """32 lower-case hex digits per value (as fastpath.record_keys makes them) as 16 bytes."""
    start = hex_keys.offset
    offsets = np.frombuffer(hex_keys.buffers()[1], np.int32, len(hex_keys) + 1, 4 * start)
    if hex_keys.null_count or offsets[-1] - offsets[0] != 32 * len(hex_keys):
        raise ValueError("record keys must be 32 hex digits each")
    digits = np.frombuffer(hex_keys.buffers()[2], np.uint8, 32 * len(hex_keys),
                           int(offsets[0])).reshape(-1, 32)
    if not np.all(((digits >= 48) & (digits <= 57)) | ((digits >= 97) & (digits <= 102))):
        raise ValueError("record keys must be lower-case hex digits")
    nibbles = (digits & 15) + 9 * (digits >> 6)  # '0'-'9' -> 0-9, 'a'-'f' -> 10-15
    return (nibbles[:, 0::2] << 4 | nibbles[:, 1::2]).astype(np.uint8)


def _binary_of(block: np.ndarray[Any, Any]) -> pa.Array:
    """Rows of a 2-D uint8 array as a binary array (one value per row)."""
    width = block.shape[1]
    offsets = np.arange(0, width * (len(block) + 1), width, dtype=np.int32)
    return pa.Array.from_buffers(pa.binary(), len(block), [
        None, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(block))])


def _float_field(values: pa.Array) -> pa.Array:
    """Each float as a binary COPY field: length 8 and the big-endian double, or -1 (null)."""
    block = np.empty((len(values), 12), np.uint8)
    _float_block(block, values)
    return pc.if_else(values.is_null(), _NULL_FIELD, _binary_of(block))


def _float_block(block: np.ndarray[Any, Any], values: pa.Array) -> None:
    """Fill 12 columns of `block` with each float's field: length 8 and the big-endian double."""
    block[:, :4] = np.frombuffer(b"\x00\x00\x00\x08", np.uint8)
    block[:, 4:] = values.fill_null(0).to_numpy().astype(">f8").view(np.uint8).reshape(-1, 8)


def _text_fields(values: pa.Array) -> list[pa.Array]:
    """Each string's binary COPY field as two values to join: its byte length (big-endian, -1
    for null) and its bytes."""
    lengths = pc.binary_length(values).fill_null(-1).to_numpy().astype(">i4")
    return [_binary_of(lengths.view(np.uint8).reshape(-1, 4)),
            pc.cast(values, pa.binary()).fill_null(b"")]


def _binary_rows(rows: pa.Table, import_id: uuid.UUID) -> memoryview:
    """The rows as the tuples of a binary COPY (no signature or trailer), joined in one pass."""
    n = rows.num_rows
    lon, lat = (rows.column(name).combine_chunks() for name in ("longitude", "latitude"))
    located = not (lon.null_count or lat.null_count)  # both floats fixed-width too
    fixed = np.empty((n, 71 if located else 47), np.uint8)  # field count, UUIDs, boolean
    fixed[:, 0:2] = np.frombuffer(len(BINARY_COLUMNS).to_bytes(2, "big"), np.uint8)
    fixed[:, 2:6] = np.frombuffer(b"\x00\x00\x00\x10", np.uint8)
    fixed[:, 6:22] = _uuid_bytes(rows.column("record_key").combine_chunks())
    fixed[:, 22:26] = np.frombuffer(b"\x00\x00\x00\x10", np.uint8)
    fixed[:, 26:42] = np.frombuffer(import_id.bytes, np.uint8)
    fixed[:, 42:46] = np.frombuffer(b"\x00\x00\x00\x01", np.uint8)
    fixed[:, 46] = rows.column("out_of_area").combine_chunks().to_numpy(zero_copy_only=False)
    if located:
        _float_block(fixed[:, 47:59], lon)
        _float_block(fixed[:, 59:71], lat)
        fields = [_binary_of(fixed)]
    else:
        fields = [_binary_of(fixed), _float_field(lon), _float_field(lat)]
    for name in BINARY_COLUMNS[5:]:
        fields += _text_fields(rows.column(name).combine_chunks())
    joined = pc.binary_join_element_wise(*fields, b"")
    offsets = np.frombuffer(joined.buffers()[1], np.int32, n + 1, 4 * joined.offset)
    data: pa.Buffer = joined.buffers()[2]
    return memoryview(data.slice(int(offsets[0]), int(offsets[-1] - offsets[0])))


def _binary_batches(parts: Iterable[pa.Table],
                    import_id: uuid.UUID) -> Iterator[bytes | memoryview]:
    """The whole binary COPY stream, a batch of rows at a time."""
    yield _SIGNATURE
    for rows in parts:
        for start in range(0, rows.num_rows, COPY_BATCH):
            yield _binary_rows(rows.slice(start, COPY_BATCH), import_id)
    yield _TRAILER


def _copy(raw: Any, table: str, parts: Iterable[pa.Table], import_id: uuid.UUID) -> None:
    """COPY the rows in (binary), encoding each batch while the server reads the one before."""
    from psycopg.copy import QueuedLibpqWriter

    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(BINARY_COLUMNS)}) FROM STDIN WITH (FORMAT binary)",
            writer=QueuedLibpqWriter(cursor)) as copy:  # a thread sends while this one encodes
        for data in _binary_batches(parts, import_id):
            copy.write(data)


def _prepared(parts: Iterable[tuple[pa.Table, dict[str, Any]]], district_of: Any,
              counts: list[tuple[int, int]]) -> Iterator[pa.Table]:
    """The rows as stored, prepared a part at a time (each part's rows and flagged rows
    counted).

    Keys are derived part by part: a row repeated across parts gets the same key in both, which
    the primary key's build then finds (and the whole file is prepared again at once).
    """
    for table, typed in parts:
        for start in range(0, table.num_rows, PREPARE_BATCH):
            rows = prepare(table.slice(start, PREPARE_BATCH),
                           {name: values.slice(start, PREPARE_BATCH)
                            for name, values in typed.items()}, district_of)
            counts.append((rows.num_rows, _flagged(rows)))
            yield rows


def loads_alone(session: Session, rows: int) -> bool:
    """Whether a PostgreSQL load of `rows` rows is at least as big as the table (by the
    planner's estimate): such a load goes in without the table's indexes, rebuilt after."""
    raw: Any = session.connection().connection.driver_connection
    estimate = raw.execute("SELECT reltuples FROM pg_class "
                           "WHERE oid = 'police_crimes'::regclass").fetchone()[0]
    return bool(rows >= max(estimate, 0))


def load_alone(session: Session, parts: Iterable[tuple[pa.Table, dict[str, Any]]],
               district_of: Any, *, import_id: uuid.UUID,
               progress: Callable[[int], None] | None = None) -> tuple[int, int] | None:
    """COPY checked parts (as fastpath.checked_parts gives them) into PostgreSQL without the
    table's indexes, preparing each while the server stores the one before, then build the
    indexes (the primary key's by one sort); (rows added, flagged), or None with nothing changed
    when a key repeats or is there already, or a part is not clean (fastpath.NotClean).

    This holds the table's lock until the import commits.
    """
    import psycopg

    raw: Any = session.connection().connection.driver_connection
    indexes = raw.execute(
        "SELECT c.relname, coalesce(pg_get_constraintdef(k.oid), "
        "pg_get_indexdef(i.indexrelid)), k.oid IS NOT NULL FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.contype = 'p' "
        "WHERE i.indrelid = 'police_crimes'::regclass "
        "ORDER BY k.oid IS NULL, c.relname").fetchall()
    counts: list[tuple[int, int]] = []

    def counted() -> Iterator[tuple[pa.Table, dict[str, Any]]]:
        for table, typed in parts:
            yield table, typed
            if progress:
                progress(table.num_rows)

    raw.execute("SAVEPOINT police_copy")
    try:
        raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for name, _, constraint in indexes:
            raw.execute(f'ALTER TABLE police_crimes DROP CONSTRAINT "{name}"' if constraint
                        else f'DROP INDEX "{name}"')
        _copy(raw, "police_crimes", _prepared(counted(), district_of, counts), import_id)
        for name, sql, constraint in indexes:
            raw.execute(f'ALTER TABLE police_crimes ADD CONSTRAINT "{name}" {sql}' if constraint
                        else sql)
        raw.execute("SET LOCAL maintenance_work_mem TO DEFAULT")
    except (psycopg.errors.UniqueViolation, NotClean):
        raw.execute("ROLLBACK TO SAVEPOINT police_copy")
        return None
    raw.execute("RELEASE SAVEPOINT police_copy")
    return sum(rows for rows, _ in counts), sum(flagged for _, flagged in counts)


def _postgres(session: Session, table: pa.Table, typed: dict[str, Any], district_of: Any,
              import_id: uuid.UUID, alone: bool) -> tuple[int, int | None]:
    """COPY straight into the table; if a key is there already, COPY to a stage and merge.

    Returns the rows added and, when every row was new, how many of them are flagged.
    """
    import psycopg

    connection = session.connection()
    raw: Any = connection.connection.driver_connection
    big = loads_alone(session, table.num_rows)
    if big and alone and (counted := load_alone(
            session, [(table, typed)], district_of, import_id=import_id)) is not None:
        return counted
    rows, order = unique_in_order(prepare(table, typed, district_of))
    rows = rows.take(order)  # key order: the primary key's B-tree grows at its right edge
    if not big:
        raw.execute("SAVEPOINT police_copy")
        try:
            _copy(raw, "police_crimes", [rows], import_id)
        except psycopg.errors.UniqueViolation:
            raw.execute("ROLLBACK TO SAVEPOINT police_copy")
        else:
            raw.execute("RELEASE SAVEPOINT police_copy")
            return rows.num_rows, _flagged(rows)
    connection.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS police_crimes_stage "
        "(LIKE police_crimes INCLUDING DEFAULTS) ON COMMIT DROP")
    connection.exec_driver_sql("TRUNCATE police_crimes_stage")
    _copy(raw, "police_crimes_stage", [rows], import_id)
    names = ", ".join(COLUMNS)
    return int(connection.exec_driver_sql(
        f"WITH added AS (INSERT INTO police_crimes ({names}) "  # noqa: S608
        f"SELECT {names} FROM police_crimes_stage ON CONFLICT (record_key) DO NOTHING "
        "RETURNING 1) SELECT count(*) FROM added").scalar_one()), None
