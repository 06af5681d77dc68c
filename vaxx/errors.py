"""The one rooted error tree that every vaxx package raises from.

Each class carries a stable machine ``code`` (what clients and tests match on), an
HTTP ``status`` used by the API's RFC 9457 problem responses, and a CLI ``exit_code``.
This module imports nothing from FastAPI so the libraries (profiles, issuer,
verifier...) can raise these errors offline.
"""

from __future__ import annotations

from typing import Any, ClassVar


class VaxxError(Exception):
    """Root of every error vaxx raises on purpose."""

    code: ClassVar[str] = "vaxx_error"
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"
    exit_code: ClassVar[int] = 1

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InputError(VaxxError):
    """The caller sent something malformed; fixing the input fixes the call."""

    code = "invalid_input"
    status = 422
    title = "Invalid input"
    exit_code = 2


class NotFound(VaxxError):
    code = "not_found"
    status = 404
    title = "Not found"
    exit_code = 3


class Conflict(VaxxError):
    code = "conflict"
    status = 409
    title = "Conflict"
    exit_code = 4


class AuthError(VaxxError):
    code = "unauthenticated"
    status = 401
    title = "Authentication required"
    exit_code = 5


class Forbidden(VaxxError):
    code = "forbidden"
    status = 403
    title = "Forbidden"
    exit_code = 5


class TooManyRequests(VaxxError):
    """Over a rate limit; ``retry_after`` (seconds) says when to try again."""

    code = "rate_limited"
    status = 429
    title = "Too many requests"
    exit_code = 8


class ConfigurationError(VaxxError):
    """Settings that must not be used as they are (e.g. development keys in production)."""

    code = "configuration_error"
    status = 500
    title = "Configuration error"
    exit_code = 6


class ServiceUnavailable(VaxxError):
    code = "service_unavailable"
    status = 503
    title = "Service unavailable"
    exit_code = 7
