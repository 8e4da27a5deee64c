"""Sharing API routes (thin: they call sharing.service)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["sharing"])
