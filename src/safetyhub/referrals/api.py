"""Referrals API routes (thin: they call referrals.service)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["referrals"])
