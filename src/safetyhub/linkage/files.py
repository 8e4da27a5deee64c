"""Linking person extracts without importing them: encode a CSV, and link one or two CSVs.

Works on any reasonable person extract: a --map names which column holds which field
(`address=house+street+town` joins several columns), dates may be ISO, YYYYMMDD or UK style.
The plaintext path trains the generic Splink model on the files themselves (no labels);
the private path links keyed field-level encodings (`bloom`, format 2) field by field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from safetyhub.errors import InvalidInput
from safetyhub.linkage import bloom, model, private_model
from safetyhub.linkage.normalise import FIELDS, prepared

Progress = Callable[[str, float], None]
OUTPUT_HEADER = ("left_id", "right_id", "match_probability")
# Format 2: one keyed filter or digest per field; `format` and `key_check` repeat on each row.
ENCODED_COLUMNS = ("id", "format", "key_check", *bloom.COLUMNS)
MAX_FIELD = 10_000  # characters: longer cells are not person data


def _quiet(_step: str, _fraction: float) -> None:
    return None


def parse_maps(items: Sequence[str]) -> dict[str, list[str]]:
    """--map FIELD=COLUMN[+COLUMN...] options as field -> columns."""
    mapping: dict[str, list[str]] = {}
    for item in items:
        field, sep, columns = item.partition("=")
        field = field.strip()
        if not sep or not columns.strip():
            raise InvalidInput(f"--map {item!r} is not FIELD=COLUMN.")
        if field not in FIELDS:
            raise InvalidInput(f"Unknown field {field!r} in --map: use one of "
                               f"{', '.join(FIELDS)}.")
        mapping[field] = [c.strip() for c in columns.split("+") if c.strip()]
    if not mapping:
        raise InvalidInput("Map at least one field, e.g. --map family_name=surname.")
    return mapping


@dataclass(frozen=True)
class Extract:
    """The rows of one CSV: record ids and their mapped raw fields."""

    path: Path
    ids: list[str]
    fields: list[dict[str, str | None]]


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read it as UTF-8 CSV ({exc.__class__.__name__}).") \
            from None
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = list(reader.fieldnames or [])
        rows = list(reader)
    except csv.Error as exc:
        raise InvalidInput(f"{path}: not a readable CSV ({exc}).") from None
    if not header:
        raise InvalidInput(f"{path}: the file is empty or has no header row.")
    return header, rows


def _require(path: Path, header: list[str], columns: Sequence[str]) -> None:
    for column in columns:
        if column not in header:
            shown = ", ".join(header[:20])
            raise InvalidInput(f"{path}: no column {column!r} (columns: {shown}).")


def read_extract(path: Path, *, id_column: str, mapping: dict[str, list[str]]) -> Extract:
    """Read a person extract, checking that every named column exists."""
    header, rows = _read_csv(path)
    _require(path, header, [id_column, *(c for cols in mapping.values() for c in cols)])
    ids: list[str] = []
    fields: list[dict[str, str | None]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        record_id = (row.get(id_column) or "").strip()
        if not record_id:
            raise InvalidInput(f"{path}: line {number} has no {id_column!r}.")
        if record_id in seen:
            raise InvalidInput(f"{path}: id {record_id[:40]!r} appears twice.")
        seen.add(record_id)
        values: dict[str, str | None] = {}
        for field, columns in mapping.items():
            parts = [(row.get(c) or "").strip()[:MAX_FIELD] for c in columns]
            values[field] = " ".join(p for p in parts if p) or None
        ids.append(record_id)
        fields.append(values)
    return Extract(path, ids, fields)


Encodings = private_model.Encodings


def read_encoded(path: Path) -> Encodings:
    """An encoded extract (format 2): ids and encoded columns, checked for one secret."""
    return read_encoded_with_key(path)[0]


def read_encoded_with_key(path: Path) -> tuple[Encodings, str]:
    """An encoded extract and its key check (equal only for files encoded with one secret)."""
    header, rows = _read_csv(path)
    if "format" not in header:
        raise InvalidInput(f"{path}: encoded in the old format (one filter per record); "
                           "encode the extract again with this version of "
                           "`safetyhub linkage encode`.")
    _require(path, header, ENCODED_COLUMNS)
    formats = {r["format"] for r in rows}
    if formats - {bloom.FORMAT}:
        raise InvalidInput(f"{path}: encoding format {sorted(formats)[0]!r} is not "
                           f"{bloom.FORMAT!r}; encode the extract again with this version.")
    checks = {r["key_check"] for r in rows}
    if len(checks) > 1:
        raise InvalidInput(f"{path}: rows encoded with different secrets.")
    values = {c: [r.get(c) or None for r in rows] for c in bloom.COLUMNS}
    return ([r["id"] for r in rows], values), next(iter(checks), "")


def header_of(path: Path) -> list[str]:
    """A CSV's column names."""
    header, _ = _read_csv(path)
    return header


