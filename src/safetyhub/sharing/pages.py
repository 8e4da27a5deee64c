"""Sharing agreement pages: the register, one agreement, drafting, signing and revoking."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import InvalidInput, PermissionDenied
from safetyhub.organisations import service as organisations
from safetyhub.organisations.models import Organisation
from safetyhub.sharing import service
from safetyhub.sharing.models import AgreementStatus
from safetyhub.sharing.permissions import (
    may_draft_agreement,
    may_revoke_agreement,
    may_sign_agreement,
)
from safetyhub.sharing.queries import AgreementView
from safetyhub.sharing.schemas import MAX_PARTIES
from safetyhub.sharing.vocabulary import (
    SPECIAL_CATEGORY_PURPOSES,
    DataCategory,
    LawfulBasis,
    Purpose,
)
from safetyhub.text import N_
from safetyhub.timeutil import london_today
from safetyhub.web.forms import (
    Csrf,
    DateQuestion,
    FormErrors,
    done_message,
    list_links,
    parse_uuid,
    read_date,
    read_text,
)
from safetyhub.web.labels import LABELS
from safetyhub.web.rendering import redirect, render, translate
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

REGISTER = "/sharing-agreements"
TITLE_MAX = 200  # the column's length
DETAIL_MAX = 4000  # as the API's AgreementCreate

# What each legal gateway means, for the radios and the agreement page.
LAWFUL_BASES: dict[LawfulBasis, tuple[str, str]] = {
    LawfulBasis.cda_1998_s115: (
        N_("Crime and Disorder Act 1998, section 115"),
        N_("A power (not a duty) to disclose to relevant authorities where necessary or "
           "expedient to reduce crime and disorder."),
    ),
    LawfulBasis.cda_1998_s17: (
        N_("Crime and Disorder Act 1998, section 17"),
        N_("The duty to consider crime and disorder in everything the authority does."),
    ),
    LawfulBasis.asb_2014_s104: (
        N_("Anti-social Behaviour, Crime and Policing Act 2014, section 104"),
        N_("ASB Case Reviews (the Community Trigger)."),
    ),
    LawfulBasis.children_act_2004_s11: (
        N_("Children Act 2004, section 11"),
        N_("The duty to safeguard and promote the welfare of children."),
    ),
    LawfulBasis.care_act_2014_s45: (
        N_("Care Act 2014, section 45"),
        N_("Supplying information to a Safeguarding Adults Board."),
    ),
    LawfulBasis.da_act_2021: (
        N_("Domestic Abuse Act 2021"),
        N_("Protecting and supporting victims of domestic abuse, for example through MARAC."),
    ),
    LawfulBasis.uk_gdpr_6_1_e: (
        N_("UK GDPR Article 6(1)(e): public task"),
        N_("A task in the public interest or in the exercise of official authority."),
    ),
    LawfulBasis.consent: (
        N_("Consent of the person the information is about"),
        N_("Each person whose information is shared has agreed to it."),
    ),
    LawfulBasis.other: (
        N_("Another legal gateway"),
        N_("Describe the gateway in the detail below."),
    ),
}
BASIS_BY_VALUE = {basis.value: texts[0] for basis, texts in LAWFUL_BASES.items()}

CATEGORY_HINTS: dict[DataCategory, str] = {
    DataCategory.person_identifiers: N_("Names, dates of birth, addresses, phone numbers and "
                                        "agency reference numbers."),
    DataCategory.incidents: N_("Incidents and concerns each agency has recorded."),
    DataCategory.case_notes: N_("Notes on shared multi-agency cases."),
    DataCategory.referrals: N_("Referrals between the agencies."),
    # UK GDPR Art. 9 / DPA 2018 Sch. 1, as the service enforces.
    DataCategory.special_category: N_(
        "Health, sexual life, ethnicity, religion and similar information. Only for "
        "safeguarding or statutory review: choose one of those purposes as well."
    ),
}

# The register's status tags: the stored status, or whether the dates rule it out today.
STATUS_TAGS: dict[str, tuple[str, str]] = {
    "draft": (N_("Draft"), "govuk-tag--yellow"),
    "active": (N_("Active"), "govuk-tag--green"),
    "revoked": (N_("Revoked"), "govuk-tag--red"),
    "expired": (N_("Expired"), "govuk-tag--grey"),
    "not_yet_valid": (N_("Not yet valid"), "govuk-tag--blue"),
}

DONE_MESSAGES = {
    "drafted": N_("Draft agreement created. Ask the other parties' administrators to sign it."),
    "signed": N_("Your agency has signed this agreement."),
    "revoked": N_("The agreement has been revoked. Sharing under it has stopped."),
}

_START_NOT_REAL = N_("The start date must be a real date")
START_DATE = DateQuestion(
    missing=N_("Enter the date the agreement starts"), incomplete=_START_NOT_REAL,
    not_real=_START_NOT_REAL, year_length=_START_NOT_REAL, earliest_year=None,
)
_END_NOT_REAL = N_("The end date must be a real date")
END_DATE = DateQuestion(
    missing=N_("Enter the date the agreement ends"), incomplete=_END_NOT_REAL,
    not_real=_END_NOT_REAL, year_length=_END_NOT_REAL, earliest_year=None,
)


def shown_status(view: AgreementView, today: date | None = None) -> str:
    """The status to show: revoked, expired, not yet valid, else the stored status."""
    day = today or london_today()
    if view.status == AgreementStatus.revoked:
        return "revoked"
    if view.valid_to < day:
        return "expired"
    if view.status == AgreementStatus.active and view.valid_from > day:
        return "not_yet_valid"
    return view.status


def _common(**context: Any) -> dict[str, Any]:
    return {"status_tags": STATUS_TAGS, "basis_labels": BASIS_BY_VALUE,
            "shown_status": shown_status, **context}


@router.get(REGISTER)
def register(
    request: Request,
    session: DbSession,
    user: SignedInUser,
    status: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The register of agreements the user may see (all of them for the partnership office)."""
    try:
        chosen = AgreementStatus(status) if status else None
    except ValueError:
        raise InvalidInput(N_("Choose a status from the list.")) from None
    listing = service.list_agreements(session, actor=user.actor, status=chosen, page=page)
    return render(
        request, "sharing/register.html", user=user, listing=listing, status=status,
        statuses=[s.value for s in AgreementStatus],
        pagination=list_links(listing, REGISTER, {"status": status}),
        may_draft=may_draft_agreement(user.actor), **_common(),
    )


