"""Errors that carry their HTTP status; rendered once per surface (API, pages, CLI)."""

from __future__ import annotations

from typing import Any

from safetyhub.text import N_


class SafetyHubError(Exception):
    """Base of every expected error; `status` is the HTTP status it maps to."""

    status: int = 400
    title: str = N_("Bad request")

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class InvalidInput(SafetyHubError):
    """The request is well-formed but its content is not acceptable."""

    status = 422
    title = N_("Invalid input")


class NotAuthenticated(SafetyHubError):
    """No valid credentials were given."""

    status = 401
    title = N_("Not signed in")


class PermissionDenied(SafetyHubError):
    """The actor can see the record but may not do this to it."""

    status = 403
    title = N_("Not allowed")


class NotFound(SafetyHubError):
    """The record does not exist or the access policy hides it (the two are indistinguishable)."""

    status = 404
    title = N_("Not found")


class Conflict(SafetyHubError):
    """The record is not in a state that allows this change."""

    status = 409
    title = N_("Conflict")


class PayloadTooLarge(SafetyHubError):
    """The request body is larger than the configured limit."""

    status = 413
    title = N_("Request too large")


class TooManyRequests(SafetyHubError):
    """Throttled; try again later."""

    status = 429
    title = N_("Too many requests")

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds
