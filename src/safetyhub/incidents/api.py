"""Incidents API routes (thin: they call incidents.service)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["incidents"])
