"""The vectorised import path: a whole police.uk file read and checked with Arrow at once.

It accepts only what the row-by-row checks (`imports.check_row`) would accept, and is stricter
where that is cheaper (coordinates as plain decimals, no spaces around any value): a file it
does not accept goes through the row-by-row path, which gives the readable error report.
A big load into PostgreSQL reads the file a part at a time (`checked_parts`), so the server
stores one part while the next is checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from hashlib import sha256
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

from safetyhub.analytics.imports import LIMITS, POLICE_COLUMNS

# Every character Python's str.strip() might remove from either end of a cell (a superset).
_EDGE = "".join(chr(c) for c in (*range(0x21), *range(0x7f, 0xa1), 0x1680, *range(0x2000, 0x200b),
                                 0x2028, 0x2029, 0x202f, 0x205f, 0x3000))
_PATTERNS = {
    "Crime ID": "^([0-9a-f]{64})?$",
    "Month": "^[0-9]{4}-(0[1-9]|1[0-2])$",
    "Longitude": "^(-?[0-9]{1,3}([.][0-9]{1,15})?)?$",
    "Latitude": "^(-?[0-9]{1,2}([.][0-9]{1,15})?)?$",
    "LSOA code": "^([EW]0[0-9]{7})?$",
}
STREAM_BLOCK = 1 << 24  # bytes of CSV parsed at a time when a file is streamed
_NULL = pa.scalar(None, pa.string())  # a typed null: an untyped one takes a slow path
STORED = ("record_key", "crime_id", "month", "reported_by", "falls_within", "longitude",
          "latitude", "location", "lsoa_code", "lsoa_name", "district", "crime_type",
          "last_outcome", "context", "out_of_area")


class NotClean(Exception):
    """A streamed part of a file failed a vectorised check (the file goes the whole-file way)."""


@dataclass(frozen=True)
class Source:
    """A file's bytes and how many rows its lines promise (exact unless a value holds a line
    break)."""

    data: bytes
    rows: int


def load(path: Path) -> Source | None:
    """The file's bytes and line count, or None when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    return Source(data, max(lines - 1, 0))


def _convert_options() -> pacsv.ConvertOptions:
    """Every cell as a string, blank as "" (never null), UTF-8 checked."""
    return pacsv.ConvertOptions(column_types={c: pa.string() for c in POLICE_COLUMNS},
                                strings_can_be_null=False, quoted_strings_can_be_null=False,
                                check_utf8=True)


