"""Liveness, readiness and version endpoints (no authentication: they reveal no data)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import JSONResponse

from vaxx import __version__

router = APIRouter(tags=["health"])
_log = logging.getLogger("vaxx.health")

ReadinessCheck = Callable[[], None]
"""Raises when its component is not ready; the message is shown in ``/readyz``."""


@router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Database reachable and keys loaded", response_model=None)
def readyz(request: Request) -> JSONResponse:
    checks: dict[str, ReadinessCheck] = {
        "database": _database_check(request.app.state.sessionmaker)
    }
    checks.update(request.app.state.readiness_checks)
    results: dict[str, Any] = {}
    ready = True
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready, reported by name
            _log.warning("readiness check %s failed: %s", name, exc)
            results[name] = f"failing: {type(exc).__name__}"
            ready = False
    status = "ready" if ready else "not_ready"
    return JSONResponse({"status": status, "checks": results}, status_code=200 if ready else 503)


@router.get("/version", summary="Software version")
def version() -> dict[str, str]:
    return {"name": "vaxx", "version": __version__}


def _database_check(factory: sessionmaker[Session]) -> ReadinessCheck:
    def check() -> None:
        with factory() as session:
            session.execute(text("SELECT 1"))

    return check
