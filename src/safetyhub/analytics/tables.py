"""Cross-tables of published figures (rows x months with totals), for pages, CSV and reports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from safetyhub.analytics.disclosure import Figure, Key
from safetyhub.analytics.picture import DIMENSIONS


@dataclass(frozen=True)
class CrossTable:
    """Rows of one dimension against months, each cell and total as published."""

    row_dimension: str
    months: list[str]
    rows: list[tuple[str, list[Figure], Figure]]
    month_totals: list[Figure]
    total: Figure

    def csv(self, row_heading: str, total_heading: str = "Total",
            all_heading: str = "All") -> str:
        """The table exactly as shown, as CSV."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([row_heading, *self.months, total_heading])
        for label, cells, total in self.rows:
            writer.writerow([label, *(c.shown for c in cells), total.shown])
        writer.writerow([all_heading, *(c.shown for c in self.month_totals), self.total.shown])
        return out.getvalue()


def _key(**values: str | None) -> Key:
    return tuple(values.get(d) for d in DIMENSIONS)


def cross_table(cube: dict[Key, Figure], row_dimension: str | None) -> CrossTable:
    """Rows of `row_dimension` (district or category; None for the county) against months."""
    zero = Figure(0)
    months = sorted({k[1] for k in cube if k[1] is not None})
    labels: list[str] = []
    if row_dimension is not None:
        position = DIMENSIONS.index(row_dimension)
        labels = sorted({str(k[position]) for k in cube if k[position] is not None})
    rows = [
        (label,
         [cube.get(_key(month=m, **{row_dimension: label}), zero) for m in months],
         cube.get(_key(**{row_dimension: label}), zero))
        for label in labels if row_dimension is not None
    ]
    return CrossTable(row_dimension or "county", months, rows,
                      [cube.get(_key(month=m), zero) for m in months], cube.get(_key(), zero))
