"""ASGI middleware: request ids with an access log, and bounded request bodies.

Both are plain ASGI (not ``BaseHTTPMiddleware``) so they add no task per request and
see the body before FastAPI parses it.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vaxx.logs import request_id_var
from vaxx.problems import problem_body, problem_response

_access_log = logging.getLogger("vaxx.access")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class RequestContext:
    """Give every request an id (the caller's ``X-Request-ID`` if sane) and log one line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = _header(scope, b"x-request-id")
        request_id = (
            supplied if supplied and _VALID_REQUEST_ID.match(supplied) else uuid.uuid4().hex
        )
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _access_log.info(
                "%s %s %d %.1fms",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )
            request_id_var.reset(token)


class BodyLimit:
    """Refuse bodies over their limit (413) and JSON nested deeper than ``max_depth`` (400),
    before any route parses them. Multipart uploads (a phone photo of a QR code) get the
    larger ``max_upload_bytes``; every other body gets ``max_bytes``."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, max_upload_bytes: int, max_depth: int
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        content_type = (_header(scope, b"content-type") or "").lower()
        limit = (
            self.max_upload_bytes
            if content_type.startswith("multipart/form-data")
            else self.max_bytes
        )
        too_large = f"request body larger than {limit} bytes"
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, send, 413, "payload_too_large", too_large)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, send, 413, "payload_too_large", too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if "json" in content_type and json_depth_exceeds(body, self.max_depth):
            detail = f"JSON nested deeper than {self.max_depth} levels"
            await self._refuse(scope, send, 400, "json_too_deep", detail)
            return
        await self.app(scope, _replay(body, receive), send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, status: int, code: str, detail: str) -> None:
        title = "Payload too large" if status == 413 else "Bad request"
        body = problem_body(
            status=status, code=code, title=title, detail=detail, instance=scope["path"]
        )
        response = problem_response(body)
        await response(scope, _empty_receive, send)


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether JSON ``body`` nests arrays/objects deeper than ``limit``.

    Strings are cut out first (in C, by the regex engine), so only structural brackets
    are walked in Python; the walk stops at the first level over the limit.
    """
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        if byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return None


def _replay(body: bytes, upstream: Receive) -> Receive:
    """Hand the buffered body to the app once, then pass the server's messages through."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive


async def _empty_receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}
