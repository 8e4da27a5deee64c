"""Demo: load the sample Surrey service directory (HSDS JSON shipped with the package)."""

from __future__ import annotations

from datetime import date
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.models import User
from safetyhub.auth.service import actor_for
from safetyhub.referrals.directory import hsds, service

SAMPLE = "surrey_services.json"
OFFICE_EMAIL = "claire.hughes@surrey-opcc.example"


def sample_bytes() -> bytes:
    """The sample HSDS file: made-up but plausible Surrey services."""
    return (resources.files("safetyhub.referrals.directory") / "sample" / SAMPLE).read_bytes()


def seed_demo(session: Session, *, today: date) -> None:
    """Import the sample directory as the partnership office (or the system if absent)."""
    del today  # the directory has no dates to place
    user = session.scalars(select(User).where(User.email == OFFICE_EMAIL)).first()
    actor = actor_for(user) if user is not None else Actor.system("demo:directory")
    service.import_directory(session, actor=actor, tables=hsds.read_json(SAMPLE, sample_bytes()))
