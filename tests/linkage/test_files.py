"""`safetyhub linkage encode` and `link-files` on small extracts with known answers."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from safetyhub import cli
from tests.linkage.population import population

SECRET = "a secret shared by the agencies only"


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
        ) -> tuple[int, str, str]:
    """The installed entry point in-process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["safetyhub", "linkage", *args])
    code: int | str | None = 0
    try:
        cli.main()
    except SystemExit as exited:
        code = exited.code
    captured = capsys.readouterr()
    return (code if isinstance(code, int) else 1), captured.out, captured.err


@pytest.fixture
def extracts(tmp_path: Path) -> tuple[Path, Path, set[tuple[str, str]]]:
    """Two agencies' extracts (their own column names) and the true pairs between them."""
    people = population(160, seed=11)
    left, right = tmp_path / "police.csv", tmp_path / "council.csv"
    truth: set[tuple[str, str]] = set()
    with left.open("w", newline="") as lf, right.open("w", newline="") as rf:
        lw, rw = csv.writer(lf), csv.writer(rf)
        lw.writerow(["ref", "forename", "surname", "dob", "post_code", "house", "phone"])
        rw.writerow(["ref", "first", "last", "birth", "pc", "addr", "tel"])
        for person in people:
            first = person.records[0]
            lw.writerow([f"P{person.key}", first["given_name"], first["family_name"],
                         first["date_of_birth"].isoformat(), first["postcode"], first["address"],
                         first["phone"] or ""])
            if len(person.records) == 2:
                second = person.records[1]
                birth = second["date_of_birth"]
                rw.writerow([f"C{person.key}", second["given_name"], second["family_name"],
                             birth.strftime("%d/%m/%Y") if birth else "", second["postcode"],
                             second["address"], second["phone"] or ""])
                truth.add((f"P{person.key}", f"C{person.key}"))
    return left, right, truth


MAPS = ["--map", "given_name=forename", "--map", "family_name=surname",
        "--map", "date_of_birth=dob", "--map", "postcode=post_code", "--map", "phone=phone"]
RIGHT_COLUMNS = {"forename": "first", "surname": "last", "dob": "birth", "post_code": "pc",
                 "phone": "tel"}


