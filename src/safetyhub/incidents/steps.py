"""The incident form's questions: reading each step's answers into the draft, and its look-ups."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.errors import NotFound
from safetyhub.incidents.draft import DraftParty, IncidentDraft, Step
from safetyhub.incidents.models import IncidentCategory, PartyRole
from safetyhub.incidents.schemas import MAX_NARRATIVE, MAX_PARTIES
from safetyhub.pagination import page_request
from safetyhub.people import queries as people_queries
from safetyhub.people.models import PersonRecord
from safetyhub.people.picker import PersonMatches, find_people
from safetyhub.people.service import PersonRecordView, disclosure_of
from safetyhub.places import service as places
from safetyhub.places.models import Place
from safetyhub.places.schemas import postcode_filter_value
from safetyhub.sharing import policy
from safetyhub.sharing.vocabulary import Sensitivity
from safetyhub.text import N_
from safetyhub.timeutil import utcnow
from safetyhub.web.forms import (
    DateQuestion,
    FormErrors,
    parse_uuid,
    read_date,
    read_text,
    read_time,
)
from safetyhub.web.labels import LABELS

LOOKUP_SIZE = 10
NO_FIXED_PLACE = "none"
OCCURRED_ON = DateQuestion(missing=N_("Enter the date it happened"), past_only=True)

# The form groups the categories the way partners talk about them.
CATEGORY_GROUPS: list[tuple[str, list[IncidentCategory]]] = [
    (N_("Anti-social behaviour"), [IncidentCategory.asb_personal, IncidentCategory.asb_nuisance,
                                   IncidentCategory.asb_environmental]),
    (N_("Crime"), [IncidentCategory.bicycle_theft, IncidentCategory.burglary,
                   IncidentCategory.criminal_damage_arson, IncidentCategory.drugs,
                   IncidentCategory.other_theft, IncidentCategory.possession_of_weapons,
                   IncidentCategory.public_order, IncidentCategory.robbery,
                   IncidentCategory.shoplifting, IncidentCategory.theft_from_the_person,
                   IncidentCategory.vehicle_crime,
                   IncidentCategory.violence_and_sexual_offences, IncidentCategory.other_crime]),
    (N_("Partner concerns"), [IncidentCategory.domestic_abuse,
                              IncidentCategory.mental_health_crisis,
                              IncidentCategory.exploitation_concern,
                              IncidentCategory.welfare_concern, IncidentCategory.hate_incident,
                              IncidentCategory.missing_episode]),
]

# Step 4's sensitivity radios: (value, label message id, hint message id).
SENSITIVITY_HINTS: dict[Sensitivity, str] = {
    Sensitivity.standard: N_("Shared with partners under an agreement that covers incidents"),
    Sensitivity.sensitive: N_("For example, a victim's account; some roles cannot read it"),
    Sensitivity.special_category: N_("Health, sexual life, ethnicity or religion: shared only "
                                     "for safeguarding or a statutory review"),
}
SENSITIVITY_CHOICES: list[tuple[str, str, str | None]] = [
    (s.value, LABELS[s.value], SENSITIVITY_HINTS[s]) for s in Sensitivity
]
# Step 3's roles, as radios.
ROLE_CHOICES: list[tuple[str, str, str | None]] = [
    (r.value, LABELS[r.value], None) for r in PartyRole
]


def answer_what(
    draft: IncidentDraft, values: dict[str, str], errors: FormErrors
) -> IncidentDraft:
    """Step 1: the category and when it happened (London time, not in the future)."""
    category: IncidentCategory | None = None
    if values["category"] in {c.value for c in IncidentCategory}:
        category = IncidentCategory(values["category"])
    else:
        errors.add("category", N_("Choose what happened"))
    day = read_date("when", values["when-day"], values["when-month"], values["when-year"],
                    errors, OCCURRED_ON)
    at = read_time("when", values["when-hour"], values["when-minute"], errors,
                   missing=N_("Enter the time it happened, like 14 30"))
    updated = draft.model_copy(update={"category": category, "occurred_on": day,
                                       "occurred_time": at})
    moment = updated.occurred_at
    if moment is not None and moment > utcnow():
        errors.add("when-hour", N_("The time must be in the past"))
    return updated.with_answered(Step.what)


def find_places(session: Session, actor: Actor, query: str) -> list[Place]:
    """Places for the place look-up: by postcode (or its first part) if it is one, else address."""
    text = query.strip()
    if not text:
        return []
    try:
        postcode_filter_value(text)
        is_postcode = True
    except ValueError:
        is_postcode = False
    found = places.search_places(
        session, actor=actor, text=None if is_postcode else text,
        postcode=text if is_postcode else None, page=page_request(1, LOOKUP_SIZE),
    )
    return found.items


def answer_where(
    session: Session, actor: Actor, draft: IncidentDraft, values: dict[str, str],
    errors: FormErrors,
) -> IncidentDraft:
    """Step 2: a place from the gazetteer, or no fixed place in a district."""
    choice = values["place_choice"]
    if choice == NO_FIXED_PLACE:
        district = read_text("district", values["district"], errors, max_length=100,
                             missing=N_("Enter the district where it happened"))
        return draft.model_copy(update={"place_id": None, "no_fixed_place": True,
                                        "district": district}).with_answered(Step.where)
    try:
        place = places.get_place(session, actor=actor, place_id=uuid.UUID(choice))
    except (ValueError, NotFound):
        errors.add("place_choice",
                   N_("Choose the place where it happened, or choose no fixed place"))
        return draft
    return draft.model_copy(update={"place_id": place.id, "no_fixed_place": False,
                                    "district": None}).with_answered(Step.where)


def chosen_place(session: Session, actor: Actor, draft: IncidentDraft) -> Place | None:
    """The draft's place, if one was chosen and is still readable."""
    if draft.place_id is None or draft.no_fixed_place:
        return None
    try:
        return places.get_place(session, actor=actor, place_id=draft.place_id)
    except NotFound:
        return None


