"""Prometheus metrics: what vaxx counts, the ``/metrics`` endpoint, and worker sharing.

Services count domain events through the instruments here; the app mounts
:data:`router` and :class:`RecordRequests`; ``vaxx serve`` wraps its workers in
:func:`shared_across_workers`. Metric names are listed in docs/deploy.md.

    >>> from prometheus_client import REGISTRY
    >>> from vaxx.metrics import VERIFICATIONS
    >>> def valid() -> float:
    ...     return REGISTRY.get_sample_value("vaxx_verifications_total", {"verdict": "valid"}) or 0
    >>> before = valid()
    >>> VERIFICATIONS.labels("valid").inc()
    >>> valid() - before
    1.0
"""

from vaxx.metrics.http import RecordRequests, route_template, router
from vaxx.metrics.instruments import (
    BOOKINGS,
    CERTIFICATES_ISSUED,
    HTTP_LATENCY,
    HTTP_REQUESTS,
    RATE_LIMITED,
    UNMATCHED_ROUTE,
    VERIFICATIONS,
    count_on_commit,
)
from vaxx.metrics.workers import shared_across_workers

__all__ = [
    "BOOKINGS",
    "CERTIFICATES_ISSUED",
    "HTTP_LATENCY",
    "HTTP_REQUESTS",
    "RATE_LIMITED",
    "UNMATCHED_ROUTE",
    "VERIFICATIONS",
    "RecordRequests",
    "count_on_commit",
    "route_template",
    "router",
    "shared_across_workers",
]