class AgreementForm(BaseModel):
    """The draft form's fields as posted (bounds generous: the page explains what is wrong)."""

    model_config = ConfigDict(extra="ignore")

    csrf_token: str = Field(default="", max_length=100)
    title: str = Field(default="", max_length=2000)
    parties: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=MAX_PARTIES
    )
    purposes: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=20
    )
    data_categories: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=20
    )
    lawful_basis: str = Field(default="", max_length=40)
    lawful_basis_detail: str = Field(default="", max_length=20_000)
    valid_from_day: str = Field(default="", max_length=10)
    valid_from_month: str = Field(default="", max_length=10)
    valid_from_year: str = Field(default="", max_length=10)
    valid_to_day: str = Field(default="", max_length=10)
    valid_to_month: str = Field(default="", max_length=10)
    valid_to_year: str = Field(default="", max_length=10)


@dataclass
class Draft:
    """A checked draft: the values for the service, or what is wrong with the answers."""

    errors: FormErrors = field(default_factory=FormErrors)
    parties: list[uuid.UUID] = field(default_factory=list)
    purposes: list[Purpose] = field(default_factory=list)
    categories: list[DataCategory] = field(default_factory=list)
    basis: LawfulBasis | None = None
    valid_from: date | None = None
    valid_to: date | None = None


_PURPOSES = {p.value for p in Purpose}
_CATEGORIES = {c.value for c in DataCategory}


