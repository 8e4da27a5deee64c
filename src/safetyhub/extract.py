"""The one extract layer: rows of a SELECT moved in bulk into Arrow for DuckDB jobs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import Select
from sqlalchemy.orm import Session

TEXT, TIME = pa.string(), pa.timestamp("us")


def _times(values: Sequence[Any]) -> pa.Array:
    if any(isinstance(v, str) for v in values):  # SQLite: ISO text
        return pa.array(values, TEXT).cast(pa.timestamp("us"))
    return pa.array(values, pa.timestamp("us", tz="UTC")).cast(TIME)


def arrow_table(session: Session, statement: Select[Any],
                schema: Sequence[tuple[str, pa.DataType]]) -> pa.Table:
    """The rows of `statement` as an Arrow table of `schema` (one column per selected item).

    Rows come straight off the driver's cursor: no result rows, no per-value processing.
    """
    result = session.connection().execute(statement)
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [
        () for _ in schema]
    return pa.table({
        name: _times(values) if kind == TIME else pa.array(values, kind)
        for (name, kind), values in zip(schema, columns, strict=True)})
