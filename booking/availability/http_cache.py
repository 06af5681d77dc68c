"""Conditional GET for public data: a strong ETag over the exact body, Cache-Control, and
304 Not Modified when the reader already holds it, so thousands of readers cost little."""

from __future__ import annotations

import hashlib

from fastapi import Request, Response

from vaxx.settings import Settings


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def _matches(header: str | None, tag: str) -> bool:
    """RFC 9110 13.1.2: weak comparison; ``*`` matches any current representation."""
    if not header:
        return False
    candidates = {item.strip().removeprefix("W/") for item in header.split(",")}
    return "*" in candidates or tag in candidates


def respond(request: Request, settings: Settings, body: bytes, media_type: str) -> Response:
    tag = etag(body)
    headers = {
        "ETag": tag,
        "Cache-Control": f"public, max-age={settings.availability_cache_seconds}",
        "Vary": "Accept",
    }
    if _matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


def base_url(request: Request, settings: Settings) -> str:
    """The public base URL: configured, or the one this request came in on."""
    return (settings.public_base_url or str(request.base_url)).rstrip("/")
