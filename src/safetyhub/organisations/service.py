"""Partner agencies: add and list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safetyhub.audit import service as audit
from safetyhub.auth.actor import Actor
from safetyhub.errors import Conflict, PermissionDenied
from safetyhub.organisations.models import Organisation, OrganisationKind


def add_organisation(
    session: Session, *, actor: Actor, name: str, kind: OrganisationKind, district: str | None
) -> Organisation:
    """Register a partner agency (an operator of the hub, from the CLI)."""
    if not actor.is_system:
        raise PermissionDenied("Partner agencies are added by the hub's operator.")
    name = name.strip()
    if not name:
        raise Conflict("An organisation needs a name.")
    if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
        raise Conflict(f"An organisation called {name!r} already exists.")
    org = Organisation(name=name, kind=kind.value, district=district)
    session.add(org)
    session.flush()
    audit.record(
        session, actor=actor, action="add_organisation", object_type="organisation",
        object_id=org.id, owner_organisation_id=org.id,
        after={"name": name, "kind": kind.value, "district": district},
    )
    return org


def list_organisations(session: Session) -> list[Organisation]:
    """Every partner agency (the partnership's membership is public to its members)."""
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))
