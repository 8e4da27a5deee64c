"""People API routes (thin: they call people.service)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["people"])
