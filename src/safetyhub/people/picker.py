"""The person look-up of the page forms (open a case, send a referral, record an incident)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.pagination import page_request
from safetyhub.people.service import PersonRecordView, search_person_records
from safetyhub.text import N_
from safetyhub.web.forms import FormErrors, read_text

QUERY_MAX = 200  # as the forms' `q` fields


@dataclass(frozen=True)
class PersonMatches:
    """The look-up's matches the actor may see, and how many other agencies hold hidden ones."""

    people: list[PersonRecordView]
    known_to_other_agencies: int


def read_query(anchor: str, value: str | None, errors: FormErrors) -> str | None:
    """The name to look up, or None with a problem when it is blank."""
    return read_text(anchor, value, errors, max_length=QUERY_MAX,
                     missing=N_("Enter a name to search for"))


def find_people(
    session: Session, actor: Actor, query: str, *, limit: int,
    exclude: Collection[uuid.UUID] = (),
) -> PersonMatches:
    """Person records the actor may see whose names match `query`, less those already chosen.

    Reads through people.service, so another agency's records are audited and hidden matches
    are only counted (rule 4).
    """
    if not query.strip():
        return PersonMatches([], 0)
    found = search_person_records(session, actor=actor, name=query.strip(),
                                  page=page_request(1, limit))
    return PersonMatches([v for v in found.items if v.record.id not in exclude],
                         found.known_to_other_agencies)
