"""A small partnership for meeting and commitment tests: the office and three agencies."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import Role, User
from safetyhub.organisations.models import Organisation, OrganisationKind
from tests.factories import make_org, make_user


@dataclass
class World:
    """The partnership office, police, council and housing, with a user each."""

    office: Organisation
    police: Organisation
    council: Organisation
    housing: Organisation
    office_user: User
    police_user: User
    council_user: User
    housing_user: User


def make_world(session: Session) -> World:
    """Build the world."""
    office = make_org(session, "Office of the Police and Crime Commissioner",
                      OrganisationKind.partnership_office)
    police = make_org(session, "Surrey Police", OrganisationKind.police)
    council = make_org(session, "Guildford Borough Council", OrganisationKind.council)
    housing = make_org(session, "Elm Housing Association", OrganisationKind.housing)
    return World(
        office=office, police=police, council=council, housing=housing,
        office_user=make_user(session, office, Role.partnership_office),
        police_user=make_user(session, police), council_user=make_user(session, council),
        housing_user=make_user(session, housing),
    )


def audit_count(session: Session, action: str | None = None) -> int:
    """How many audit events (of `action`) there are."""
    statement = select(func.count()).select_from(AuditEvent)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    return int(session.scalar(statement) or 0)


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_file(kind: str) -> bytes:
    """A minimal DOCX/PPTX (OOXML) or ODT/ODP (ODF) archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind in ("odt", "odp"):
            name = "text" if kind == "odt" else "presentation"
            archive.writestr(zipfile.ZipInfo("mimetype"),
                             f"application/vnd.oasis.opendocument.{name}")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(("word/" if kind == "docx" else "ppt/") + "document.xml", "<x/>")
    return buffer.getvalue()
