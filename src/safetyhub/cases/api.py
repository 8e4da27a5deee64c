"""Cases API routes (thin: they call cases.service)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["cases"])
