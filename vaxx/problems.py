"""RFC 9457 problem+json responses for every error the API returns.

Each body has ``type``, ``title``, ``status``, ``detail``, a stable ``code`` and the
request id; domain errors add their ``extra`` fields (an OperationOutcome, a list of
field errors...). Unexpected exceptions become a 500 problem without a traceback; the
traceback goes to the log only.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from vaxx import db_outage
from vaxx.errors import AuthError, VaxxError
from vaxx.logs import request_id_var

PROBLEM_MEDIA_TYPE = "application/problem+json"
_log = logging.getLogger("vaxx.errors")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
    503: "service_unavailable",
}


def problem_body(
    *, status: int, code: str, title: str, detail: str, instance: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:vaxx:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance is not None:
        body["instance"] = instance
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    return body


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(body, default=str),
        status_code=body["status"],
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _vaxx_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, VaxxError)  # noqa: S101 - registered for VaxxError only
    if exc.status >= 500:
        _log.error("%s: %s", exc.code, exc.detail)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthError) else None
    if "retry_after" in exc.extra:  # 429, 503, and a 409 for a request still in flight
        headers = (headers or {}) | {"Retry-After": str(exc.extra["retry_after"])}
    body = problem_body(
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        **exc.extra,
    )
    return problem_response(body, headers)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    title = code.replace("_", " ").capitalize()
    body = problem_body(
        status=exc.status_code,
        code=code,
        title=title,
        detail=str(exc.detail),
        instance=request.url.path,
    )
    return problem_response(body, dict(exc.headers) if exc.headers else None)


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = [
        {
            "location": [str(part) for part in error.get("loc", ())],
            "message": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in exc.errors()
    ]
    body = problem_body(
        status=422,
        code="invalid_input",
        title="Invalid input",
        detail=f"the request has {len(errors)} invalid field(s)",
        instance=request.url.path,
        errors=errors,
    )
    return problem_response(body)


def _database_error(request: Request, exc: Exception) -> Response:
    """An unreachable database is a 503 to retry; any other database error is a bug (500)."""
    if not db_outage.is_outage(exc):
        return _unexpected(request, exc)
    _log.warning(
        "database unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__
    )
    return _vaxx_error(request, db_outage.unavailable())


def _unexpected(request: Request, exc: Exception) -> Response:
    if db_outage.is_outage(exc):  # raised outside the routes (middleware): still an outage
        return _database_error(request, exc)
    # exc_info from the argument: handlers may run in a worker thread, outside the except.
    _log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = problem_body(
        status=500,
        code="internal_error",
        title="Internal error",
        detail="the server failed to handle this request; the request id identifies it in the log",
        instance=request.url.path,
    )
    return problem_response(body)


_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem; domain errors add fields of their own.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
    },
}
_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _problem_statuses(path: str, operation: dict[str, Any]) -> dict[str, str]:
    """The problem statuses an operation can answer with, from what it takes."""
    statuses = {"422": "Invalid input", "4XX": "Another client error (conflict, rate limit...)"}
    if operation.get("security"):
        statuses |= {"401": "No valid token", "403": "The token lacks the scope"}
    if "{" in path:
        statuses["404"] = "No such resource"
    if "requestBody" in operation:
        statuses["413"] = "The body is over the size limit"
    return statuses


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Declare the problem+json answers in the OpenAPI document (FastAPI documents its own
    422 as plain JSON of another shape, and nothing else); idempotent."""
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = _PROBLEM_SCHEMA
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in _problem_statuses(path, operation).items():
                responses[status] = {"description": description, "content": _PROBLEM_CONTENT}
    return document


def install(app: FastAPI) -> None:
    app.add_exception_handler(VaxxError, _vaxx_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.add_exception_handler(Exception, _unexpected)
    build_document = app.openapi

    def openapi() -> dict[str, Any]:
        return document_problems(build_document())

    app.openapi = openapi  # type: ignore[method-assign]
