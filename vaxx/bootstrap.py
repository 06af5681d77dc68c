"""First-start preparation shared by ``vaxx serve`` and the tests that start a server.

Refuses unsafe production settings, creates the data directory owner-only and applies
migrations. Domain packages that need state on disk (signing keys) hook in here.
"""

from __future__ import annotations

from issuer import keys as issuer_keys
from trust_list import setup as trust_list_setup
from vaxx import db
from vaxx.clock import system_clock
from vaxx.errors import ConfigurationError
from vaxx.settings import Settings


def prepare(settings: Settings) -> None:
    problems = settings.production_problems()
    if problems:
        raise ConfigurationError("refusing to start in production: " + "; ".join(problems))
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    db.upgrade(settings.resolved_database_url)
    issuer_keys.prepare(settings, system_clock())
    trust_list_setup.prepare(settings, system_clock())


def workers_warning(settings: Settings, workers: int) -> str | None:
    """What to say about ``workers`` processes, or None when they can share their state.

    Without Redis each worker keeps its own rate-limit counters, Idempotency-Key locks and
    response cache: the database still prevents duplicates, but the limits multiply by the
    worker count. A development server may run so (with this warning); production refuses.
    """
    if workers <= 1 or settings.redis_url is not None:
        return None
    message = (
        f"--workers {workers} without VAXX_REDIS_URL: each worker counts rate limits, holds "
        "Idempotency-Key locks and caches on its own (docs/deploy.md)"
    )
    if settings.env == "production":
        raise ConfigurationError(f"refusing to start in production: {message}")
    return message


def banner(settings: Settings, host: str, port: int) -> str:
    return "\n".join(
        [
            f"vaxx {settings.env} server on http://{host}:{port} (API docs: /docs)",
            f"state: {settings.data_dir.resolve()}",
            "admin token: vaxx clients create --name admin --scope admin --print-token",
        ]
    )
