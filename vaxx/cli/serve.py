"""``vaxx serve``: prepare the data dir and database, then run the HTTP server."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import uvicorn

from vaxx import bootstrap, logs, metrics
from vaxx.cli import _context

WORKER_STARTUP_SECONDS = 30


def proxy_options(trusted_proxies: str) -> dict[str, Any]:
    """uvicorn's X-Forwarded-For handling, from ``VAXX_TRUSTED_PROXIES`` alone.

    Left to itself uvicorn believes the header from 127.0.0.1, so a local process could pick
    its own address for the per-address rate limits; with this, exactly the configured
    proxies are believed, by uvicorn and by vaxx's rate limiter alike (docs/deploy.md).
    """
    if not trusted_proxies.strip():
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted_proxies}


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
) -> None:
    """Start the server (migrations and, in development, keys are prepared first)."""
    config = _context.settings()
    logs.configure(json_format=config.json_logs, level=config.log_level)
    warning = bootstrap.workers_warning(config, workers)
    bootstrap.prepare(config)
    typer.echo(bootstrap.banner(config, host, port), err=True)
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    with metrics.shared_across_workers(workers):
        uvicorn.run(
            "vaxx.app:create_served_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
            access_log=False,
            server_header=False,
            **proxy_options(config.trusted_proxies),
            # A worker imports the whole app before it answers the supervisor's ping; on a
            # busy machine that takes longer than uvicorn's 5 s default, which kills it.
            timeout_worker_healthcheck=WORKER_STARTUP_SECONDS,
        )