def check_draft(form: AgreementForm, own: uuid.UUID, organisations: list[Organisation]) -> Draft:
    """Check the answers as a form (early, field by field); the service re-checks the rules."""
    draft = Draft()
    errors = draft.errors
    read_text("title", form.title, errors, max_length=TITLE_MAX,
              missing=N_("Enter a title for the agreement"),
              too_long=N_("The title must be 200 characters or fewer"))
    known = {org.id for org in organisations}
    for value in dict.fromkeys(form.parties):
        party = parse_uuid(value)
        if party is None or party not in known:
            errors.add("parties", N_("Choose agencies from the list"))
        elif party != own:
            draft.parties.append(party)
    if not draft.parties:
        errors.add("parties", N_("Choose at least one other agency"))
    draft.purposes = [Purpose(p) for p in dict.fromkeys(form.purposes) if p in _PURPOSES]
    draft.categories = [
        DataCategory(c) for c in dict.fromkeys(form.data_categories) if c in _CATEGORIES
    ]
    if len(draft.purposes) != len(set(form.purposes)):
        errors.add("purposes", N_("Choose purposes from the list"))
    elif not draft.purposes:
        errors.add("purposes", N_("Choose at least one purpose"))
    if len(draft.categories) != len(set(form.data_categories)):
        errors.add("data_categories", N_("Choose kinds of information from the list"))
    elif not draft.categories:
        errors.add("data_categories", N_("Choose at least one kind of information"))
    elif DataCategory.special_category in draft.categories and not (
        SPECIAL_CATEGORY_PURPOSES & set(draft.purposes)
    ):
        errors.add("data_categories", N_(
            "Special category information can only be shared for safeguarding or statutory "
            "review: choose one of those purposes as well"
        ))
    draft.basis = LawfulBasis.__members__.get(form.lawful_basis)
    if draft.basis is None:
        errors.add("lawful_basis", N_("Choose the lawful basis"))
    detail = read_text("lawful_basis_detail", form.lawful_basis_detail, errors,
                       max_length=DETAIL_MAX,
                       too_long=N_("The detail must be 4,000 characters or fewer"))
    if draft.basis == LawfulBasis.other and detail is None:
        # A detail that was too long already has its problem (the first one is shown).
        errors.add("lawful_basis_detail", N_("Describe the legal gateway the agreement relies on"))
    draft.valid_from = read_date("valid_from", form.valid_from_day, form.valid_from_month,
                                 form.valid_from_year, errors, START_DATE)
    end = read_date("valid_to", form.valid_to_day, form.valid_to_month, form.valid_to_year,
                    errors, END_DATE)
    if end is not None and end < london_today():
        errors.add("valid_to-day", N_("The end date must be today or in the future"))
    elif end is not None and draft.valid_from is not None and end <= draft.valid_from:
        errors.add("valid_to-day", N_("The end date must be after the start date"))
    else:
        draft.valid_to = end
    return draft


def _require_drafter(user: PageUser) -> None:
    if not may_draft_agreement(user.actor):
        raise PermissionDenied(N_(
            "Only your agency's administrator can draft a sharing agreement. Ask them to draft "
            "it; you can read the agreements your agency is party to in the register."
        ))


def _form_page(
    request: Request, session: DbSession, user: PageUser, form: AgreementForm,
    errors: FormErrors | None = None,
) -> Response:
    others = [o for o in organisations.list_organisations(session) if o.id != user.organisation.id]
    # Choices as (value, label, hint): agencies by name, the rest as message ids.
    return render(
        request, "sharing/new.html", status_code=422 if errors else 200, user=user,
        form=form, errors=errors or FormErrors(),
        parties=[(str(o.id), o.name, None) for o in others],
        purposes=[(p.value, LABELS[p.value], None) for p in Purpose],
        categories=[(c.value, LABELS[c.value], CATEGORY_HINTS[c]) for c in DataCategory],
        bases=[(basis.name, texts[0], texts[1]) for basis, texts in LAWFUL_BASES.items()],
    )


