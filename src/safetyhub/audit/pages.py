"""Audit pages (thin: they call audit.service, render templates under web/templates/audit/)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
