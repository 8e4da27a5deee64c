"""Places API routes (thin: they call places.service)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["places"])
