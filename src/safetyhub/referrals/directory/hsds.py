"""Reading Open Referral HSDS 3.0 files (JSON service objects or CSV tables) into tables.

Both formats become the same tables of rows (named as the HSDS CSV files are), each row
remembering where it came from, so one validator (`validate.py`) reports every problem as
file, row or record, field and problem. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetyhub.errors import InvalidInput, PayloadTooLarge
from safetyhub.text import N_

# Size limits: a county directory is hundreds of services; these leave room and stop abuse.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS_PER_TABLE = 10_000

# The HSDS tables (CSV file names without .csv) this import understands.
TABLES = (
    "organizations", "services", "locations", "addresses", "service_at_locations", "phones",
    "service_areas", "taxonomy_terms", "attributes",
)
# HSDS 2.0 and some publishers name the link table in the singular.
TABLE_ALIASES = {"service_at_location": "service_at_locations"}
REQUIRED_TABLES = ("organizations", "services")


# Where a problem is, in words to translate (a record's own id or path is shown as it is).
WHOLE_FILE = N_("whole file")
ROW = N_("row %(number)s")
LINE = N_("line %(number)s")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import: where it is and what is wrong.

    `record` is WHOLE_FILE, ROW or LINE (with `number`) or a record's id or path; `problem` is
    a message id whose %(name)s placeholders `params` fill.
    """

    file: str
    record: str
    field: str
    problem: str
    params: tuple[tuple[str, str | int], ...] = ()
    number: int | None = None

    def in_words(self, translate: Callable[[str], str] = str) -> tuple[str, str]:
        """Where and what, in the reader's language (English by default)."""
        where = self.record
        if self.number is not None:
            where = translate(self.record) % {"number": self.number}
        elif self.record == WHOLE_FILE:
            where = translate(self.record)
        what = translate(self.problem)
        return where, what % dict(self.params) if self.params else what

    def __str__(self) -> str:
        where, what = self.in_words()
        return f"{self.file}, {where}, {self.field}: {what}"


def problem(file: str, record: str, column: str, message: str, *, number: int | None = None,
            **params: str | int) -> Problem:
    """A Problem, its message's values given by name."""
    return Problem(file, record, column, message, tuple(params.items()), number)


class ImportRejected(InvalidInput):
    """The import was refused as a whole; `errors` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        shown = "; ".join(str(p) for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(
            f"The directory file was not imported: {shown}{more}.",
            errors=[{"file": p.file, "record": where, "field": p.field, "problem": what}
                    for p in problems[:200] for where, what in [p.in_words()]],
        )
        self.problems = problems


@dataclass
class Row:
    """One row of an HSDS table and where it came from (for error messages)."""

    file: str
    record: str  # ROW (with `number`) or a record's path in a JSON file
    values: dict[str, str | None]
    number: int | None = None


@dataclass
class Tables:
    """The HSDS tables read from one import, and the problems met while reading."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in TABLES})
    problems: list[Problem] = field(default_factory=list)
    files: set[str] = field(default_factory=set)


def _too_large(name: str, size: int) -> None:
    if size > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(
            f"{name} is {size:,} bytes; a directory import is at most {MAX_IMPORT_BYTES:,} bytes."
        )


def _text(name: str, data: bytes, tables: Tables) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        tables.problems.append(problem(name, WHOLE_FILE, "-", N_("is not UTF-8 text")))
        return None


def _add_csv(name: str, data: bytes, tables: Tables) -> None:
    table = TABLE_ALIASES.get(name.removesuffix(".csv"), name.removesuffix(".csv"))
    if table not in TABLES:
        tables.problems.append(problem(
            name, WHOLE_FILE, "-", N_("is not an HSDS table this import reads (%(tables)s)"),
            tables=", ".join(TABLES)))
        return
    tables.files.add(table)
    text = _text(name, data, tables)
    if text is None:
        return
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        for number, values in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS_PER_TABLE:
                raise PayloadTooLarge(
                    f"{name} has more than {MAX_ROWS_PER_TABLE:,} rows, the most one import takes."
                )
            if None in values:
                tables.problems.append(problem(
                    name, ROW, "-", N_("has more values than the header has columns"),
                    number=number))
                continue
            tables.rows[table].append(Row(name, ROW, number=number, values={
                key.strip(): (value.strip() or None) if value is not None else None
                for key, value in values.items()
            }))
    except csv.Error as exc:
        tables.problems.append(problem(name, LINE, "-", N_("is not well-formed CSV (%(reason)s)"),
                                       number=reader.reader.line_num, reason=str(exc)))


def read_csv_files(files: Mapping[str, bytes]) -> Tables:
    """Read HSDS CSV tables given as file name -> content."""
    _too_large("The import", sum(len(data) for data in files.values()))
    tables = Tables()
    for name in sorted(files):
        _add_csv(Path(name).name, files[name], tables)
    for required in REQUIRED_TABLES:
        if required not in tables.files and not tables.problems:
            tables.problems.append(problem(f"{required}.csv", WHOLE_FILE, "-",
                                           N_("is missing; an HSDS CSV import needs it")))
    return tables


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value.strip() or None if isinstance(value, str) else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    raise TypeError