def is_encoded(path: Path) -> bool:
    """Whether a CSV is an encoded extract (either format: the old had a clk column)."""
    header = header_of(path)
    return "key_check" in header or "clk" in header


def encode_extract(extract: Extract, secret: bytes, *, progress: Progress = _quiet
                   ) -> list[bloom.Encoded]:
    """Encode every record of an extract (runs at the agency, with the shared secret)."""
    encoded = []
    total = max(len(extract.ids), 1)
    for index, (record_id, fields) in enumerate(zip(extract.ids, extract.fields, strict=True)):
        encoded.append(bloom.encode(record_id, fields, secret))
        if index % 500 == 0:
            progress("Encoding", index / total)
    progress("Encoding", 1.0)
    return encoded


def write_encoded(path: Path, encoded: Sequence[bloom.Encoded], secret: bytes) -> None:
    """Write encodings as CSV: id, format, key check, then the keyed filters and digests."""
    check = bloom.key_check(secret)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ENCODED_COLUMNS)
        for item in encoded:
            writer.writerow([item.record_id, bloom.FORMAT, check,
                             *(item.values.get(c) or "" for c in bloom.COLUMNS)])


def read_secret(path: Path) -> bytes:
    """The shared secret from a key file (at least 16 bytes, surrounding whitespace ignored)."""
    try:
        secret = path.read_bytes().strip()
    except OSError:
        raise InvalidInput(f"{path}: cannot read the secret file.") from None
    if len(secret) < 16:
        raise InvalidInput(f"{path}: the secret must be at least 16 bytes.")
    return secret


Match = tuple[str, str, float]


def link_plain(left: Extract, right: Extract | None, *, threshold: float,
               progress: Progress = _quiet) -> list[Match]:
    """Train the generic model on the files (EM, no labels) and score pairs."""
    fields = set(left.fields[0]) if left.fields else set()
    if right is not None and right.fields and set(right.fields[0]) != fields:
        raise InvalidInput("Map the same fields for both files.")
    if not ({"given_name", "family_name"} & fields):
        raise InvalidInput("Map at least a name (given_name or family_name) to link people.")
    sources = [left] if right is None else [left, right]
    tables = [model.records_table(prepared(f"{i}:{rid}", values)
                                  for rid, values in zip(s.ids, s.fields, strict=True))
              for i, s in enumerate(sources)]
    progress("Training the model", 0.1)
    link_type: model.LinkType = "dedupe_only" if right is None else "link_only"
    settings = model.train(tables, fields=fields, link_type=link_type)
    progress("Scoring pairs", 0.6)
    predicted = model.predict(tables, settings, threshold=threshold)
    progress("Scoring pairs", 1.0)
    matches: list[Match] = []
    for l_id, r_id, p in zip(predicted.column("unique_id_l").to_pylist(),
                             predicted.column("unique_id_r").to_pylist(),
                             predicted.column("match_probability").to_pylist(), strict=True):
        if right is not None and l_id.startswith("1:"):
            l_id, r_id = r_id, l_id
        matches.append((l_id.split(":", 1)[1], r_id.split(":", 1)[1], float(p)))
    return sorted(matches, key=lambda m: (-m[2], m[0], m[1]))


def link_encoded(left: Encodings, right: Encodings | None, *, threshold: float,
                 one_to_one: bool, progress: Progress = _quiet) -> list[Match]:
    """Link encodings (the hub's side: no secret): Splink field by field, trained by EM."""
    progress("Training on the encodings and scoring pairs", 0.2)
    matches = private_model.link(left, right, threshold=threshold)
    progress("Done", 1.0)
    return best_once(matches) if one_to_one and right is not None else matches


def best_once(matches: Sequence[Match]) -> list[Match]:
    """Keep each record's most likely pair at most once per side (greedy, best first)."""
    used_left: set[str] = set()
    used_right: set[str] = set()
    kept = []
    for left_id, right_id, probability in sorted(matches, key=lambda m: (-m[2], m[0], m[1])):
        if left_id in used_left or right_id in used_right:
            continue
        used_left.add(left_id)
        used_right.add(right_id)
        kept.append((left_id, right_id, probability))
    return kept


def encode_to_columns(extract: Extract, secret: bytes, *, progress: Progress = _quiet
                      ) -> Encodings:
    """Encode an extract in memory into the shape link_encoded reads."""
    encoded = encode_extract(extract, secret, progress=progress)
    return [e.record_id for e in encoded], {c: [e.values[c] for e in encoded]
                                            for c in bloom.COLUMNS}


def write_matches(path: Path, matches: Sequence[Match]) -> None:
    """Write left_id,right_id,match_probability rows."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_HEADER)
        for left_id, right_id, probability in matches:
            writer.writerow([left_id, right_id, f"{probability:.6f}"])
