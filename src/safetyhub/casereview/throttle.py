"""Throttle for the public forms: too many submissions from one client, or from all, -> 429."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from fastapi import Request
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from safetyhub.casereview.models import PublicSubmission
from safetyhub.config import get_settings
from safetyhub.errors import TooManyRequests
from safetyhub.text import N_
from safetyhub.timeutil import utcnow

TRY_LATER = N_("Too many forms have been sent from here recently. Try again later.")


def client_key(address: str | None) -> str:
    """A digest of the client's address (the address itself is never stored)."""
    return hashlib.sha256(f"safetyhub-public-form:{address or 'unknown'}".encode()).hexdigest()


def client_address(request: Request) -> str | None:
    """The address the request came from (behind a proxy: the proxy's, unless it rewrites it)."""
    return request.client.host if request.client else None


def admit_public_submission(session: Session, *, form: str, client_address: str | None) -> None:
    """Count this submission, or refuse it when the client or everyone has sent too many.

    The caller commits the count even when the submission then fails (a wrong appeal
    reference counts too), so guessing references is throttled.
    """
    settings = get_settings()
    window = timedelta(minutes=settings.public_form_window_minutes)
    now = utcnow()
    session.execute(delete(PublicSubmission).where(PublicSubmission.created_at < now - window))
    key = client_key(client_address)
    recent = select(func.count()).select_from(PublicSubmission).where(
        PublicSubmission.form == form, PublicSubmission.created_at >= now - window)
    from_client = session.scalar(recent.where(PublicSubmission.client_key == key)) or 0
    from_everyone = session.scalar(recent) or 0
    if (from_client >= settings.public_form_max_per_client
            or from_everyone >= settings.public_form_max_total):
        raise TooManyRequests(TRY_LATER, retry_after_seconds=int(window.total_seconds()))
    session.add(PublicSubmission(form=form, client_key=key, created_at=now))
    session.flush()
