"""`safetyhub linkage ...`: batch re-link, encode an extract, link extracts without importing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from safetyhub.auth.actor import Actor
from safetyhub.config import get_settings

linkage_app = typer.Typer(help="Record linkage: one person behind many agencies' records.",
                          no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


@contextmanager
def _progress(title: str) -> Iterator[Callable[[str, float], None]]:
    """A Rich progress bar; yields a callback(step, fraction)."""
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                  TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                  console=err_console, transient=False) as bar:
        task = bar.add_task(title, total=1.0)

        def update(step: str, fraction: float) -> None:
            bar.update(task, completed=fraction, description=f"{title}: {step}")

        yield update


@linkage_app.command("run")
def run(
    retrain: Annotated[bool, typer.Option(help="Train a new model version first.")] = False,
) -> None:
    """Re-link every person record (all-or-nothing: an interrupted run changes nothing)."""
    from safetyhub.db import job_session
    from safetyhub.linkage.batch import run_batch

    with _progress("Linking") as update, job_session() as session:
        report = run_batch(session, actor=Actor.system("cli:linkage run"), retrain=retrain,
                           progress=update)
    console.print(
        f"Linked {report.records:,} person records into {report.identities:,} identities "
        f"with model version {report.model_version} ({report.pairs:,} scored pairs, "
        f"{report.merges} merges, {report.splits} splits, {report.queued:,} pairs for review)."
    )


@linkage_app.command("encode")
def encode(
    extract: Annotated[Path, typer.Argument(help="The agency's person extract (CSV).")],
    secret_file: Annotated[Path, typer.Option("--secret-file",
                                              help="The secret shared by the agencies.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the encodings (CSV).")],
    id_column: Annotated[str, typer.Option("--id-column", help="The record id column.")] = "id",
    maps: Annotated[list[str] | None, typer.Option(
        "--map", help="FIELD=COLUMN (default: the field names as columns).")] = None,
) -> None:
    """Encode identifiers as keyed field-level filters and digests: no plaintext leaves."""
    from safetyhub.linkage import files
    from safetyhub.linkage.normalise import FIELDS

    secret = files.read_secret(secret_file)
    mapping = files.parse_maps(maps) if maps else _default_mapping(extract, FIELDS)
    data = files.read_extract(extract, id_column=id_column, mapping=mapping)
    with _progress("Encoding") as update:
        encoded = files.encode_extract(data, secret, progress=update)
    files.write_encoded(out, encoded, secret)
    console.print(f"Encoded {len(encoded):,} records to {out}.")


def _default_mapping(path: Path, fields: tuple[str, ...]) -> dict[str, list[str]]:
    from safetyhub.errors import InvalidInput
    from safetyhub.linkage import files

    header = files.header_of(path)
    mapping = {f: [f] for f in fields if f in header}
    if not mapping:
        raise InvalidInput(f"{path}: no column is named like a field; use --map FIELD=COLUMN.")
    return mapping


@linkage_app.command("link-files")
def link_files(
    left: Annotated[Path, typer.Argument(help="The first extract (CSV).")],
    right: Annotated[Path | None, typer.Argument(
        help="The second extract; without it the first is deduplicated.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Where to write the matches (CSV).")] = Path(
        "matches.csv"),
    id_column: Annotated[str, typer.Option("--id-column", help="The record id column.")] = "id",
    maps: Annotated[list[str] | None, typer.Option(
        "--map", help="FIELD=COLUMN[+COLUMN], FIELD one of given_name, family_name, "
        "date_of_birth, postcode, address, phone, identifier.")] = None,
    private: Annotated[bool, typer.Option(
        "--private", help="Link keyed encodings (field-level Bloom filters and digests).")] = False,
    secret_file: Annotated[Path | None, typer.Option(
        "--secret-file", help="The shared secret (to encode plain extracts first).")] = None,
    threshold: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Lowest match probability written.")] = 0.5,
    one_to_one: Annotated[bool, typer.Option(
        "--one-to-one", help="Link each record at most once across the two files.")] = False,
) -> None:
    """Link two extracts (or deduplicate one) without importing them."""
    from safetyhub.errors import InvalidInput
    from safetyhub.linkage import bloom, files

    # Read and check every input before any progress shows: errors are one clear line.
    if private:
        sides = []
        checks = set()
        for path in [left] if right is None else [left, right]:
            if files.is_encoded(path):
                side, check = files.read_encoded_with_key(path)
                sides.append(side)
                checks.add(check)
                continue
            if secret_file is None:
                raise InvalidInput(f"{path} is not encoded: give --secret-file to encode it.")
            if not maps:
                raise InvalidInput("Map the fields to encode with --map FIELD=COLUMN.")
            data = files.read_extract(path, id_column=id_column, mapping=files.parse_maps(maps))
            secret = files.read_secret(secret_file)
            sides.append(files.encode_to_columns(data, secret))
            checks.add(bloom.key_check(secret))
        if len(checks) > 1:
            raise InvalidInput("The files were encoded with different secrets: encode both "
                               "with the one the agencies share.")
        with _progress("Linking files") as update:
            matches = files.link_encoded(sides[0], sides[1] if len(sides) > 1 else None,
                                         threshold=threshold, one_to_one=one_to_one,
                                         progress=update)
    else:
        if not maps:
            raise InvalidInput("Map the fields with --map FIELD=COLUMN.")
        mapping = files.parse_maps(maps)
        first = files.read_extract(left, id_column=id_column, mapping=mapping)
        second = (None if right is None
                  else files.read_extract(right, id_column=id_column, mapping=mapping))
        with _progress("Linking files") as update:
            matches = files.link_plain(first, second, threshold=threshold, progress=update)
        if one_to_one and second is not None:
            matches = files.best_once(matches)
    files.write_matches(out, matches)
    console.print(f"Wrote {len(matches):,} matches to {out}.")


@linkage_app.command("thresholds")
def thresholds() -> None:
    """Show the configured auto-link and review thresholds."""
    settings = get_settings()
    console.print(f"Auto-link at or above {settings.linkage_auto_link_threshold}; review "
                  f"between {settings.linkage_review_threshold} and it; below, no link.")
