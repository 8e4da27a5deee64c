"""The `safetyhub` command line (Typer + Rich)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from safetyhub import migrate
from safetyhub.analytics.commands import import_app, report_app
from safetyhub.auth.actor import Actor
from safetyhub.auth.models import Role
from safetyhub.config import get_settings
from safetyhub.db import job_session
from safetyhub.errors import SafetyHubError
from safetyhub.linkage.commands import linkage_app
from safetyhub.organisations.models import OrganisationKind
from safetyhub.referrals.directory.commands import directory_app
from safetyhub.risk.commands import risk_app

app = typer.Typer(
    help="SafetyHub: the Community Safety Partnership's shared platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
orgs_app = typer.Typer(help="Partner agencies.", no_args_is_help=True)
users_app = typer.Typer(help="Users of partner agencies.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(orgs_app, name="orgs")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(linkage_app, name="linkage")
app.add_typer(import_app, name="import")
app.add_typer(report_app, name="report")
app.add_typer(risk_app, name="risk")
app.add_typer(directory_app, name="directory")

console = Console()
err_console = Console(stderr=True)


def _operator(command: str) -> Actor:
    return Actor.system(f"cli:{command}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to the newest version."""
    url = get_settings().database_url
    migrate.upgrade(url)
    console.print(f"[green]Database is up to date[/green] ({_safe_url(url)}).")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@orgs_app.command("add")
def orgs_add(
    name: Annotated[str, typer.Argument(help="The agency's name, e.g. 'Surrey Police'.")],
    kind: Annotated[OrganisationKind, typer.Option(help="What kind of agency it is.")],
    district: Annotated[str | None, typer.Option(help="Its district, if it has one.")] = None,
) -> None:
    """Register a partner agency."""
    from safetyhub.organisations.service import add_organisation

    with job_session() as session:
        org = add_organisation(
            session, actor=_operator("orgs add"), name=name, kind=kind, district=district
        )
        console.print(f"Added [bold]{org.name}[/bold] ({org.kind}) id {org.id}")


@orgs_app.command("list")
def orgs_list() -> None:
    """List partner agencies."""
    from safetyhub.organisations.service import list_organisations

    with job_session() as session:
        table = Table("Name", "Kind", "District", "Id")
        for org in list_organisations(session):
            table.add_row(org.name, org.kind, org.district or "", str(org.id))
        console.print(table)


@users_app.command("add")
def users_add(
    email: Annotated[str, typer.Argument(help="The user's email address (their sign-in name).")],
    org: Annotated[str, typer.Option("--org", help="The name of the user's agency.")],
    role: Annotated[Role, typer.Option(help="The user's role.")],
    full_name: Annotated[str | None, typer.Option(help="Full name (default: the email).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user to an agency; the password comes from a prompt or standard input."""
    from safetyhub.auth.service import add_user_to_named_org

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with job_session() as session:
        user = add_user_to_named_org(
            session, actor=_operator("users add"), email=email, full_name=full_name or email,
            organisation=org, role=role, password=password,
        )
        console.print(f"Added [bold]{user.email}[/bold] ({user.role}) to {org}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain; exit 1 naming the first bad row if it was tampered with."""
    from safetyhub.audit.service import verify_chain

    with job_session() as session:
        report = verify_chain(session)
    if report.ok:
        console.print(f"[green]Audit log intact[/green]: {report.checked} events verified.")
        return
    err_console.print(
        f"[red]Audit log tampered[/red]: first bad row {report.first_bad_seq}: {report.problem} "
        f"({report.checked} events verified before it)."
    )
    raise typer.Exit(code=1)


class Scale(StrEnum):
    """How big a synthetic county to generate."""

    small = "small"
    medium = "medium"
    large = "large"


@app.command("seed")
def seed(
    scale: Annotated[
        Scale, typer.Option(help="small (demo), medium (~100k incidents), large (~1M).")
    ] = Scale.small,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed, the same county.")
    ] = 2024,
    ground_truth: Annotated[
        Path | None, typer.Option(help="Where to write the planted patterns (JSON).")
    ] = None,
) -> None:
    """Fill the database with a synthetic county (organisations, users, people, incidents, ...)."""
    from safetyhub.synthetic.service import seed_database

    summary = seed_database(scale=scale.value, seed=seed, ground_truth_path=ground_truth)
    console.print(summary)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API and pages."""
    import uvicorn

    from safetyhub.app import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="info")


@app.command("demo")
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed for the synthetic county.")
    ] = 2024,
) -> None:
    """Upgrade the database, seed a small county if empty, print demo sign-ins, and serve."""
    from safetyhub.synthetic.service import database_is_empty, demo_sign_ins, seed_database

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    if database_is_empty():
        console.print("Seeding a small synthetic county (this takes a few seconds)...")
        # The demo's county ends today, so its recent incidents, due actions and alert
        # windows are current (`safetyhub seed` keeps a fixed date: same seed, same county).
        from safetyhub.timeutil import london_today

        console.print(seed_database(scale="small", seed=seed, ground_truth_path=None,
                                    today=london_today()))
        # Link the agencies' records into Identities, then raise the alerts they reveal, so
        # the demo opens with the whole picture (the same jobs an operator runs nightly).
        from safetyhub.linkage.commands import run as link_everyone
        from safetyhub.risk.commands import run as raise_alerts

        link_everyone(retrain=False)
        raise_alerts(as_of=None, config=None)
        # The partnership's own work: the service directory, an assembly and commitments,
        # problem-solving on places and case conferences, as the demo users would record them.
        from safetyhub.synthetic.partnership import seed_partnership_work

        seed_partnership_work(today=london_today())
    from safetyhub.analytics.commands import SHARED_DATA, load_shared_data

    if not load_shared_data(SHARED_DATA):
        # No shared data folder beside the checkout: the copy of it SafetyHub ships.
        import tempfile

        from safetyhub.analytics import surrey

        with tempfile.TemporaryDirectory() as folder:
            load_shared_data(surrey.unpack(Path(folder)), shown_as="SafetyHub's own copy")
    sign_ins = demo_sign_ins()
    # Emails and the password never wrap or shorten, however narrow the terminal: they are
    # what the reader types.
    table = Table(title="Demo sign-ins")
    table.add_column("Email", no_wrap=True, min_width=max(len(r.email) for r in sign_ins))
    table.add_column("Role", no_wrap=True)
    table.add_column("Agency", overflow="fold")
    for row in sign_ins:
        table.add_row(row.email, row.role, row.organisation)
    console.print(table)
    passwords = sorted({row.password for row in sign_ins})
    console.print(f"Password for every demo user: [bold]{', '.join(passwords)}[/bold]")
    console.print(f"Open [bold]http://{host}:{port}/[/bold] and sign in. Ctrl+C stops the demo.")
    serve(host=host, port=port)


def main() -> None:
    """Entry point: run the CLI, turning expected errors into one-line messages."""
    try:
        app()
    except SafetyHubError as exc:
        err_console.print(f"[red]Error:[/red] {exc.detail}")
        sys.exit(2)