class _Flattener:
    """Turns HSDS 3.0 service objects (with nested objects) into HSDS tables."""

    def __init__(self, name: str, tables: Tables) -> None:
        self.name, self.tables = name, tables
        self.seen: set[tuple[str, str]] = set()

    def add(self, table: str, record: str, obj: Any, **extra: str | None) -> dict[str, Any]:
        if not isinstance(obj, dict):
            self.tables.problems.append(problem(self.name, record, "-", N_("must be an object")))
            return {}
        values: dict[str, str | None] = {}
        for key, value in obj.items():
            if isinstance(value, list | dict):
                continue
            try:
                values[key] = _scalar(value)
            except TypeError:  # pragma: no cover - json has no other types
                self.tables.problems.append(problem(self.name, record, key, N_("must be text")))
        values.update(extra)
        key = (table, values.get("id") or "")
        # Organizations, locations and terms repeat in every service that names them.
        if table in {"organizations", "locations", "taxonomy_terms"} and key[1]:
            if key in self.seen:
                return obj
            self.seen.add(key)
        self.tables.rows[table].append(Row(self.name, record, values))
        return obj

    def children(self, obj: dict[str, Any], key: str, record: str) -> list[tuple[str, Any]]:
        value = obj.get(key) or []
        if not isinstance(value, list):
            self.tables.problems.append(problem(self.name, record, key, N_("must be a list")))
            return []
        return [(f"{record}.{key}[{i}]", child) for i, child in enumerate(value)]

    def service(self, record: str, obj: Any) -> None:
        service = self.add("services", record, obj)
        if not service:
            return
        sid = _scalar(service.get("id")) if not isinstance(service.get("id"), list | dict) else None
        organization = service.get("organization")
        if organization is not None:
            self.add("organizations", f"{record}.organization", organization)
        for where, child in self.children(service, "phones", record):
            self.add("phones", where, child, service_id=sid)
        for where, child in self.children(service, "service_areas", record):
            self.add("service_areas", where, child, service_id=sid)
        for where, child in self.children(service, "attributes", record):
            term = child.get("taxonomy_term") if isinstance(child, dict) else None
            term_id = term.get("id") if isinstance(term, dict) else None
            # The nested term names the id when the attribute itself leaves it out.
            extra = ({"taxonomy_term_id": _scalar(term_id)}
                     if isinstance(term_id, str) and not child.get("taxonomy_term_id") else {})
            self.add("attributes", where, child, link_id=sid, **extra)
            if isinstance(term, dict):
                self.add("taxonomy_terms", f"{where}.taxonomy_term", term)
        for where, child in self.children(service, "service_at_locations", record):
            link = self.add("service_at_locations", where, child, service_id=sid)
            location = link.get("location") if link else None
            if isinstance(location, dict):
                self.add("locations", f"{where}.location", location)
                for address_where, address in self.children(location, "addresses",
                                                            f"{where}.location"):
                    self.add("addresses", address_where, address,
                             location_id=_scalar(location.get("id"))
                             if not isinstance(location.get("id"), list | dict) else None)


def read_json(name: str, data: bytes) -> Tables:
    """Read HSDS 3.0 JSON: a list of service objects, or a page of them under "contents"."""
    _too_large(name, len(data))
    tables = Tables(files={"organizations", "services"})
    text = _text(name, data, tables)
    if text is None:
        return tables
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        tables.problems.append(problem(name, LINE, "-", N_("is not well-formed JSON (%(reason)s)"),
                                       number=exc.lineno, reason=exc.msg))
        return tables
    if isinstance(document, dict):
        document = document.get("contents", document.get("services"))
    if not isinstance(document, list):
        tables.problems.append(problem(name, WHOLE_FILE, "-", N_(
            "must be a list of HSDS service objects (or an object with \"contents\")")))
        return tables
    if len(document) > MAX_ROWS_PER_TABLE:
        raise PayloadTooLarge(
            f"{name} has more than {MAX_ROWS_PER_TABLE:,} services, the most one import takes."
        )
    flattener = _Flattener(name, tables)
    for index, service in enumerate(document):
        flattener.service(f"services[{index}]", service)
    return tables


def read_zip(name: str, data: bytes) -> Tables:
    """Read a zip of HSDS CSV tables (as the CSV export writes)."""
    _too_large(name, len(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if m.filename.endswith(".csv")]
            _too_large(name, sum(m.file_size for m in members))
            files = {Path(m.filename).name: archive.read(m) for m in members}
    except zipfile.BadZipFile:
        tables = Tables()
        tables.problems.append(problem(name, WHOLE_FILE, "-", N_("is not a valid zip file")))
        return tables
    return read_csv_files(files)


def read_upload(name: str, data: bytes) -> Tables:
    """Read one uploaded file by its kind: .json, or .zip of CSV tables."""
    lower = name.lower()
    if lower.endswith(".json"):
        return read_json(name, data)
    if lower.endswith(".zip"):
        return read_zip(name, data)
    raise InvalidInput("Upload an HSDS .json file or a .zip of HSDS CSV tables.")


def read_path(path: Path) -> Tables:
    """Read a file or a folder of HSDS CSV tables from disk (the CLI)."""
    if path.is_dir():
        csv_files = sorted(path.glob("*.csv"))
        if not csv_files:
            raise InvalidInput(f"{path} holds no HSDS CSV tables (organizations.csv, ...).")
        _too_large(str(path), sum(f.stat().st_size for f in csv_files))
        return read_csv_files({f.name: f.read_bytes() for f in csv_files})
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist.")
    _too_large(path.name, path.stat().st_size)
    if path.suffix.lower() == ".csv":
        raise InvalidInput("An HSDS CSV import is a folder (or .zip) of tables, not one file.")
    return read_upload(path.name, path.read_bytes())