def people_matching(session: Session, actor: Actor, query: str) -> PersonMatches:
    """Step 3's person look-up: records the actor may see whose names match (reads audited)."""
    return find_people(session, actor, query, limit=LOOKUP_SIZE)


def visible_people(
    session: Session, actor: Actor, ids: list[uuid.UUID]
) -> dict[uuid.UUID, PersonRecordView]:
    """The draft's parties the actor may (still) see, by id; showing another agency's is a read."""
    if not ids:
        return {}
    rows = session.execute(
        people_queries.person_records_with_owner(actor).where(PersonRecord.id.in_(ids))
    ).all()
    views = {record.id: PersonRecordView(record, name) for record, name in rows}
    policy.record_disclosures(session, actor, [disclosure_of(v.record) for v in views.values()])
    return views


def add_party(
    session: Session, actor: Actor, draft: IncidentDraft, values: dict[str, str],
    errors: FormErrors,
) -> IncidentDraft:
    """Step 3: add one person (a record the actor may see) in a role."""
    person_id = parse_uuid(values["person"])
    if person_id is None:
        errors.add("person", N_("Choose the person to add"))
    role = values["role"] if values["role"] in {r.value for r in PartyRole} else None
    if role is None:
        errors.add("role", N_("Choose how the person was involved"))
    if person_id is None or role is None:
        return draft
    if person_id not in visible_people(session, actor, [person_id]):
        errors.add("person", N_("Choose the person to add"))
        return draft
    party = DraftParty(person_record_id=person_id, role=PartyRole(role))
    if party in draft.parties:
        errors.add("person", N_("This person is already added in this role"))
        return draft
    if len(draft.parties) >= MAX_PARTIES:
        errors.add("person", N_("You can add up to %(max)s people"), max=MAX_PARTIES)
        return draft
    return draft.model_copy(update={"parties": [*draft.parties, party]})


def remove_party(draft: IncidentDraft, key: str) -> IncidentDraft:
    """Step 3: remove the party named by `key` ("<person record id>:<role>")."""
    kept = [p for p in draft.parties if f"{p.person_record_id}:{p.role.value}" != key]
    return draft.model_copy(update={"parties": kept})


def answer_details(
    draft: IncidentDraft, values: dict[str, str], errors: FormErrors
) -> IncidentDraft:
    """Step 4: the account of what happened, and how sensitive it is."""
    # Kept verbatim apart from browsers' CRLF line ends and surrounding blank lines: it is
    # the practitioner's account.
    narrative = values["narrative"].replace("\r\n", "\n").strip("\n")
    if not narrative.strip():
        errors.add("narrative", N_("Describe what happened"))
    elif len(narrative) > MAX_NARRATIVE:
        errors.add("narrative", N_("Describe what happened in %(max)s characters or fewer"),
                   max=MAX_NARRATIVE)
    sensitivity: Sensitivity | None = None
    if values["sensitivity"] in {s.value for s in Sensitivity}:
        sensitivity = Sensitivity(values["sensitivity"])
    else:
        errors.add("sensitivity", N_("Choose how sensitive the record is"))
    return draft.model_copy(update={"narrative": narrative, "sensitivity": sensitivity}
                            ).with_answered(Step.details)
