"""Case review pages: the public application and appeal, and the staff pages."""

from __future__ import annotations

from fastapi import APIRouter

from safetyhub.casereview.action_pages import router as action_router
from safetyhub.casereview.appeal_pages import router as appeal_router
from safetyhub.casereview.apply_pages import router as apply_router
from safetyhub.casereview.staff_pages import router as staff_router

router = APIRouter(include_in_schema=False)
router.include_router(apply_router)
router.include_router(appeal_router)
# The staff pages' fixed addresses (figures, letter) come before the forms' /{form}.
router.include_router(staff_router)
router.include_router(action_router)
