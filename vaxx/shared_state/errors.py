"""Errors of the shared state: Redis unreachable, and a duplicate request still running."""

from __future__ import annotations

from typing import Any

from vaxx.errors import Conflict, ServiceUnavailable

RETRY_AFTER_UNAVAILABLE = 5
"""Seconds a client should wait when Redis is unreachable (redis-py reconnects by itself)."""


class SharedStateUnavailable(ServiceUnavailable):
    """Redis (``VAXX_REDIS_URL``) did not answer in time; the request was not carried out."""

    code = "shared_state_unavailable"
    title = "Shared state unavailable"

    def __init__(self, detail: str, **extra: Any) -> None:
        extra.setdefault("retry_after", RETRY_AFTER_UNAVAILABLE)
        super().__init__(detail, **extra)


class IdempotencyKeyInFlight(Conflict):
    """Another request with the same Idempotency-Key is being carried out (on any replica);
    retry it shortly to get that request's answer."""

    code = "idempotency_key_in_flight"
    title = "Idempotency key in flight"

    def __init__(self, detail: str, **extra: Any) -> None:
        extra.setdefault("retry_after", 1)
        super().__init__(detail, **extra)
