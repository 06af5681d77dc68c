"""Wire the shared state into an app: backend from the settings, readiness, invalidation,
rate limits."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy.orm import Session, sessionmaker

from vaxx.settings import Settings
from vaxx.shared_state.invalidation import watch_writes
from vaxx.shared_state.rate_limit import Limits, RateLimit, trusted_networks
from vaxx.shared_state.redis_state import RedisState
from vaxx.shared_state.state import MemoryState, SharedState


def open_state(settings: Settings) -> SharedState:
    """Redis when ``VAXX_REDIS_URL`` is set, else this process's memory."""
    if settings.redis_url is None:
        return MemoryState()
    return RedisState(
        settings.redis_url.get_secret_value(),
        prefix=settings.redis_prefix,
        timeout=settings.redis_timeout_seconds,
    )


def watch_cli_writes(factory: sessionmaker[Session], settings: Settings) -> SharedState | None:
    """Let a CLI process's writes invalidate the servers' caches: the state to close when
    done, or None without Redis (an in-process state would die with the CLI; the servers'
    entries then end with their TTL)."""
    if settings.redis_url is None:
        return None
    state = open_state(settings)
    watch_writes(factory, state)
    return state


def install(app: FastAPI, settings: Settings) -> None:
    """Open the state (``app.state.shared_state``), register the ``redis`` readiness check,
    bump cache generations on commits, and add the rate-limit middleware."""
    state = open_state(settings)
    app.state.shared_state = state
    if settings.redis_url is not None:
        app.state.readiness_checks["redis"] = state.ping
    watch_writes(app.state.sessionmaker, state)
    app.add_middleware(
        RateLimit,
        state=state,
        limits=Limits.from_settings(settings),
        proxies=trusted_networks(settings.trusted_proxies),
    )


def get_shared_state(request: Request) -> SharedState:
    state: SharedState = request.app.state.shared_state
    return state


SharedStateDep = Annotated[SharedState, Depends(get_shared_state)]
