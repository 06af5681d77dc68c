"""Injected time: code asks a :data:`Clock` for ``now`` and never reads the system clock.

Tests pass a fixed clock; the app stores its clock on ``app.state.clock``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def fixed_clock(at: datetime) -> Clock:
    if at.tzinfo is None:
        raise ValueError("a clock must give timezone-aware datetimes")
    return lambda: at
