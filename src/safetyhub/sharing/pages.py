"""Sharing pages (thin: they call sharing.service, render templates under web/templates/sharing/)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
