"""The FastAPI application factory: one app that mounts every domain's router."""

from __future__ import annotations

from fastapi import FastAPI

from booking.availability.router import router as availability_router
from booking.router import router as booking_router
from booking.smart_links.router import router as smart_links_router
from issuer import router as issuer_router
from profiles.router import router as profiles_router
from trust_list.router import router as trust_list_router
from vaxx import __version__, admin, health, problems
from vaxx.clock import Clock, system_clock
from vaxx.db import make_engine, make_sessionmaker
from vaxx.middleware import BodyLimit, RequestContext
from vaxx.settings import Settings, get_settings
from verifier.router import router as verifier_router
from wallet_api.router import router as wallet_router

DESCRIPTION = """
vaxx issues and verifies signed vaccination and test certificates built on FHIR
(the Taiwan Digital COVID Certificate IG) in the EU DCC wire format, and runs the
vaccination booking that feeds them.

Every error is an RFC 9457 `application/problem+json` body with a stable `code`.
Protected endpoints take `Authorization: Bearer <token>`; create a token with
`vaxx clients create --name NAME --scope SCOPE --print-token`.
"""


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """Build the app for ``settings``; the database must already be migrated."""
    settings = settings or get_settings()
    app = FastAPI(title="vaxx", version=__version__, description=DESCRIPTION)
    engine = make_engine(settings.resolved_database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.clock = clock
    app.state.readiness_checks = {}

    problems.install(app)
    app.include_router(health.router)
    app.include_router(admin.router)
    app.include_router(booking_router)
    app.include_router(smart_links_router)
    app.include_router(availability_router)
    app.include_router(trust_list_router)
    app.include_router(profiles_router)
    app.include_router(wallet_router)
    app.include_router(verifier_router)
    issuer_router.install(app)

    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        max_depth=settings.max_json_depth,
    )
    app.add_middleware(RequestContext)
    return app
