"""Audit API routes (thin: they call audit.service)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["audit"])
