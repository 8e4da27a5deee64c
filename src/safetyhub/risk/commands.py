"""`safetyhub risk ...`: run every indicator over every person and place."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from safetyhub.auth.actor import Actor

risk_app = typer.Typer(help="Early warning: indicators and alerts.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


@risk_app.command("run")
def run(
    as_of: Annotated[datetime | None, typer.Option(
        "--as-of", help="Evaluate as at this moment (UTC; default: now), e.g. to replay a date.",
        formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])] = None,
    config: Annotated[Path | None, typer.Option(
        help="A partnership's indicator file (default: SAFETYHUB_RISK_CONFIG_PATH).")] = None,
) -> None:
    """Raise and update alerts for every person and place (all or nothing; rerun safely)."""
    from safetyhub.db import job_session
    from safetyhub.risk.config import load_config
    from safetyhub.risk.service import run_batch

    moment = as_of.replace(tzinfo=UTC) if as_of is not None else None
    parameters = load_config(config)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console) as bar:
        task = bar.add_task("Reading incidents", total=None)

        def start(total: int) -> None:
            bar.update(task, total=total, completed=0, description="Evaluating subjects")

        def advance(count: int) -> None:
            bar.advance(task, count)

        with job_session() as session:
            report = run_batch(session, actor=Actor.system("cli:risk run"), as_of=moment,
                               config=parameters, on_start=start, advance=advance)
    console.print(
        f"Counted over {report.subjects:,} people and places, evaluated the "
        f"{report.evaluated:,} that could fire: {report.raised:,} alerts raised, "
        f"{report.updated:,} updated, {report.unchanged:,} unchanged, "
        f"{report.already_handled:,} already actioned or dismissed "
        f"(read {report.load_seconds:.1f} s, evaluated {report.evaluate_seconds:.1f} s)."
    )
