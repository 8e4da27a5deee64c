"""`safetyhub import police-uk|reference`: load police.uk files and the LSOA reference data."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from safetyhub.auth.actor import Actor

import_app = typer.Typer(help="Import public data (police.uk, LSOA reference).",
                         no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)
SHARED_DATA = Path("..") / "shared" / "data"


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def import_police_paths(paths: list[Path]) -> tuple[int, int]:
    """Import files (one transaction each) with a progress bar; (files imported, files bad)."""
    from safetyhub.analytics.service import import_police_file, police_files
    from safetyhub.db import job_session

    files = police_files(paths)
    good = bad = 0
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console) as bar:
        for path in files:
            task = bar.add_task(path.name, total=_count_lines(path))

            def advance(n: int, task: TaskID = task) -> None:
                bar.advance(task, n)

            try:
                with job_session() as session:
                    report = import_police_file(
                        session, actor=Actor.system("cli:import police-uk"), path=path,
                        progress=advance)
            except UnicodeDecodeError as exc:
                err_console.print(f"[red]{path}[/red]: not UTF-8 text ({exc.reason}); "
                                  "nothing imported from it.")
                bad += 1
                continue
            bar.update(task, completed=report.rows)
            if report.ok:
                good += 1
                console.print(f"{path.name}: {report.rows:,} rows, {report.added:,} added, "
                              f"{report.out_of_area:,} of them flagged out of area.")
                continue
            bad += 1
            err_console.print(f"[red]{path}[/red]: rejected, nothing imported from it.")
            for error in report.errors:
                err_console.print(f"  row {error.row}, {error.column}: {error.problem}")
    return good, bad


def rebuild_extract() -> Path:
    """Build the picture's extract for the data now in the database, with a progress bar."""
    from sqlalchemy import func, select

    from safetyhub.analytics.extract import refresh
    from safetyhub.analytics.models import PoliceCrime
    from safetyhub.db import job_session

    with job_session() as session, Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err_console) as bar:
        rows = session.scalar(select(func.count()).where(~PoliceCrime.out_of_area)) or 0
        task = bar.add_task("picture extract", total=rows)
        path = refresh(session, progress=lambda n: bar.advance(task, n))
        bar.update(task, completed=rows)
    console.print(f"The picture's extract is up to date ({path}).")
    return path


@import_app.command("police-uk")
def police_uk(
    paths: Annotated[list[Path], typer.Argument(help="police.uk street-level CSV files or "
                                                     "folders of them.")],
) -> None:
    """Import police.uk street-level CSVs: validated, idempotent, all or nothing per file."""
    good, bad = import_police_paths(paths)
    console.print(f"{good} file(s) imported, {bad} rejected.")
    if good:
        rebuild_extract()
    if bad:
        raise typer.Exit(code=1)


def import_reference_folder(folder: Path) -> int:
    """Import IMD deciles and LSOA population from `folder`; the number of LSOAs kept."""
    from safetyhub.analytics.service import import_reference
    from safetyhub.db import job_session

    with job_session() as session:
        return import_reference(
            session, actor=Actor.system("cli:import reference"),
            imd_path=folder / "imd2019_england_lsoa.csv",
            population_path=folder / "iod2019_population_lsoa.csv")


@import_app.command("reference")
def reference(
    folder: Annotated[Path, typer.Option(help="Folder with imd2019_england_lsoa.csv and "
                                              "iod2019_population_lsoa.csv.")] = SHARED_DATA,
) -> None:
    """Import IMD 2019 deciles and LSOA population (Surrey's districts) as reference data."""
    count = import_reference_folder(folder)
    console.print(f"Reference data for {count:,} LSOAs imported.")


def load_shared_data(folder: Path, *, shown_as: str | None = None) -> bool:
    """Load the reference data and police.uk files from `folder` if there; whether it was."""
    police = folder / "police-uk"
    if not (folder / "imd2019_england_lsoa.csv").is_file() or not police.is_dir():
        return False
    console.print("Importing the real police.uk data and LSOA reference data from "
                  f"{shown_as or folder}...")
    import_reference_folder(folder)
    good, _ = import_police_paths([police])
    if good:
        rebuild_extract()  # the first page then opens at once
    return True


report_app = typer.Typer(help="Reports.", no_args_is_help=True)


class ReportFormat(StrEnum):
    """The report's file format."""

    html = "html"
    pdf = "pdf"


@report_app.command("picture")
def report_picture(
    out: Annotated[Path, typer.Option("--out", help="Where to write the report.")],
    first: Annotated[str | None, typer.Option("--from", help="First month (YYYY-MM).")] = None,
    last: Annotated[str | None, typer.Option("--to", help="Last month (YYYY-MM).")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="html or pdf.")] = (
        ReportFormat.html),
) -> None:
    """The Commissioner's picture: headline figures, charts, hotspots, inequality, activity."""
    from safetyhub.analytics.picture import period_of
    from safetyhub.analytics.report import build_report, render_html, render_pdf
    from safetyhub.db import job_session

    with job_session() as session:
        report = build_report(session, actor=Actor.system("cli:report picture"),
                              period=period_of(session, first, last))
    if fmt == ReportFormat.pdf:
        out.write_bytes(render_pdf(report))
    else:
        out.write_text(render_html(report), encoding="utf-8")
    console.print(f"Wrote the picture ({fmt.value}) to {out}.")
