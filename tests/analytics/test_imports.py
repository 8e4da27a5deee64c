"""police.uk and reference imports: counts, idempotence, rejection of bad files, flags."""

from __future__ import annotations

import csv
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from safetyhub.analytics import surrey
from safetyhub.analytics.models import LsoaReference, PoliceCrime, PoliceCrimeImport
from safetyhub.analytics.service import import_police_file, import_reference, police_files
from safetyhub.audit.models import AuditEvent
from tests.analytics.conftest import ACTOR, DATA, load_fixture_data, shared_data

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context\n")
GOOD = (",2024-01,Surrey Police,Surrey Police,-0.57,51.24,On or near A Road,E01030001,"
        "Guildford 001A,Anti-social behaviour,,\n")


def _types(session: Session) -> Counter[str]:
    rows = session.execute(select(PoliceCrime.crime_type, func.count())
                           .group_by(PoliceCrime.crime_type)).tuples()
    return Counter(dict(rows.all()))


def _csv_types(paths: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            counts.update(row["Crime type"] for row in csv.DictReader(handle))
    return counts


def _real_reference(session: Session, folder: Path) -> None:
    import_reference(session, actor=ACTOR, imd_path=folder / "imd2019_england_lsoa.csv",
                     population_path=folder / "iod2019_population_lsoa.csv")


def test_a_real_surrey_month_counts_per_crime_type_equal_the_csv(
    session: Session, surrey_folder: Path
) -> None:
    _real_reference(session, surrey_folder)
    path = surrey_folder / "police-uk" / "2024-01-surrey-street.csv"
    assert import_police_file(session, actor=ACTOR, path=path).ok
    expected = _csv_types([path])
    assert sum(expected.values()) == 7143
    assert _types(session) == expected
    assert import_police_file(session, actor=ACTOR, path=path).added == 0
    assert _types(session) == expected
    flagged = session.scalar(select(func.count()).where(PoliceCrime.out_of_area))
    assert flagged and 0 < flagged < 300


def test_all_real_surrey_months_count_per_crime_type_equal_the_csv(
    session: Session, surrey_folder: Path
) -> None:
    _real_reference(session, surrey_folder)
    files = police_files([surrey_folder / "police-uk"])
    for path in files:
        assert import_police_file(session, actor=ACTOR, path=path).ok
    expected = _csv_types(files)
    assert sum(expected.values()) == 28287
    assert _types(session) == expected
    again = [import_police_file(session, actor=ACTOR, path=path) for path in files]
    assert [r.added for r in again] == [0, 0, 0, 0]
    assert _types(session) == expected
    flagged = session.scalar(select(func.count()).where(PoliceCrime.out_of_area))
    assert flagged and 0 < flagged < 1000


def test_the_shipped_surrey_data_is_the_shared_data_unchanged(surrey_folder: Path) -> None:
    shared = shared_data()
    for month in surrey.MONTHS:
        name = f"police-uk/{month}-surrey-street.csv"
        assert (surrey_folder / name).read_bytes() == (shared / name).read_bytes(), name
    for name in surrey.REFERENCE.values():  # Surrey's rows of each, as published
        with (shared / name).open(encoding="utf-8") as whole:
            published = set(whole)
        shipped = (surrey_folder / name).read_text(encoding="utf-8").splitlines(True)
        assert len(shipped) == 710 and set(shipped) <= published, name


def test_fixture_import_counts_keys_and_flags(session: Session) -> None:
    load_fixture_data(session)
    files = sorted(DATA.glob("2024-*-test-street.csv"))
    assert _types(session) == _csv_types(files)
    # Identical ASB rows are both kept (occurrence index in the derived key).
    twins = session.scalar(select(func.count()).where(
        PoliceCrime.location == "On or near High Street"))
    assert twins == 4
    crawley = session.scalars(select(PoliceCrime).where(PoliceCrime.lsoa_code == "E01030004"))
    assert all(row.out_of_area for row in crawley)
    # A 2021 LSOA missing from the 2011 reference gets its district from its name.
    new_lsoa = session.scalars(select(PoliceCrime).where(PoliceCrime.lsoa_code == "E01039999"))
    assert {(row.district, row.out_of_area) for row in new_lsoa} == {("Woking", False)}
    no_location = session.scalars(select(PoliceCrime).where(PoliceCrime.lsoa_code.is_(None)))
    assert {row.out_of_area for row in no_location} == {False}
    assert session.scalar(select(func.count()).where(
        AuditEvent.action == "police_uk.import")) == 2


def test_reimport_adds_nothing(session: Session) -> None:
    load_fixture_data(session)
    before = session.scalar(select(func.count()).select_from(PoliceCrime))
    for path in sorted(DATA.glob("2024-*-test-street.csv")):
        report = import_police_file(session, actor=ACTOR, path=path)
        assert report.ok and report.added == 0
    assert session.scalar(select(func.count()).select_from(PoliceCrime)) == before


def test_a_reference_imported_later_judges_earlier_rows_again(session: Session) -> None:
    for path in sorted(DATA.glob("2024-*-test-street.csv")):
        assert import_police_file(session, actor=ACTOR, path=path).ok
    located = select(PoliceCrime).where(PoliceCrime.lsoa_code.is_not(None))
    assert {(r.district, r.out_of_area) for r in session.scalars(located)} == {(None, True)}
    import_reference(session, actor=ACTOR, imd_path=DATA / "imd.csv",
                     population_path=DATA / "population.csv", districts=("Guildford", "Woking"))
    session.expire_all()
    judged = {(r.lsoa_code, r.district, r.out_of_area) for r in session.scalars(located)}
    assert ("E01030001", "Guildford", False) in judged
    assert ("E01039999", "Woking", False) in judged  # by the 2021 LSOA's name
    assert {(d, flag) for code, d, flag in judged if code == "E01030004"} == {(None, True)}
    assert all(flag == (d is None) for _, d, flag in judged)


def test_reference_reads_thousands_separators(session: Session) -> None:
    count = import_reference(session, actor=ACTOR, imd_path=DATA / "imd.csv",
                             population_path=DATA / "population.csv",
                             districts=("Guildford", "Woking"))
    assert count == 3
    row = session.get(LsoaReference, "E01030001")
    assert row is not None
    assert (row.population, row.imd_decile, row.district) == (1296, 1, "Guildford")


def _bad_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_files_are_rejected_with_row_errors_and_change_nothing(
    session: Session, tmp_path: Path
) -> None:
    load_fixture_data(session)
    before = session.scalar(select(func.count()).select_from(PoliceCrime))
    audit_before = session.scalar(select(func.count()).select_from(AuditEvent))
    cases = {
        "header.csv": ("Crime,Month\n" + GOOD, 1, "(header)"),
        "coords.csv": (HEADER + GOOD + GOOD.replace("-0.57", "west"), 3, "Longitude"),
        "month.csv": (HEADER + GOOD + GOOD.replace("2024-01", "Jan 2024"), 3, "Month"),
        "truncated.csv": (HEADER + GOOD + GOOD + ",2024-01,Surrey Police,Surrey", 4, "(row)"),
    }
    for name, (text, row, column) in cases.items():
        report = import_police_file(session, actor=ACTOR, path=_bad_file(tmp_path, name, text))
        assert not report.ok, name
        assert (report.errors[0].row, report.errors[0].column) == (row, column), name
        assert report.errors[0].problem
        assert report.added == 0
    assert session.scalar(select(func.count()).select_from(PoliceCrime)) == before
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


def test_a_file_overlapping_an_earlier_import_adds_only_its_new_rows(
    session: Session, tmp_path: Path
) -> None:
    load_fixture_data(session)
    first = DATA / "2024-01-test-street.csv"
    before = session.scalar(select(func.count()).select_from(PoliceCrime)) or 0
    extra = GOOD.replace("A Road", "B Road").replace("E01030001", "E01030002")
    path = _bad_file(tmp_path, "2024-01-more-street.csv",
                     first.read_text(encoding="utf-8") + extra + extra)
    report = import_police_file(session, actor=ACTOR, path=path)
    assert report.ok and report.added == 2
    assert session.scalar(select(func.count()).select_from(PoliceCrime)) == before + 2


def test_the_fast_path_and_the_row_by_row_path_derive_the_same_keys(tmp_path: Path) -> None:
    from safetyhub.analytics import fastpath, imports

    path = DATA / "2024-01-test-street.csv"
    table = fastpath.read_table(path)
    assert table is not None
    typed = fastpath.clean(table)
    assert typed is not None
    fast = fastpath.prepare(table, typed, lambda code, name: None)
    check = imports.FileCheck(path=path)
    slow = {row["record_key"] for row in imports.read_police_file(path, check)}
    assert {uuid.UUID(key) for key in fast.column("record_key").to_pylist()} == slow
    spaced = _bad_file(tmp_path, "spaced.csv", HEADER + GOOD.replace(",2024-01", ", 2024-01"))
    spaced_table = fastpath.read_table(spaced)
    assert spaced_table is not None and fastpath.clean(spaced_table) is None  # row by row


@pytest.mark.parametrize("edge", ["\u3000", "\x85", "\u00a0", "\t"])
def test_the_fast_path_leaves_cells_with_any_edge_space_to_the_row_by_row_path(
    tmp_path: Path, edge: str
) -> None:
    from safetyhub.analytics import fastpath

    for text in (GOOD.replace("A Road", f"A Road{edge}"), GOOD.replace("On or", f"{edge}On or")):
        path = _bad_file(tmp_path, "edge.csv", HEADER + text)
        table = fastpath.read_table(path)
        assert table is not None and fastpath.clean(table) is None
    plain = fastpath.read_table(_bad_file(tmp_path, "plain.csv", HEADER + GOOD))
    assert plain is not None and fastpath.clean(plain) is not None


def test_a_file_name_with_quotes_is_stored_as_it_is(session: Session, tmp_path: Path) -> None:
    name = "2024-01-o'brien's \"copy\"-street.csv"
    path = _bad_file(tmp_path, name, (DATA / "2024-01-test-street.csv").read_text("utf-8"))
    report = import_police_file(session, actor=ACTOR, path=path)
    assert report.ok and report.added > 0
    assert set(session.scalars(select(PoliceCrimeImport.source_file).join(
        PoliceCrime, PoliceCrime.import_id == PoliceCrimeImport.id).distinct())) == {name}


def test_a_crime_id_twice_in_a_file_is_stored_once_as_its_first_row(
    session: Session, tmp_path: Path
) -> None:
    crime = "ab" * 32
    first = GOOD.replace(",2024-01", f"{crime},2024-01", 1).replace("Anti-social behaviour",
                                                                    "Burglary")
    second = first.replace("A Road", "B Road")
    path = _bad_file(tmp_path, "2024-01-twice-street.csv", HEADER + first + second + GOOD)
    report = import_police_file(session, actor=ACTOR, path=path)
    assert report.ok and report.added == 2
    row = session.scalars(select(PoliceCrime).where(PoliceCrime.crime_id == crime)).one()
    assert row.location == "On or near A Road"
    assert row.record_key == uuid.UUID(crime[:32])
    again = import_police_file(session, actor=ACTOR, path=path)
    assert again.ok and again.added == 0


def test_key_order_sorts_and_finds_repeats_like_arrow() -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    from safetyhub.analytics.fastpath import key_order

    keys = pa.array([uuid.uuid4().hex for _ in range(500)] + ["0" * 31 + "1", "0" * 32])
    order, repeats = key_order(keys.slice(3))
    assert pc.take(keys.slice(3), order).to_pylist() == sorted(keys.slice(3).to_pylist())
    assert not repeats
    alike = pa.array(["f" * 16 + "0" * 16, "f" * 16 + "1" * 16, "f" * 16 + "0" * 16])
    assert key_order(alike)[1]
    assert pc.take(alike, key_order(alike)[0]).to_pylist() == sorted(alike.to_pylist())


def _stored(session: Session) -> list[tuple[object, ...]]:
    columns = [c for c in PoliceCrime.__table__.columns if c.name != "import_id"]
    return [tuple(row) for row in session.execute(
        select(*columns).order_by(PoliceCrime.record_key)).all()]


@pytest.mark.parametrize("unplaced", [True, False], ids=["a row without place", "all placed"])
def test_the_fast_path_stores_every_value_as_the_row_by_row_path_does(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unplaced: bool
) -> None:
    from sqlalchemy import delete

    from safetyhub.analytics import fastpath

    import_reference(session, actor=ACTOR, imd_path=DATA / "imd.csv",
                     population_path=DATA / "population.csv", districts=("Guildford", "Woking"))
    odd = (",2024-02,Surrey Police,Thames Valley Police,,,No location,,,Other crime,,\n"
           "%s,2024-03,Surrey Police,Surrey Police,-0.5,51.2,\"On or near \"\"Ünïcode\"\" Rd\","
           "E01030001,Guildford 001A,Burglary,Under investigation,Ctx\n" % ("ab" * 32))
    lines = (DATA / "2024-01-test-street.csv").read_text(encoding="utf-8").splitlines(True)
    if not unplaced:  # every row has coordinates (binary COPY writes them fixed-width)
        odd = odd.split("\n", 1)[1]
        lines = [line for line in lines if next(csv.reader([line]))[4]]
    path = _bad_file(tmp_path, "2024-01-mixed-street.csv", "".join(lines) + odd)
    table = fastpath.read_table(path)
    assert table is not None and fastpath.clean(table) is not None  # the fast path takes it
    assert import_police_file(session, actor=ACTOR, path=path).ok
    fast = _stored(session)
    session.execute(delete(PoliceCrime))
    monkeypatch.setattr(fastpath, "clean", lambda table: None)
    assert import_police_file(session, actor=ACTOR, path=path).ok
    assert _stored(session) == fast and len(fast) > 2


def test_a_row_repeated_across_parts_of_a_big_load_gets_the_row_by_row_keys(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetyhub.analytics import bulk, fastpath, imports

    monkeypatch.setattr(bulk, "PREPARE_BATCH", 2)  # parts of two rows: the repeat spans parts
    _streamed(session)
    other = GOOD.replace("A Road", "C Road")
    path = _bad_file(tmp_path, "2024-01-parts-street.csv",
                     HEADER + GOOD + other + other + GOOD + GOOD)
    report = import_police_file(session, actor=ACTOR, path=path)
    assert report.ok and report.added == 5
    check = imports.FileCheck(path=path)
    expected = {row["record_key"] for row in imports.read_police_file(path, check)}
    assert set(session.scalars(select(PoliceCrime.record_key))) == expected
    assert fastpath.read_table(path) is not None
    assert import_police_file(session, actor=ACTOR, path=path).added == 0


def _rows(count: int) -> str:
    return "".join(GOOD.replace("A Road", f"Road {i}") for i in range(count))


def _streamed(session: Session) -> bool:
    """Whether a load into the (empty) table is streamed: PostgreSQL, with the planner's
    estimate of the empty table (not an earlier test's)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(sql("ANALYZE police_crimes"))
    return True


def test_a_big_file_reports_progress_as_its_rows_go_in_and_stores_every_row(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetyhub.analytics import bulk, fastpath

    monkeypatch.setattr(fastpath, "STREAM_BLOCK", 600)  # a few rows a part
    monkeypatch.setattr(bulk, "PROGRESS_STEP", 7)  # SQLite: told every 7 rows
    _streamed(session)
    path = _bad_file(tmp_path, "2024-01-parts-street.csv", HEADER + _rows(30))
    steps: list[int] = []
    report = import_police_file(session, actor=ACTOR, path=path, progress=steps.append)
    assert report.ok and (report.rows, report.added) == (30, 30)
    assert sum(steps) == 30
    assert session.scalar(select(func.count()).select_from(PoliceCrime)) == 30
    assert len(steps) > 1  # the bar moves as the rows go in, not once at the end


def test_a_bad_row_in_a_late_part_rejects_the_whole_file_with_its_row_number(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetyhub.analytics import fastpath

    monkeypatch.setattr(fastpath, "STREAM_BLOCK", 600)
    _streamed(session)
    late = HEADER + _rows(30) + GOOD.replace("2024-01", "2024-13")
    report = import_police_file(session, actor=ACTOR,
                                path=_bad_file(tmp_path, "2024-01-late-street.csv", late))
    assert not report.ok and report.added == 0
    assert (report.errors[0].row, report.errors[0].column) == (32, "Month")
    assert session.scalar(select(func.count()).select_from(PoliceCrime)) == 0
    assert session.scalar(select(func.count()).select_from(PoliceCrimeImport)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_value_with_a_line_break_is_stored_whole(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetyhub.analytics import fastpath

    monkeypatch.setattr(fastpath, "STREAM_BLOCK", 600)
    _streamed(session)
    broken = GOOD.replace("On or near A Road", '"On or near A\nRoad"')
    path = _bad_file(tmp_path, "2024-01-break-street.csv", HEADER + _rows(10) + broken)
    report = import_police_file(session, actor=ACTOR, path=path)
    assert report.ok and report.added == 11
    assert session.scalar(select(func.count()).where(
        PoliceCrime.location == "On or near A\nRoad")) == 1
