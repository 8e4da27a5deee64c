"""People pages (thin: they call people.service, render templates under web/templates/people/)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
