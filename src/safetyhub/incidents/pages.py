"""Incidents pages (thin: they call incidents.service, render templates under web/templates/incidents/)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
