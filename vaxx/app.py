"""The FastAPI application factory: one app that mounts every domain's router."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from booking.availability.router import router as availability_router
from booking.pages.routes import router as booking_pages_router
from booking.router import router as booking_router
from booking.smart_links.fetch import HttpFetcher
from booking.smart_links.router import router as smart_links_router
from booking.smart_links.schedule import FeedPuller
from issuer import router as issuer_router
from profiles.router import router as profiles_router
from trust_list.router import router as trust_list_router
from vaxx import __version__, admin, health, metrics, openapi_problems, problems, shared_state
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


@asynccontextmanager
async def _background(app: FastAPI) -> AsyncIterator[None]:
    """Work a serving process does on its own (pulling partners' feeds), started with the
    server and stopped on shutdown; apps built with ``background=False`` (tests) have none."""
    settings: Settings = app.state.settings
    puller = None
    if app.state.background and settings.availability_pull_seconds > 0:
        puller = FeedPuller(
            app.state.sessionmaker,
            HttpFetcher(),
            clock=app.state.clock,
            period=timedelta(seconds=settings.availability_pull_seconds),
        )
        puller.start()
    try:
        yield
    finally:
        if puller is not None:
            puller.stop()


def create_served_app() -> FastAPI:
    """The app ``vaxx serve`` runs: settings from the environment, background work on."""
    return create_app(background=True)


def create_app(
    settings: Settings | None = None, *, clock: Clock = system_clock, background: bool = False
) -> FastAPI:
    """Build the app for ``settings``; the database must already be migrated."""
    settings = settings or get_settings()
    app = FastAPI(title="vaxx", version=__version__, description=DESCRIPTION, lifespan=_background)
    engine = make_engine(
        settings.resolved_database_url,
        statement_timeout_seconds=settings.database_statement_timeout_seconds,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.clock = clock
    app.state.background = background
    app.state.readiness_checks = {}

    problems.install(app)
    openapi_problems.install(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(admin.router)
    app.include_router(booking_router)
    app.include_router(smart_links_router)
    app.include_router(availability_router)
    app.include_router(booking_pages_router)
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
    shared_state.install(app, settings)  # rate limits: inside RequestContext (request ids)
    app.add_middleware(RequestContext)
    app.add_middleware(metrics.RecordRequests)
    return app
