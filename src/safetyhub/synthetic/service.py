"""Seed the database with the synthetic county (implementation in progress)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DemoSignIn:
    """A demo user's sign-in details, printed by `safetyhub demo`."""

    email: str
    password: str
    organisation: str
    role: str


def seed_database(*, scale: str, seed: int, ground_truth_path: Path | None) -> str:
    """Generate and load a synthetic county into the configured database; return a summary."""
    raise NotImplementedError


def database_is_empty() -> bool:
    """True when the configured database has no organisations yet."""
    raise NotImplementedError


def demo_sign_ins() -> list[DemoSignIn]:
    """Sign-in details of demo users from several agencies."""
    raise NotImplementedError
