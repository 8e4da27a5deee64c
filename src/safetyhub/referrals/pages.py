"""Referrals pages (thin: they call referrals.service, render templates under web/templates/referrals/)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
