"""Moving police.uk rows into Arrow: PostgreSQL's COPY path gives what the plain fetch gives."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from safetyhub.analytics import extract
from safetyhub.analytics.extract import Period
from safetyhub.analytics.service import import_police_file
from tests.analytics.conftest import ACTOR, DATA


def _rows(table: object) -> list[tuple[object, ...]]:
    columns = table.to_pydict()  # type: ignore[attr-defined]
    return sorted(zip(*(columns[c] for c in extract.CRIME_COLUMNS), strict=True),
                  key=repr)


@pytest.mark.parametrize("period", [None, Period("2024-02", "2024-02"), Period("2030-01",
                                                                              "2030-02")])
def test_both_ways_of_reading_the_rows_agree(fixture_data: Session,
                                             period: Period | None) -> None:
    fetched = extract._crimes_fetched(fixture_data, period, None)
    assert _rows(extract.crimes_arrow(fixture_data, period)) == _rows(fetched)
    assert extract.crimes_arrow(fixture_data, period).schema == fetched.schema
    if period is None:
        rows = _rows(fetched)
        assert rows and any(r[2] == extract.UNKNOWN_DISTRICT for r in rows)
        assert any(r[3] is None for r in rows) and any(r[4] is None for r in rows)


def test_no_rows_and_rows_with_no_district_known(session: Session) -> None:
    empty = extract.crimes_arrow(session)
    assert empty.num_rows == 0 and empty.column_names == list(extract.CRIME_COLUMNS)
    assert import_police_file(session, actor=ACTOR, path=DATA / "2024-01-test-street.csv").ok
    moved: list[int] = []
    table = extract.crimes_arrow(session, progress=moved.append)
    # Without a reference every row with an LSOA is out of the area: the rest has none.
    assert table.num_rows > 0 and sum(moved) >= table.num_rows
    assert set(table.column("lsoa_code").to_pylist()) == {None}
    assert set(table.column("district").to_pylist()) == {extract.UNKNOWN_DISTRICT}
