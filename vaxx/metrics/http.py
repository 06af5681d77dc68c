"""``GET /metrics`` in the Prometheus text format, and the middleware that times requests.

With several worker processes (``vaxx serve --workers N``) each worker counts into its own
files under ``PROMETHEUS_MULTIPROC_DIR`` (see :mod:`vaxx.metrics.workers`) and a scrape,
whichever worker answers it, sums them all. A single process serves its own registry.

The endpoint is open unless ``VAXX_METRICS_TOKEN`` is set; then it wants that token as a
bearer token (Prometheus ``authorization.credentials_file``). It holds counts, not data,
but issuance volume is not for the public either: docs/deploy.md keeps it off the proxy.
"""

from __future__ import annotations

import hmac
import os
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.routing import iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vaxx.errors import AuthError
from vaxx.metrics.instruments import HTTP_LATENCY, HTTP_REQUESTS, RATE_LIMITED, UNMATCHED_ROUTE

router = APIRouter(tags=["health"])
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_bearer = HTTPBearer(auto_error=False, description="VAXX_METRICS_TOKEN, when one is set")


def _metrics_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    expected = request.app.state.settings.metrics_token
    if expected is None:
        return
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), expected.get_secret_value().encode()):
        raise AuthError("/metrics wants the metrics token as 'Authorization: Bearer <token>'")


@router.get(
    "/metrics",
    summary="Prometheus metrics (requests, certificates issued, verifications, bookings)",
    response_class=Response,
    dependencies=[Depends(_metrics_token)],
)
def metrics() -> Response:
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class RecordRequests:
    """Count and time every HTTP request by route template, method and status class."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_recording_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_recording_status)
        finally:
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            route = route_template(scope)
            HTTP_REQUESTS.labels(method, route, f"{status // 100}xx").inc()
            HTTP_LATENCY.labels(method, route).observe(time.perf_counter() - started)
            if status == 429:
                RATE_LIMITED.labels(route).inc()


def route_template(scope: Scope) -> str:
    """The template of the route that handled (or would have handled) the request.

    The router leaves the route in the scope; a request refused before routing (an
    oversize body) is matched here, and one no route matches is :data:`UNMATCHED_ROUTE`.
    """
    route = scope.get("route")
    if route is None and "app" in scope:
        route = next(
            (
                candidate
                for candidate in iter_route_contexts(scope["app"].routes)
                if (regex := getattr(candidate, "path_regex", None)) and regex.match(scope["path"])
            ),
            None,
        )
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE
