"""`safetyhub directory ...`: import and export the service directory as HSDS."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from safetyhub.auth.actor import Actor

directory_app = typer.Typer(help="The service directory (Open Referral HSDS).",
                            no_args_is_help=True)
console = Console()


class Format(StrEnum):
    """Export formats."""

    json = "json"
    csv = "csv"


@directory_app.command("import")
def import_directory(
    source: Annotated[Path, typer.Argument(
        help="An HSDS .json file, a .zip of HSDS CSV tables, or a folder of them.")],
) -> None:
    """Import (add or update by HSDS id) the whole file or nothing."""
    from safetyhub.db import job_session
    from safetyhub.referrals.directory import hsds, service

    tables = hsds.read_path(source)
    with job_session() as session:
        result = service.import_directory(
            session, actor=Actor.system("cli:directory import"), tables=tables)
    console.print(
        f"Imported {result.services} services of {result.organizations} organizations at "
        f"{result.locations} locations ({result.services_added} new, "
        f"{result.services_updated} updated; {result.partners_matched} organizations "
        "matched to partner agencies)."
    )


@directory_app.command("export")
def export_directory(
    out: Annotated[Path, typer.Option("--out", help="A .json file, or a folder (or .zip) "
                                      "for the CSV tables.")],
    format: Annotated[Format, typer.Option("--format", help="json or csv.")] = Format.json,
) -> None:
    """Write the directory out as HSDS 3.0 JSON or HSDS CSV tables."""
    from safetyhub.db import job_session
    from safetyhub.referrals.directory import export

    with job_session() as session:
        written = export.write(session, actor=Actor.system("cli:directory export"),
                               kind=format.value, out=out)
    console.print(f"Wrote the directory to {written}.")
