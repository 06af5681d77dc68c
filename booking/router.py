"""The booking API: public booking endpoints and the staff endpoints, under ``/booking``."""

from __future__ import annotations

from fastapi import APIRouter

from booking import public_routes, registry_routes, staff_routes

router = APIRouter()
router.include_router(public_routes.router)
router.include_router(staff_routes.router)
router.include_router(registry_routes.router)
