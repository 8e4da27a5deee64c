"""Places pages (thin: they call places.service, render templates under web/templates/places/)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
