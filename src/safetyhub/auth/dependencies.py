"""FastAPI dependencies: the request's database session and the acting user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from safetyhub.auth.actor import Actor
from safetyhub.auth.service import actor_for, session_for_token
from safetyhub.errors import InvalidInput, NotAuthenticated
from safetyhub.sharing.vocabulary import Purpose


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: commit once at the end, roll back on any error."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit when the route returns, BEFORE the response is sent, so a client
# never sees success (or follows a redirect) for a change that is not yet committed.
DbSession = Annotated[Session, Depends(get_session, scope="function")]

_bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def parse_purpose(value: str | None) -> Purpose | None:
    """A declared purpose, or None; an unknown value is a clear 422."""
    if value is None or value == "":
        return None
    try:
        return Purpose(value)
    except ValueError:
        allowed = ", ".join(p.value for p in Purpose)
        raise InvalidInput(f"Unknown purpose {value[:40]!r}. Use one of: {allowed}.") from None


def api_actor(
    session: DbSession,
    token: Annotated[str | None, Depends(_bearer)],
    x_purpose: Annotated[
        str | None,
        Header(
            alias="X-Purpose",
            description="Why you are reading another agency's data: "
            + ", ".join(p.value for p in Purpose),
        ),
    ] = None,
) -> Actor:
    """The signed-in API user (bearer token), with the purpose declared in X-Purpose."""
    if not token:
        raise NotAuthenticated("Send a bearer token (POST /api/auth/token).")
    _, user = session_for_token(session, token, kind="api")
    return actor_for(user).with_purpose(parse_purpose(x_purpose))


CurrentActor = Annotated[Actor, Depends(api_actor)]
