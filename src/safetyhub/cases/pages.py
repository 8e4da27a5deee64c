"""Cases pages (thin: they call cases.service, render templates under web/templates/cases/)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
