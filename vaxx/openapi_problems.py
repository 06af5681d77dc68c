"""Route-specific problem answers in the OpenAPI document: 409, 429 and 503.

:mod:`vaxx.problems` documents what every operation can answer from its shape (401/403 for
a token, 404 for a path parameter, 413 for a body). The answers here depend on what a route
does, so they are declared per route:

- 409 from the conflicts a route's services raise (:data:`CONFLICTS`; a test keeps every
  entry naming a real operation);
- 429 on the paths the per-address rate limit covers (:func:`vaxx.shared_state.rate_limit.
  classify`), with ``Retry-After``;
- 503 on every operation that reaches the database (its dependencies include a session,
  directly or through a token check): ``database_unavailable``; and on the rate-limited and
  Idempotency-Key routes, whose counters and locks live in Redis when it is configured:
  ``shared_state_unavailable``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from vaxx.deps import get_session
from vaxx.problems import PROBLEM_MEDIA_TYPE
from vaxx.shared_state.rate_limit import classify

_BOOKING = (
    "the slot is full or closed (slot_full, slot_closed), the person already holds an "
    "appointment for this dose (duplicate_appointment) or is not eligible (not_eligible)"
)
CONFLICTS: dict[tuple[str, str], str] = {
    ("POST", "/issuer/certificates"): (
        "the Idempotency-Key was used with another body (idempotency_key_reused), or a "
        "request with it is still being carried out (idempotency_key_in_flight, Retry-After)"
    ),
    ("POST", "/issuer/certificates/batch"): (
        "the Idempotency-Key was used with another batch (idempotency_key_reused), or a "
        "request with it is still being carried out (idempotency_key_in_flight, Retry-After)"
    ),
    ("POST", "/issuer/certificates/{certificate_id}/revoke"): (
        "the certificate is already revoked or superseded (certificate_not_valid)"
    ),
    ("POST", "/issuer/certificates/{certificate_id}/reissue"): (
        "the certificate is already revoked or superseded (certificate_not_valid)"
    ),
    ("POST", "/booking/appointments"): _BOOKING,
    ("POST", "/booking/fhir/Appointment"): _BOOKING,
    ("POST", "/booking/appointments/reschedule"): (
        "the new slot is full or closed, or the appointment can no longer move"
    ),
    ("POST", "/booking/appointments/cancel"): "the appointment can no longer be cancelled",
    ("POST", "/booking/staff/appointments/{reference}/check-in"): (
        "the appointment is not booked for today (invalid_transition)"
    ),
    ("POST", "/booking/staff/sites/{code}/administrations"): (
        "no unreserved dose of the lot is left (insufficient_stock), or the dose is "
        "already recorded"
    ),
    ("POST", "/booking/staff/lots/{lot_id}/allocations"): (
        "the lot has fewer unallocated vials (insufficient_stock)"
    ),
    ("POST", "/booking/staff/administrations/{administration_id}/certificate"): (
        "this dose already has its certificate"
    ),
    ("POST", "/booking/staff/registry/{upload_id}/resend"): "only a rejected upload is resent",
    ("POST", "/booking/staff/slots/{slot_id}/full"): (
        "bookings kept landing while the session was being marked full (slot_busy), or the "
        "session has ended (slot_closed)"
    ),
    ("POST", "/wallet/api/claim"): "the claim code was already used (claim_used)",
}
"""(method, path) -> when the operation answers 409 conflict."""

_IDEMPOTENT = {("POST", "/issuer/certificates"), ("POST", "/issuer/certificates/batch")}


def route_problems(method: str, path: str, *, uses_database: bool) -> dict[str, str]:
    """The route-specific problem statuses of one operation, with their descriptions."""
    statuses = {}
    if (method, path) in CONFLICTS:
        statuses["409"] = CONFLICTS[method, path]
    limited = classify(path) is not None
    if limited:
        statuses["429"] = "over the per-address rate limit (rate_limited); see Retry-After"
    unavailable = []
    if uses_database:
        unavailable.append("the database is unreachable (database_unavailable)")
    if limited or (method, path) in _IDEMPOTENT:
        unavailable.append("Redis (VAXX_REDIS_URL) is unreachable (shared_state_unavailable)")
    if unavailable:
        statuses["503"] = "; or ".join(unavailable) + "; retry after Retry-After"
    return statuses


def _depends_on(dependant: Dependant | None, call: Callable[..., Any]) -> bool:
    if dependant is None:
        return False
    return any(sub.call is call or _depends_on(sub, call) for sub in dependant.dependencies)


def _operations(app: FastAPI) -> Iterator[tuple[str, str, bool]]:
    for route in iter_route_contexts(app.routes):
        uses_database = _depends_on(getattr(route, "dependant", None), get_session)
        for method in route.methods or ():
            yield method, str(route.path), uses_database


def install(app: FastAPI) -> None:
    """Add the route-specific problems to the app's OpenAPI document (after
    :func:`vaxx.problems.install`, whose Problem schema they refer to)."""
    build_document = app.openapi

    def openapi() -> dict[str, Any]:
        document = build_document()
        content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for method, path, uses_database in _operations(app):
            operation = document.get("paths", {}).get(path, {}).get(method.lower())
            if operation is None:
                continue
            for status, description in route_problems(
                method, path, uses_database=uses_database
            ).items():
                operation["responses"][status] = {"description": description, "content": content}
        return document

    app.openapi = openapi  # type: ignore[method-assign]
