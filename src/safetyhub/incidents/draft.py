"""The incident form's draft between steps: carried in the page, sealed with an HMAC.

No table holds drafts: each step's page carries the answers so far as a hidden field, signed
with a key only the server knows for this page session, so a changed or replayed draft is
refused. The signature is about integrity, not permission: the service checks every answer
(visibility of parties and place, times) again when the incident is recorded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import date, datetime, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from safetyhub.errors import SafetyHubError
from safetyhub.incidents.models import IncidentCategory, PartyRole
from safetyhub.incidents.schemas import MAX_NARRATIVE, MAX_PARTIES, IncidentCreate
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.text import N_
from safetyhub.timeutil import LONDON, to_utc
from safetyhub.web.session import PageUser

# Long enough for the longest narrative in any script (4 bytes a character), base64 encoded.
MAX_SEALED_DRAFT = 4 * MAX_NARRATIVE * 4 // 3 + 20_000


class Step(StrEnum):
    """The questions of the incident form, in order, then the check-your-answers page."""

    what = "what"
    where = "where"
    who = "who"
    details = "details"
    check = "check"


QUESTIONS = [Step.what, Step.where, Step.who, Step.details]


class DraftParty(BaseModel):
    """A person record added to the draft, and their role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    person_record_id: uuid.UUID
    role: PartyRole


class IncidentDraft(BaseModel):
    """The answers given so far (every field optional until its step is answered)."""

    model_config = ConfigDict(extra="forbid")

    category: IncidentCategory | None = None
    occurred_on: date | None = None
    occurred_time: time | None = None
    place_id: uuid.UUID | None = None
    no_fixed_place: bool = False
    district: str | None = Field(default=None, max_length=100)
    parties: list[DraftParty] = Field(default_factory=list, max_length=MAX_PARTIES)
    narrative: str = Field(default="", max_length=MAX_NARRATIVE)
    sensitivity: Sensitivity | None = None
    answered: list[Step] = Field(default_factory=list, max_length=len(QUESTIONS))

    def with_answered(self, step: Step) -> IncidentDraft:
        """The draft with `step` marked as answered."""
        answered = self.answered if step in self.answered else [*self.answered, step]
        return self.model_copy(update={"answered": answered})

    @property
    def complete(self) -> bool:
        """Whether every question has been answered."""
        return all(step in self.answered for step in QUESTIONS)

    @property
    def occurred_at(self) -> datetime | None:
        """When it happened, as lived in London, in UTC."""
        if self.occurred_on is None or self.occurred_time is None:
            return None
        return to_utc(datetime.combine(self.occurred_on, self.occurred_time, tzinfo=LONDON))

    def next_question(self) -> Step:
        """The first question not answered yet, or the check page."""
        return next((step for step in QUESTIONS if step not in self.answered), Step.check)

    def to_create(self) -> IncidentCreate:
        """The service's input for the answers (ValidationError if they cannot be recorded)."""
        return IncidentCreate.model_validate({
            "category": self.category,
            "occurred_at": self.occurred_at,
            "place_id": None if self.no_fixed_place else self.place_id,
            "district": self.district,
            "narrative": self.narrative,
            "sensitivity": self.sensitivity or Sensitivity.standard,
            "parties": [party.model_dump() for party in self.parties],
        })


class DraftRefused(SafetyHubError):
    """The draft in the form was changed outside SafetyHub or belongs to another session."""

    status = 400
    title = N_("The form could not be checked")


def _key(user: PageUser) -> bytes:
    # The CSRF secret names the page session; the session row's id is never sent to the
    # browser, so the key is unknown to the client even though the CSRF token is not.
    material = f"safetyhub incident draft\0{user.auth_session.id}\0{user.csrf_token}"
    return hashlib.sha256(material.encode()).digest()


def seal(draft: IncidentDraft, user: PageUser) -> tuple[str, str]:
    """The draft as a hidden field value, and its signature."""
    payload = base64.urlsafe_b64encode(draft.model_dump_json().encode()).decode()
    signature = hmac.new(_key(user), payload.encode(), hashlib.sha256).hexdigest()
    return payload, signature


def unseal(payload: str, signature: str, user: PageUser) -> IncidentDraft:
    """The draft from a form, or DraftRefused if it was changed or is not this session's."""
    expected = hmac.new(_key(user), payload.encode(), hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature):
        raise DraftRefused(N_("Your answers could not be checked. Start the form again."))
    try:
        return IncidentDraft.model_validate_json(base64.urlsafe_b64decode(payload.encode()))
    except (ValueError, ValidationError):
        raise DraftRefused(N_("Your answers could not be checked. Start the form again.")) from None