@router.get(f"{REGISTER}/new")
def new_agreement(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The draft form (admins only)."""
    _require_drafter(user)
    return _form_page(request, session, user, AgreementForm())


@router.post(f"{REGISTER}/new/edit")
def edit_answers(
    request: Request, session: DbSession, user: SignedInUser,
    form: Annotated[AgreementForm, Form()],
) -> Response:
    """Back from "check your answers" to the form, with the answers kept."""
    check_csrf(user.csrf_token, form.csrf_token)
    _require_drafter(user)
    return _form_page(request, session, user, form)


@router.post(f"{REGISTER}/new")
def check_answers(
    request: Request, session: DbSession, user: SignedInUser,
    form: Annotated[AgreementForm, Form()],
) -> Response:
    """Check the answers, then show them for a last look before creating the draft."""
    check_csrf(user.csrf_token, form.csrf_token)
    _require_drafter(user)
    everyone = organisations.list_organisations(session)
    draft = check_draft(form, user.organisation.id, everyone)
    if draft.errors:
        return _form_page(request, session, user, form, draft.errors)
    names = {o.id: o.name for o in everyone}
    return render(
        request, "sharing/check.html", user=user, form=form, draft=draft,
        party_names=sorted([user.organisation.name, *(names[p] for p in draft.parties)]),
        bases=LAWFUL_BASES,
    )


@router.post(REGISTER)
def create_agreement(
    request: Request, session: DbSession, user: SignedInUser,
    form: Annotated[AgreementForm, Form()],
) -> Response:
    """Create the draft agreement (nobody has signed it yet)."""
    check_csrf(user.csrf_token, form.csrf_token)
    _require_drafter(user)
    draft = check_draft(form, user.organisation.id, organisations.list_organisations(session))
    if draft.errors:
        return _form_page(request, session, user, form, draft.errors)
    assert draft.basis and draft.valid_from and draft.valid_to  # checked above
    try:
        agreement = service.draft_agreement(
            session, actor=user.actor, title=form.title.strip(),
            parties=[user.organisation.id, *draft.parties], purposes=draft.purposes,
            data_categories=draft.categories, lawful_basis=draft.basis,
            lawful_basis_detail=form.lawful_basis_detail.strip(), valid_from=draft.valid_from,
            valid_to=draft.valid_to,
        )
    except InvalidInput as problem:
        # Not one answer's problem: the summary links to the form as a whole.
        errors = FormErrors()
        errors.add_text("agreement-form", translate(request, problem.detail))
        return _form_page(request, session, user, form, errors)
    return redirect(f"{REGISTER}/{agreement.id}?done=drafted")


@router.get(f"{REGISTER}/{{agreement_id}}")
def agreement_page(
    request: Request, session: DbSession, user: SignedInUser, agreement_id: uuid.UUID,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One agreement: what it covers, who has signed, and the admin's sign and revoke."""
    view = service.get_agreement(session, agreement_id, actor=user.actor)
    party_ids = {p.organisation_id for p in view.parties}
    mine = next((p for p in view.parties if p.organisation_id == user.organisation.id), None)
    status = shown_status(view)
    return render(
        request, "sharing/agreement.html", user=user, agreement=view, status=status,
        done=done_message(DONE_MESSAGES, done), is_party=mine is not None,
        may_sign=may_sign_agreement(user.actor, party_ids) and mine is not None
        and not mine.signed and status in ("draft", "active", "not_yet_valid"),
        may_revoke=may_revoke_agreement(user.actor, party_ids) and status != "revoked",
        purposes=view.purposes, category_hints=CATEGORY_HINTS, **_common(),
    )


@router.post(f"{REGISTER}/{{agreement_id}}/sign")
def sign(
    session: DbSession, user: SignedInUser, agreement_id: uuid.UUID,
    csrf_token: Csrf = "",
) -> Response:
    """Sign for the user's agency; the last signature makes the agreement active."""
    check_csrf(user.csrf_token, csrf_token)
    service.sign_agreement(session, agreement_id, actor=user.actor)
    return redirect(f"{REGISTER}/{agreement_id}?done=signed")


@router.get(f"{REGISTER}/{{agreement_id}}/revoke")
def confirm_revoke(
    request: Request, session: DbSession, user: SignedInUser, agreement_id: uuid.UUID
) -> Response:
    """Ask before revoking: sharing under the agreement stops at once for every party."""
    view = service.get_agreement(session, agreement_id, actor=user.actor)
    if not may_revoke_agreement(user.actor, {p.organisation_id for p in view.parties}):
        raise PermissionDenied(N_("Only an administrator of a party agency can revoke it."))
    return render(request, "sharing/revoke.html", user=user, agreement=view)


@router.post(f"{REGISTER}/{{agreement_id}}/revoke")
def revoke(
    session: DbSession, user: SignedInUser, agreement_id: uuid.UUID,
    csrf_token: Csrf = "",
) -> Response:
    """Revoke the agreement for every party."""
    check_csrf(user.csrf_token, csrf_token)
    service.revoke_agreement(session, agreement_id, actor=user.actor)
    return redirect(f"{REGISTER}/{agreement_id}?done=revoked")
