"""The users page for an agency's admin: list, add and deactivate their own agency's users."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field, TypeAdapter, ValidationError

from safetyhub.auth import service
from safetyhub.auth.dependencies import DbSession
from safetyhub.auth.models import Role, User
from safetyhub.auth.permissions import may_manage_users_of
from safetyhub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from safetyhub.organisations.models import OrganisationKind
from safetyhub.text import N_
from safetyhub.web.forms import Csrf, FormErrors, read_text
from safetyhub.web.labels import LABELS
from safetyhub.web.rendering import redirect, render, translate
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

ROLE_HINTS: dict[Role, str] = {
    Role.practitioner: N_("Records concerns, works cases, sends and answers referrals."),
    Role.supervisor: N_("As a practitioner, and assigns work, reviews risk and chairs meetings."),
    Role.analyst: N_("Runs linkage and produces the partnership picture and reports."),
    Role.admin: N_("Manages your agency's users, sharing agreements and audit log."),
    Role.partnership_office: N_("Sees the county-wide picture and the whole agreements register."),
}
_EMAIL = TypeAdapter(EmailStr)


class NewUserForm(BaseModel):
    """The add-a-user form as posted (bounds generous: the page explains what is wrong)."""

    model_config = ConfigDict(extra="ignore")

    csrf_token: str = Field(default="", max_length=100)
    full_name: str = Field(default="", max_length=2000)
    email: str = Field(default="", max_length=2000)
    role: str = Field(default="", max_length=40)
    password: str = Field(default="", max_length=2000)


def _agency_users(session: DbSession, user: PageUser) -> list[User]:
    """The admin's own agency's users; anyone else is refused here (403)."""
    if not may_manage_users_of(user.actor, user.organisation.id):
        raise PermissionDenied(N_("Only your agency's administrator can manage its users."))
    return service.list_users(session, actor=user.actor, organisation_id=user.organisation.id)


def _roles(user: PageUser) -> list[Role]:
    """Roles the admin may give: the partnership office role only in the partnership office."""
    office = user.organisation.kind == OrganisationKind.partnership_office
    return [r for r in Role if office or r != Role.partnership_office]


@router.get("/users")
def users(
    request: Request, session: DbSession, user: SignedInUser,
    added: Annotated[str, Query(max_length=40)] = "",
    deactivated: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The users of the admin's agency."""
    members = _agency_users(session, user)
    by_id = {str(m.id): m for m in members}
    banner = None
    if added in by_id:
        banner = (N_("%(name)s has been added. Give them their initial password in person or "
                     "by phone, never by email."), by_id[added].full_name)
    elif deactivated in by_id:
        banner = (N_("%(name)s has been deactivated and signed out everywhere."),
                  by_id[deactivated].full_name)
    return render(request, "users/list.html", user=user, members=members, banner=banner)


def _new_user_page(
    request: Request, user: PageUser, form: NewUserForm, errors: FormErrors | None = None,
    status_code: int = 422,
) -> Response:
    return render(
        request, "users/new.html", status_code=status_code if errors else 200, user=user,
        # In words here (not by the template), so the messages are escaped as plain text.
        form=form, errors=(errors or FormErrors()).in_words(lambda m: translate(request, m)),
        min_length=service.MIN_PASSWORD_LENGTH,
        roles=[(r.value, LABELS[r.value], ROLE_HINTS[r]) for r in _roles(user)],
    )


@router.get("/users/new")
def new_user(request: Request, session: DbSession, user: SignedInUser) -> Response:
    """The add-a-user form."""
    _agency_users(session, user)
    return _new_user_page(request, user, NewUserForm())


def _check_new_user(form: NewUserForm, roles: list[Role]) -> FormErrors:
    errors = FormErrors()
    read_text("full_name", form.full_name, errors, max_length=200,
              missing=N_("Enter the user's full name"),
              too_long=N_("The full name must be 200 characters or fewer"))
    if not form.email.strip():
        errors.add("email", N_("Enter the user's email address"))
    else:
        try:
            _EMAIL.validate_python(form.email.strip())
        except ValidationError:
            errors.add("email", N_("Enter an email address in the right format, like "
                                   "name@example.org"))
    if form.role not in {r.value for r in roles}:
        errors.add("role", N_("Choose the user's role"))
    if len(form.password) < service.MIN_PASSWORD_LENGTH:
        errors.add("password", N_("The initial password must be at least 12 characters"))
    elif len(form.password) > 200:
        errors.add("password", N_("The initial password must be 200 characters or fewer"))
    return errors


@router.post("/users/new")
def add_user(
    request: Request, session: DbSession, user: SignedInUser,
    form: Annotated[NewUserForm, Form()],
) -> Response:
    """Add a user to the admin's own agency."""
    check_csrf(user.csrf_token, form.csrf_token)
    _agency_users(session, user)
    errors = _check_new_user(form, _roles(user))
    if errors:
        return _new_user_page(request, user, form, errors)
    try:
        added = service.add_user(
            session, actor=user.actor, email=form.email, full_name=form.full_name.strip(),
            organisation_id=user.organisation.id, role=Role(form.role), password=form.password,
        )
    except Conflict:
        errors.add("email", N_("A user with this email address already exists"))
        return _new_user_page(request, user, form, errors, status_code=409)
    except InvalidInput as problem:
        errors.add_text("password", problem.detail)
        return _new_user_page(request, user, form, errors)
    return redirect(f"/users?added={added.id}")


def _member(session: DbSession, user: PageUser, user_id: uuid.UUID) -> User:
    """A user of the admin's own agency; any other id is not found (never revealed)."""
    member = next((m for m in _agency_users(session, user) if m.id == user_id), None)
    if member is None:
        raise NotFound(N_("There is no user of your agency with that ID."))
    return member


@router.get("/users/{user_id}/deactivate")
def confirm_deactivate(
    request: Request, session: DbSession, user: SignedInUser, user_id: uuid.UUID
) -> Response:
    """Ask before deactivating: the user is signed out and cannot sign in again."""
    member = _member(session, user, user_id)
    if member.id == user.user.id:
        raise Conflict(N_("You cannot deactivate your own account. Ask another administrator."))
    if not member.active:
        raise Conflict(N_("This user has already been deactivated."))
    return render(request, "users/deactivate.html", user=user, member=member)


@router.post("/users/{user_id}/deactivate")
def deactivate(
    session: DbSession, user: SignedInUser, user_id: uuid.UUID,
    csrf_token: Csrf = "",
) -> Response:
    """Deactivate a user of the admin's agency."""
    check_csrf(user.csrf_token, csrf_token)
    _agency_users(session, user)
    service.deactivate_user(session, actor=user.actor, user_id=user_id)
    return redirect(f"/users?deactivated={user_id}")
