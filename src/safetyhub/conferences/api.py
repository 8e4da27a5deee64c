"""conferences JSON API routes (thin: they call the service)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["conferences"])
