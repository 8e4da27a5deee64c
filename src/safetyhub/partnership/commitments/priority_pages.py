"""The priorities page: the agreement's priorities, and the form to add one (the office)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import Conflict, PermissionDenied
from safetyhub.partnership.commitments import permissions, reads, service
from safetyhub.partnership.commitments.schemas import MAX_PRIORITY_NAME
from safetyhub.text import N_
from safetyhub.web.forms import Csrf, FormErrors, done_message, read_text
from safetyhub.web.rendering import redirect, render
from safetyhub.web.session import PageUser, SignedInUser, check_csrf

router = APIRouter(include_in_schema=False)

BASE = "/partnership/priorities"
CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
Field = Annotated[str, Form(max_length=MAX_PRIORITY_NAME * 2)]
DONE_MESSAGES = {"added": N_("Priority added")}


def code_from(name: str) -> str:
    """A code made from a priority's name: lower case, words joined by underscores."""
    words = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return words.lstrip("0123456789_")[:40].rstrip("_")


def _page(request: Request, session: Session, user: PageUser, *, form: dict[str, Any],
          errors: FormErrors, done: str | None = None, status_code: int = 200) -> Response:
    return render(request, "partnership/commitments/priorities.html", status_code=status_code,
                  user=user, priorities=reads.list_priorities(session, actor=user.actor),
                  may_manage=permissions.may_manage_commitments(user.actor), form=form,
                  errors=errors, done=done_message(DONE_MESSAGES, done))


@router.get(BASE)
def priority_list(request: Request, session: DbSession, user: SignedInUser, done: str = ""
                  ) -> Response:
    """The agreement's priorities; the partnership office may add one."""
    return _page(request, session, user, form={}, errors=FormErrors(), done=done)


@router.post(BASE)
def add_priority(request: Request, session: DbSession, user: SignedInUser,
                 csrf_token: Csrf = "", name: Field = "", code: Field = "") -> Response:
    """Add a priority (the partnership office), or show what to fix."""
    check_csrf(user.csrf_token, csrf_token)
    if not permissions.may_manage_commitments(user.actor):
        raise PermissionDenied(
            N_("Only the partnership office changes the agreement's priorities."))
    errors = FormErrors()
    words = read_text("name", name, errors, max_length=MAX_PRIORITY_NAME,
                      missing=N_("Enter the name of the priority"))
    chosen = code.strip() or (code_from(words) if words else "")
    if words is not None and not CODE.match(chosen):
        errors.add("code", N_("Enter a code of 2 to 40 lower-case letters, numbers or "
                              "underscores, starting with a letter"))
    if not errors and words is not None:
        try:
            service.add_priority(session, actor=user.actor, code=chosen, name=words)
        except Conflict:
            errors.add("code", N_("There is already a priority with that code"))
        else:
            return redirect(f"{BASE}?done=added")
    return _page(request, session, user, form={"name": name, "code": code}, errors=errors,
                 status_code=422)