def read_table(file: Path | Source | None) -> pa.Table | None:
    """The file's cells as strings (blank is ""), or None when Arrow cannot read it as given
    (or the file could not be loaded)."""
    source = load(file) if isinstance(file, Path) else file
    if source is None:
        return None
    try:
        # Values with line breaks need the slower parser; a file with none (the line count
        # matches the rows) is read with the faster one.
        table = pacsv.read_csv(pa.BufferReader(source.data), convert_options=_convert_options())
        if table.num_rows != source.rows:
            table = pacsv.read_csv(pa.BufferReader(source.data),
                                   convert_options=_convert_options(),
                                   parse_options=pacsv.ParseOptions(newlines_in_values=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    if tuple(table.column_names) != POLICE_COLUMNS:
        return None
    return table.combine_chunks()


def checked_parts(source: Source) -> Iterator[tuple[pa.Table, dict[str, Any]]]:
    """The file's rows a block at a time, each part with its typed columns as `clean` gives
    them; raises NotClean at the first part that fails a check, or at the end when a value held
    a line break (the whole-file reader parses those)."""
    try:
        reader = pacsv.open_csv(pa.BufferReader(source.data),
                                read_options=pacsv.ReadOptions(block_size=STREAM_BLOCK),
                                convert_options=_convert_options())
        if tuple(reader.schema.names) != POLICE_COLUMNS:
            raise NotClean("not the police.uk columns")
        seen = 0
        for batch in reader:
            part = pa.Table.from_batches([batch])
            typed = clean(part)
            if typed is None:
                raise NotClean("a row the vectorised checks do not accept")
            seen += part.num_rows
            yield part, typed
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError) as error:
        raise NotClean(str(error)) from error
    if seen != source.rows:
        raise NotClean("a value holds a line break")


def _coordinate(column: pa.ChunkedArray, low: float, high: float) -> pa.Array | None:
    """Floats (null when blank) when every value is in range, else None."""
    values = pc.cast(pc.if_else(pc.equal(column, ""), _NULL, column), pa.float64())
    if pc.any(pc.or_(pc.less(values, low), pc.greater(values, high))).as_py():
        return None
    return values


def _column_ok(table: pa.Table, name: str) -> bool:
    """Whether every cell of a column has no edge spaces, fits its pattern and its limit."""
    column = table.column(name)
    trimmed = pc.binary_length(pc.utf8_trim(column, _EDGE))
    if pc.any(pc.not_equal(trimmed, pc.binary_length(column))).as_py():
        return False
    pattern = _PATTERNS.get(name)
    if pattern and not pc.all(pc.match_substring_regex(column, pattern)).as_py():
        return False
    limit = LIMITS.get(name)
    return not (limit and table.num_rows and pc.max(pc.utf8_length(column)).as_py() > limit)


def clean(table: pa.Table) -> dict[str, Any] | None:
    """The typed columns when every row passes every check, else None (go row by row)."""
    # Arrow's kernels let go of the GIL: two columns are checked at a time.
    with ThreadPoolExecutor(max_workers=2) as pool:
        if not all(pool.map(partial(_column_ok, table), POLICE_COLUMNS)):
            return None
    for name in ("Crime type", "Reported by"):
        if pc.any(pc.equal(table.column(name), "")).as_py():
            return None
    lon = _coordinate(table.column("Longitude"), -180, 180)
    lat = _coordinate(table.column("Latitude"), -90, 90)
    if lon is None or lat is None:
        return None
    if not pc.all(pc.equal(pc.is_null(lon), pc.is_null(lat))).as_py():
        return None
    return {"longitude": lon, "latitude": lat}


def record_keys(table: pa.Table) -> pa.Array:
    """Each row's stored key as 32 hex digits: imports.stored_key of its Crime ID or row_key."""
    ids = table.column("Crime ID").combine_chunks()
    blank_mask = pc.equal(ids, "")
    keys = pc.utf8_slice_codeunits(ids, 0, 32)
    blank = pc.indices_nonzero(blank_mask).to_pylist()
    if not blank:
        return keys
    subset = table.take(blank)
    # No value has spaces around it (checked), so joining the raw cells is what row_key does;
    # as bytes, the first occurrence's suffix already on (the usual case: every row once).
    joined = pc.cast(pc.binary_join_element_wise(
        *(subset.column(n) for n in POLICE_COLUMNS), "\x1f"), pa.binary())
    contents = pc.binary_join_element_wise(joined, pa.scalar(b"\x1e0", pa.binary()), b"")
    derived = [sha256(content).hexdigest()[:32] for content in contents.to_pylist()]
    if len(set(derived)) != len(derived):  # a row repeated: its later copies count on
        occurrences: Counter[bytes] = Counter()
        derived = []
        for content in joined.to_pylist():
            seen = occurrences[content]
            occurrences[content] = seen + 1
            derived.append(sha256(content + b"\x1e" + str(seen).encode()).hexdigest()[:32])
    return pc.replace_with_mask(keys, blank_mask, pa.array(derived, pa.string()))


def key_order(keys: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, bool]:
    """The order that sorts the keys (32 lower-case hex digits each), and whether one repeats.

    The first 16 digits become a 64-bit number in numpy: sorting those is faster than Arrow
    sorting (or hashing) a million strings.
    """
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    start = keys.offset
    offsets = np.frombuffer(keys.buffers()[1], np.int32, len(keys) + 1, 4 * start)
    if keys.null_count or offsets[-1] - offsets[0] != 32 * len(keys):
        order = pc.sort_indices(keys)
        return order, pc.count_distinct(keys).as_py() != len(keys)
    digits = np.frombuffer(keys.buffers()[2], np.uint8, 32 * len(keys),
                           int(offsets[0])).reshape(-1, 32)
    words = digits.view(">u8")  # four numbers ordered as the text is
    first = digits[:, :16]
    nibbles = (first & 15) + 9 * (first >> 6)  # '0'-'9' -> 0-9, 'a'-'f' -> 10-15
    high = (nibbles[:, 0::2] << 4 | nibbles[:, 1::2]).astype(np.uint8).view(">u8")[:, 0]
    order = np.argsort(high)
    if np.any(high[order][1:] == high[order][:-1]):  # first halves alike: sort by all
        order = np.lexsort((words[:, 3], words[:, 2], words[:, 1], words[:, 0]))
    ordered = words[order]
    repeats = bool(np.any(np.all(ordered[1:] == ordered[:-1], axis=1)))
    return pa.array(order), repeats


def unique_in_order(stored: pa.Table) -> tuple[pa.Table, pa.Array]:
    """The stored rows with the first occurrence of each key only, and their key order."""
    keys = stored.column("record_key")
    order, repeats = key_order(keys)
    if repeats:
        seen: set[str] = set()
        keep = pa.array([not (k in seen or seen.add(k))  # type: ignore[func-returns-value]
                         for k in keys.to_pylist()])
        stored = stored.filter(keep)
        order = key_order(stored.column("record_key"))[0]
    return stored, order


def prepare(table: pa.Table, typed: dict[str, Any], district_of: Any) -> pa.Table:
    """The rows as stored (keys, districts, flags); a key may repeat (see unique_in_order)."""
    keys = record_keys(table)
    code, name = table.column("LSOA code"), table.column("LSOA name")
    pairs = pc.dictionary_encode(pc.binary_join_element_wise(code, name, "\x1f")).combine_chunks()

    def lookup(pair: str) -> str | None:
        lsoa, lsoa_name = pair.split("\x1f", 1)
        return district_of(lsoa or None, lsoa_name)  # type: ignore[no-any-return]

    districts = pa.array([lookup(p) for p in pairs.dictionary.to_pylist()], pa.string())
    district = pc.take(districts, pairs.indices)
    blank = pc.equal(code, "")
    out_of_area = pc.or_(pc.not_equal(table.column("Falls within"), table.column("Reported by")),
                         pc.and_(pc.invert(blank), pc.is_null(district)))
    return pa.table({
        "record_key": keys,
        "crime_id": pc.if_else(pc.equal(table.column("Crime ID"), ""), _NULL,
                               table.column("Crime ID")),
        "month": table.column("Month"), "reported_by": table.column("Reported by"),
        "falls_within": table.column("Falls within"),
        "longitude": typed["longitude"], "latitude": typed["latitude"],
        "location": table.column("Location"),
        "lsoa_code": pc.if_else(blank, _NULL, code), "lsoa_name": name,
        "district": district, "crime_type": table.column("Crime type"),
        "last_outcome": table.column("Last outcome category"),
        "context": table.column("Context"), "out_of_area": out_of_area,
    })
