"""Importing and exporting HSDS: exact counts, readable errors, all or nothing, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.models import Role, User
from safetyhub.errors import InvalidInput, PayloadTooLarge, PermissionDenied
from safetyhub.referrals.directory import export, hsds, service
from safetyhub.referrals.directory.demo import sample_bytes, seed_demo
from safetyhub.referrals.directory.hsds import ImportRejected
from safetyhub.referrals.directory.models import DirectoryOrganization, DirectoryService
from tests.cases.helpers import Partnership, audit_events, summary
from tests.factories import actor
from tests.referrals.directory.conftest import Directory
from tests.referrals.directory.helpers import (
    as_zip,
    counts,
    csv_bytes,
    json_bytes,
    one_service,
    small_csv,
)


def _import(session: Session, user: User, tables: hsds.Tables) -> service.ImportResult:
    return service.import_directory(session, actor=actor(user), tables=tables)


def test_the_sample_json_imports_with_exact_counts(session: Session, office_user: User) -> None:
    result = _import(session, office_user, hsds.read_json("surrey.json", sample_bytes()))
    assert (result.organizations, result.services, result.locations, result.taxonomy_terms,
            result.service_at_locations) == (6, 6, 6, 6, 8)
    assert counts(session) == (6, 6, 6, 6, 8, 1)
    [event] = audit_events(session, "import_service_directory")
    assert summary(event)["after"]["services_added"] == 6


def test_a_small_csv_set_imports_with_exact_counts(session: Session, office_user: User) -> None:
    result = _import(session, office_user, hsds.read_csv_files(small_csv()))
    assert (result.organizations, result.services, result.locations, result.taxonomy_terms,
            result.service_at_locations) == (2, 3, 2, 2, 3)
    assert counts(session)[:5] == (2, 3, 2, 2, 3)
    vs = session.scalars(select(DirectoryService).where(DirectoryService.hsds_id == "svc-vs")).one()
    assert (vs.needs, vs.service_areas, vs.phones) == (
        "|victim-support|", "|Guildford|Woking|", "01483 000202")


def test_a_zip_of_csv_tables_imports(session: Session, office_user: User) -> None:
    _import(session, office_user, hsds.read_upload("directory.zip", as_zip(small_csv())))
    assert counts(session)[:5] == (2, 3, 2, 2, 3)


def test_reimporting_the_same_file_changes_nothing(session: Session, office_user: User) -> None:
    _import(session, office_user, hsds.read_csv_files(small_csv()))
    pairs = select(DirectoryService.hsds_id, DirectoryService.id)
    ids = dict(session.execute(pairs).tuples().all())
    again = _import(session, office_user, hsds.read_csv_files(small_csv()))
    assert (again.services_added, again.services_updated) == (0, 0)
    assert counts(session)[:5] == (2, 3, 2, 2, 3)
    assert dict(session.execute(pairs).tuples().all()) == ids


def test_reimport_updates_by_hsds_id(session: Session, office_user: User) -> None:
    _import(session, office_user, hsds.read_json("a.json", json_bytes(one_service())))
    result = _import(session, office_user, hsds.read_json("a.json", json_bytes(
        one_service(name="Housing and homelessness advice"))))
    assert (result.services_added, result.services_updated) == (0, 1)
    assert session.scalars(select(DirectoryService.name)).one() == (
        "Housing and homelessness advice")


@pytest.mark.parametrize(("files", "where"), [
    ({"services.csv": csv_bytes("id,organization_id,name,status",
                                "svc-vs,org-vs,,active")},
     "services.csv, row 2, name: is required"),
    ({"services.csv": csv_bytes("id,organization_id,name,status",
                                "svc-vs,org-nope,Victim support,active")},
     "services.csv, row 2, organization_id: refers to 'org-nope', which is not in "
     "organizations"),
    ({"service_at_location.csv": csv_bytes("id,service_id,location_id", "s1,svc-vs,loc-x")},
     "service_at_location.csv, row 2, location_id: refers to 'loc-x', which is not in "
     "locations"),
    ({"services.csv": csv_bytes("id,organization_id,name,status",
                                "svc-vs,org-vs,Victim support,open")},
     "services.csv, row 2, status: must be one of"),
    ({"organizations.csv": csv_bytes("id,name,description,website",
                                     "org-vs,VS,Support,javascript:alert(1)")},
     "organizations.csv, row 2, website: must be a web address"),
    ({"locations.csv": csv_bytes("id,name,latitude", "loc-gu,Hub,north")},
     "locations.csv, row 2, latitude: must be a number"),
    ({"services.csv": b'id,organization_id,name,status\r\n"svc-vs,org-vs,VS,active\r\n'},
     "services.csv, line 2, -: is not well-formed CSV"),
    ({"phones.csv": csv_bytes("id,service_id,number", "p1,svc-vs,0148,extra")},
     "phones.csv, row 2, -: has more values than the header has columns"),
    ({"organizations.csv": None}, "organizations.csv, whole file, -: is missing"),
    ({"notes.csv": b"a\r\n"}, "notes.csv, whole file, -: is not an HSDS table"),
    ({"services.csv": b"\xff\xfe bad"}, "services.csv, whole file, -: is not UTF-8 text"),
])
def test_an_invalid_csv_set_is_refused_whole_with_where_and_why(
    session: Session, office_user: User, files: dict[str, bytes | None], where: str
) -> None:
    before = counts(session)
    with pytest.raises(ImportRejected) as refused:
        _import(session, office_user, hsds.read_csv_files(small_csv(**files)))
    assert where in refused.value.detail
    assert counts(session) == before  # nothing stored, not even part of the file


@pytest.mark.parametrize(("data", "where"), [
    (b'[{"id": "svc-1",', "a.json, line 1, -: is not well-formed JSON"),
    (b'{"services": 3}', "a.json, whole file, -: must be a list"),
    (json_bytes(one_service(status=None)), "a.json, services[0], status: is required"),
    (json_bytes(one_service(organization_id="org-2")),
     "a.json, services[0], organization_id: refers to 'org-2'"),
    (json_bytes(one_service(), one_service()), "a.json, services[1], id: repeats id 'svc-1'"),
    (json_bytes(one_service(phones="01483")), "a.json, services[0], phones: must be a list"),
])
def test_an_invalid_json_file_is_refused_whole(
    session: Session, office_user: User, data: bytes, where: str
) -> None:
    before = counts(session)
    with pytest.raises(ImportRejected) as refused:
        _import(session, office_user, hsds.read_json("a.json", data))
    assert where in refused.value.detail
    assert refused.value.errors[0].keys() == {"file", "record", "field", "problem"}
    assert counts(session) == before


def test_an_oversized_file_is_refused_before_reading(
    session: Session, office_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hsds, "MAX_IMPORT_BYTES", 1000)
    with pytest.raises(PayloadTooLarge):
        hsds.read_json("big.json", b" " * 1001)
    with pytest.raises(PayloadTooLarge):
        hsds.read_csv_files({"services.csv": b"x" * 1001})
    monkeypatch.setattr(hsds, "MAX_ROWS_PER_TABLE", 2)
    with pytest.raises(PayloadTooLarge):
        hsds.read_csv_files(small_csv())
    assert counts(session) == (0, 0, 0, 0, 0, 0)


def test_only_the_partnership_office_imports(session: Session, world: Partnership) -> None:
    with pytest.raises(PermissionDenied):
        _import(session, world.police_user, hsds.read_csv_files(small_csv()))
    assert counts(session) == (0, 0, 0, 0, 0, 0)


def test_admins_may_import(session: Session, world: Partnership) -> None:
    from tests.factories import make_user

    admin = make_user(session, world.council, Role.admin)
    assert _import(session, admin, hsds.read_csv_files(small_csv())).services == 3


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_export_then_reimport_round_trips(
    session: Session, directory: Directory, tmp_path: Path, kind: str
) -> None:
    before = counts(session)[:5]
    office = actor(directory.office_user)
    out = export.write(session, actor=office, kind=kind,
                       out=tmp_path / ("services.json" if kind == "json" else "csv"))
    again = _import(session, directory.office_user, hsds.read_path(out))
    assert (again.services, again.services_added, again.services_updated) == (6, 0, 0)
    assert (again.organizations, again.locations, again.taxonomy_terms,
            again.service_at_locations) == (6, 6, 6, 8)
    assert counts(session)[:5] == before
    # The export keeps the HSDS ids of the file it came from.
    sample_ids = {s["id"] for s in json.loads(sample_bytes())}
    assert set(session.scalars(select(DirectoryService.hsds_id))) == sample_ids


def test_export_into_an_empty_directory_recreates_it(
    session: Session, directory: Directory, tmp_path: Path
) -> None:
    files = export.csv_files(session, actor=actor(directory.office_user))
    tables = hsds.read_csv_files(files)
    assert len(tables.rows["services"]) == 6 and len(tables.rows["service_at_locations"]) == 8
    assert len(tables.rows["attributes"]) == 7  # victim support also meets domestic abuse


def test_an_organization_named_as_a_partner_is_matched(
    session: Session, directory: Directory
) -> None:
    matched = session.scalars(select(DirectoryOrganization).where(
        DirectoryOrganization.partner_organisation_id.is_not(None))).all()
    assert [(o.name, o.partner_organisation_id) for o in matched] == [
        ("Victim Support Surrey", directory.victim_support.id)]


def test_cli_path_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        hsds.read_path(tmp_path / "missing.json")
    (tmp_path / "services.csv").write_text("id\n")
    with pytest.raises(InvalidInput, match="folder"):
        hsds.read_path(tmp_path / "services.csv")
    with pytest.raises(InvalidInput, match="no HSDS CSV tables"):
        hsds.read_path(tmp_path / "empty") if (tmp_path / "empty").mkdir() is None else None


def test_seed_demo_loads_the_sample(session: Session, office_user: User) -> None:
    from datetime import date

    seed_demo(session, today=date(2026, 11, 25))
    assert counts(session)[:5] == (6, 6, 6, 6, 8)


def test_a_need_code_taken_by_another_term_is_refused(
    session: Session, directory: Directory
) -> None:
    before = counts(session)
    with pytest.raises(ImportRejected, match="'victim-support' is already the code of term"):
        _import(session, directory.office_user, hsds.read_csv_files(small_csv()))
    assert counts(session) == before


def test_a_nested_term_names_the_attribute_term(session: Session, office_user: User) -> None:
    service_object = one_service()
    del service_object["attributes"][0]["taxonomy_term_id"]
    _import(session, office_user, hsds.read_json("a.json", json_bytes(service_object)))
    assert session.scalars(select(DirectoryService.needs)).one() == "|housing-advice|"
