"""Seed the configured database with the synthetic county, and read back the demo sign-ins."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from safetyhub.auth.models import User
from safetyhub.db import get_engine, job_session
from safetyhub.errors import Conflict, InvalidInput
from safetyhub.organisations.models import Organisation
from safetyhub.synthetic.context import REFERENCE_DATE
from safetyhub.synthetic.directory import DEMO_EMAILS, DEMO_PASSWORD
from safetyhub.synthetic.generator import SCALES, generate_county
from safetyhub.synthetic.loader import load_county


@dataclass(frozen=True)
class DemoSignIn:
    """A demo user's sign-in details, printed by `safetyhub demo`."""

    email: str
    password: str
    organisation: str
    role: str


def _organisation_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Organisation)) or 0)


def _require_schema() -> None:
    if not inspect(get_engine()).has_table(Organisation.__tablename__):
        raise Conflict("The database has no schema yet: run `safetyhub db upgrade` first.")


def seed_database(*, scale: str, seed: int, ground_truth_path: Path | None,
                  progress: bool = True, today: date | None = None) -> str:
    """Generate and load a synthetic county into the configured database; return a summary.

    All-or-nothing: the county is loaded in one transaction. `today` is the reference date the
    county's 24 months end on (default: a fixed date, so the same seed gives the same county).
    """
    if scale not in SCALES:
        raise InvalidInput(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}.")
    _require_schema()
    refusal = Conflict(
        "The database already holds partner agencies; seed only an empty database "
        "(or point SAFETYHUB_DATABASE_URL at a new one)."
    )
    with job_session() as session:
        if _organisation_count(session):
            raise refusal
    started = time.monotonic()
    county = generate_county(scale, seed, today or REFERENCE_DATE)
    with job_session() as session:
        if _organisation_count(session):  # someone seeded meanwhile
            raise refusal
        counts = load_county(session, county, progress=progress)
    elapsed = time.monotonic() - started
    lines = [
        f"Seeded a {scale} synthetic county (seed {seed}, reference date "
        f"{county.today.isoformat()}) in {elapsed:.1f} s: "
        + ", ".join(f"{counts.get(t, 0):,} {t.replace('_', ' ')}" for t in (
            "organisations", "users", "places", "person_records", "incidents", "cases",
            "referrals")) + ".",
        f"Every demo user's password is {DEMO_PASSWORD}.",
    ]
    if ground_truth_path is not None:
        ground_truth_path.parent.mkdir(parents=True, exist_ok=True)
        ground_truth_path.write_text(json.dumps(county.truth, indent=1), encoding="utf-8")
        lines.append(f"Ground truth of the planted patterns written to {ground_truth_path}.")
    return "\n".join(lines)


def database_is_empty() -> bool:
    """True when the configured database has no organisations yet (or no schema at all)."""
    if not inspect(get_engine()).has_table(Organisation.__tablename__):
        return True
    with job_session() as session:
        return _organisation_count(session) == 0


def demo_sign_ins() -> list[DemoSignIn]:
    """Sign-in details of demo users from several agencies, as stored in the database."""
    with job_session() as session:
        rows = session.execute(
            select(User.email, Organisation.name, User.role)
            .join(Organisation, Organisation.id == User.organisation_id)
            .where(User.email.in_(DEMO_EMAILS), User.active.is_(True))
        ).all()
    found = {email: (org, role) for email, org, role in rows}
    return [DemoSignIn(email, DEMO_PASSWORD, *found[email])
            for email in DEMO_EMAILS if email in found]