def _matches(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["left_id", "right_id", "match_probability"]
        return list(reader)


def _score(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float]:
    hits = len(found & truth)
    return hits / max(len(found), 1), hits / len(truth)


def _rename(source: Path, target: Path) -> None:
    text = source.read_text()
    header, rest = text.split("\n", 1)
    for old, new in RIGHT_COLUMNS.items():
        header = header.replace(new, old)
    target.write_text(header.replace("addr", "house") + "\n" + rest)


def test_link_two_files_in_plaintext(extracts: tuple[Path, Path, set[tuple[str, str]]],
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    left, right, truth = extracts
    same_names = tmp_path / "council_renamed.csv"
    _rename(right, same_names)
    out = tmp_path / "matches.csv"
    code, _, err = run(monkeypatch, capsys, "link-files", str(left), str(same_names),
                       "--id-column", "ref", *MAPS, "--out", str(out))
    assert code == 0, err
    rows = _matches(out)
    found = {(r["left_id"], r["right_id"]) for r in rows if float(r["match_probability"]) >= 0.5}
    precision, recall = _score(found, truth)
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)
    assert all(r["left_id"].startswith("P") and r["right_id"].startswith("C") for r in rows)


def test_deduplicate_one_file(extracts: tuple[Path, Path, set[tuple[str, str]]],
                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    left, right, truth = extracts
    combined = tmp_path / "both.csv"
    _rename(right, combined)
    lines = combined.read_text().splitlines()
    combined.write_text("\n".join([left.read_text().rstrip("\n"), *lines[1:]]) + "\n")
    out = tmp_path / "dupes.csv"
    code, _, err = run(monkeypatch, capsys, "link-files", str(combined), "--id-column", "ref",
                       *MAPS, "--out", str(out))
    assert code == 0, err
    found = {tuple(sorted((r["left_id"], r["right_id"]))) for r in _matches(out)}
    precision, recall = _score(found, {tuple(sorted(p)) for p in truth})  # type: ignore[misc]
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)


def test_private_mode_encodes_then_links(extracts: tuple[Path, Path, set[tuple[str, str]]],
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    left, right, truth = extracts
    key = tmp_path / "key"
    key.write_text(SECRET)
    encoded = []
    for path, columns in ((left, None), (right, RIGHT_COLUMNS)):
        maps = [m if columns is None or not m.count("=") else
                m.split("=")[0] + "=" + columns[m.split("=")[1]] for m in MAPS]
        target = tmp_path / f"{path.stem}.encoded.csv"
        code, _, err = run(monkeypatch, capsys, "encode", str(path), "--secret-file", str(key),
                           "--id-column", "ref", *maps, "--out", str(target))
        assert code == 0, err
        assert target.read_text().startswith("id,format,key_check,bf_given,")
        emitted = {row["id"]: ",".join(row.values()) for row in csv.DictReader(target.open())}
        for row in csv.DictReader(path.open()):
            line = emitted[row["ref"]]
            for column, value in row.items():
                # Each record's own line never carries its values (ids excepted, by design).
                if column != "ref" and len(value) >= 4:
                    assert value not in line
        encoded.append(target)
    out = tmp_path / "private.csv"
    # The hub links the encodings: no secret needed, none given.
    code, _, err = run(monkeypatch, capsys, "link-files", str(encoded[0]), str(encoded[1]),
                       "--private", "--one-to-one", "--out", str(out))
    assert code == 0, err
    found = {(r["left_id"], r["right_id"]) for r in _matches(out)}
    precision, recall = _score(found, truth)
    assert precision >= 0.9 and recall >= 0.85, (precision, recall)


def _encode(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: Path,
            key: Path, target: Path) -> None:
    code, _, err = run(monkeypatch, capsys, "encode", str(path), "--secret-file", str(key),
                       "--id-column", "ref", *MAPS, "--out", str(target))
    assert code == 0, err


def test_private_dedupe_of_one_encoded_file(extracts: tuple[Path, Path, set[tuple[str, str]]],
                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    left, right, truth = extracts
    combined = tmp_path / "both.csv"
    _rename(right, combined)
    lines = combined.read_text().splitlines()
    combined.write_text("\n".join([left.read_text().rstrip("\n"), *lines[1:]]) + "\n")
    key = tmp_path / "key"
    key.write_text(SECRET)
    encoded, out = tmp_path / "both.encoded.csv", tmp_path / "dupes.csv"
    _encode(monkeypatch, capsys, combined, key, encoded)
    code, _, err = run(monkeypatch, capsys, "link-files", str(encoded), "--private",
                       "--out", str(out))
    assert code == 0, err
    found = {(min(r["left_id"], r["right_id"]), max(r["left_id"], r["right_id"]))
             for r in _matches(out)}
    precision, recall = _score(found, {(min(p), max(p)) for p in truth})
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)


def test_files_encoded_with_different_secrets_are_refused(
        extracts: tuple[Path, Path, set[tuple[str, str]]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    left, right, _ = extracts
    renamed = tmp_path / "renamed.csv"
    _rename(right, renamed)
    targets = []
    for name, path, secret in (("a", left, SECRET), ("b", renamed, SECRET[::-1])):
        key, target = tmp_path / f"{name}.key", tmp_path / f"{name}.encoded.csv"
        key.write_text(secret)
        _encode(monkeypatch, capsys, path, key, target)
        targets.append(target)
    out = tmp_path / "o.csv"
    code, _, err = run(monkeypatch, capsys, "link-files", *map(str, targets), "--private",
                       "--out", str(out))
    assert code == 2 and "different secrets" in " ".join(err.split()), err
    assert not out.exists()


def test_a_tiny_names_only_file_links_without_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    extract, key = tmp_path / "names.csv", tmp_path / "key"
    extract.write_text("ref,forename,surname\n1,John,Smith\n2,Jon,Smyth\n3,Mary,Jones\n")
    key.write_text(SECRET)
    encoded, out = tmp_path / "names.encoded.csv", tmp_path / "o.csv"
    code, _, err = run(monkeypatch, capsys, "encode", str(extract), "--secret-file", str(key),
                       "--id-column", "ref", "--map", "given_name=forename",
                       "--map", "family_name=surname", "--out", str(encoded))
    assert code == 0, err
    # Too little to train on: the model keeps its starting values instead of failing.
    code, _, err = run(monkeypatch, capsys, "link-files", str(encoded), "--private",
                       "--out", str(out))
    assert code == 0, err
    assert out.read_text().startswith("left_id,right_id,match_probability")


def test_a_tiny_names_only_file_links_in_plaintext_without_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    extract, out = tmp_path / "names.csv", tmp_path / "o.csv"
    extract.write_text("ref,forename,surname\n1,John,Smith\n2,Jon,Smyth\n3,Mary,Jones\n")
    code, _, err = run(monkeypatch, capsys, "link-files", str(extract), "--id-column", "ref",
                       "--map", "given_name=forename", "--map", "family_name=surname",
                       "--out", str(out))
    assert code == 0, err
    assert out.read_text().startswith("left_id,right_id,match_probability")


def test_the_old_encoded_format_gets_a_clear_error(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.encoded.csv"
    old.write_text("id,clk,block_birth_year,block_family_sound\nr1,AAAA,abc,def\n")
    out = tmp_path / "o.csv"
    code, _, err = run(monkeypatch, capsys, "link-files", str(old), "--private",
                       "--out", str(out))
    text = " ".join(err.split())
    assert code == 2 and "old format" in text and "encode the extract again" in text, err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--map", "given_name=first_name"], "no column 'first_name'"),
    (["--map", "nmae=forename"], "Unknown field 'nmae'"),
    (["--map", "given_name"], "is not FIELD=COLUMN"),
    (["--id-column", "nope", "--map", "given_name=forename"], "no column 'nope'"),
])
def test_clear_one_line_errors(extracts: tuple[Path, Path, set[tuple[str, str]]],
                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str], args: list[str],
                               message: str) -> None:
    left, _, _ = extracts
    defaults = [] if "--id-column" in args else ["--id-column", "ref"]
    code, _, err = run(monkeypatch, capsys, "link-files", str(left), *defaults, *args,
                       "--out", str(tmp_path / "x.csv"))
    assert code == 2
    text = " ".join(err.split())  # Rich wraps at the terminal's width
    assert text.startswith("Error: ") and message in text and text.count("Error") == 1
    assert "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


def test_unreadable_csv_and_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\xff\xfe\x00\x81binary\x00")
    code, _, err = run(monkeypatch, capsys, "link-files", str(garbage), "--map",
                       "family_name=x", "--out", str(tmp_path / "o.csv"))
    assert code == 2 and "cannot read it as UTF-8 CSV" in " ".join(err.split())
    code, _, err = run(monkeypatch, capsys, "link-files", str(tmp_path / "none.csv"), "--map",
                       "family_name=x", "--out", str(tmp_path / "o.csv"))
    assert code == 2 and "no such file" in " ".join(err.split())


def test_encode_needs_a_real_secret(extracts: tuple[Path, Path, set[tuple[str, str]]],
                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    left, _, _ = extracts
    key = tmp_path / "key"
    key.write_text("short")
    code, _, err = run(monkeypatch, capsys, "encode", str(left), "--secret-file", str(key),
                       "--id-column", "ref", "--map", "family_name=surname",
                       "--out", str(tmp_path / "e.csv"))
    assert code == 2 and "at least 16 bytes" in " ".join(err.split())
