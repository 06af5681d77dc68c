"""Conditional GET for public data: a strong ETag over the exact body, Cache-Control, and
304 Not Modified when the reader already holds it, so thousands of readers cost little."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from fastapi import Request, Response

from vaxx.settings import Settings
from vaxx.shared_state import cache, get_shared_state
from vaxx.shared_state.invalidation import AVAILABILITY


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def _matches(header: str | None, tag: str) -> bool:
    """RFC 9110 13.1.2: weak comparison; ``*`` matches any current representation."""
    if not header:
        return False
    candidates = {item.strip().removeprefix("W/") for item in header.split(",")}
    return "*" in candidates or tag in candidates


def respond(request: Request, settings: Settings, body: bytes, media_type: str) -> Response:
    return _conditional(request, settings, body, etag(body), media_type)


def respond_cached(
    request: Request, settings: Settings, now: datetime, render: Callable[[], tuple[bytes, str]]
) -> Response:
    """:func:`respond` with the rendered body kept in the shared cache, so a repeat or a 304
    costs one cache read instead of the query and the render. The key is everything the
    body depends on: path, query, Accept, the public base URL (links in the body) and the
    clock's cache period (bodies carry ``as_of``, ``stale`` and "today"); any committed
    booking or availability write invalidates every entry (``vaxx.shared_state.invalidation``).
    """
    ttl = settings.availability_cache_seconds
    period = int(now.timestamp()) // ttl if ttl else 0
    key = "\n".join(
        [
            request.url.path,
            str(sorted(request.query_params.multi_items())),
            request.headers.get("accept", ""),
            base_url(request, settings),
            str(period),
        ]
    )

    def compute() -> cache.Representation:
        body, media_type = render()
        return cache.Representation(body, etag(body), media_type)

    condition = request.headers.get("if-none-match")
    item = cache.cached(
        get_shared_state(request),
        AVAILABILITY,
        key,
        ttl_seconds=ttl,
        now=now,
        compute=compute,
        held=(lambda tag: _matches(condition, tag)) if condition else None,
    )
    return _conditional(request, settings, item.body, item.etag, item.media_type)


def _conditional(
    request: Request, settings: Settings, body: bytes | None, tag: str, media_type: str
) -> Response:
    """200 with ``body``, or 304 when the client holds ``tag`` (``body`` None: it does)."""
    headers = {
        "ETag": tag,
        "Cache-Control": f"public, max-age={settings.availability_cache_seconds}",
        "Vary": "Accept",
    }
    if body is None or _matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


def base_url(request: Request, settings: Settings) -> str:
    """The public base URL: configured, or the one this request came in on."""
    return (settings.public_base_url or str(request.base_url)).rstrip("/")
