"""Per-client-address rate limits on the public, unauthenticated endpoints.

Each public path belongs to a class with its own limit per window (``VAXX_RATE_LIMIT_*``,
requests per ``VAXX_RATE_LIMIT_WINDOW_SECONDS``; 0 turns a class off):

- ``open_data``: ``/open-data/*``, ``/$bulk-publish``, ``/smart-scheduling/*``, ``/trust-list*``
- ``booking``: ``/booking/*`` except the staff API (``/booking/staff/*``)
- ``wallet_login``: ``/wallet/api/claim`` and ``/wallet/api/login/*`` (guessing targets; the
  wallet's own per-code and per-person lockout still applies behind this)

Everything else (health, metrics, the token-protected APIs: issuer, verifier, staff,
partners, admin) is not limited by address: those clients are known and accountable by
their token. A request to a public path that carries an API client token (``vx_...``: a
booking kiosk or call centre behind one address) counts in the separate, higher
``api_client`` class; the token is not verified here, so a forged one gains no more than
that higher limit, still per address.

Counters are fixed windows (one atomic INCR per request, one key per address and class,
exact ``RateLimit-Reset``); a client may burst to twice the limit across a window
boundary, which is acceptable for flood protection and much cheaper than a sliding log.
In Redis the counts are shared, so N replicas allow N requests in total, not N each.

The client address is the TCP peer, or, only when the peer is one of
``VAXX_TRUSTED_PROXIES``, the nearest untrusted address in ``X-Forwarded-For``.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vaxx.errors import ConfigurationError, TooManyRequests, VaxxError
from vaxx.problems import problem_body, problem_response
from vaxx.settings import Settings
from vaxx.shared_state.state import SharedState, WindowCount

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
WALLET_LOGIN_PATHS = ("/wallet/api/claim", "/wallet/api/login/start", "/wallet/api/login/finish")


def classify(path: str) -> str | None:
    """The rate-limit class of a request path (None: not limited by address)."""
    if path.startswith(("/open-data/", "/smart-scheduling/", "/trust-list/")) or path in (
        "/$bulk-publish",
        "/trust-list",
    ):
        return "open_data"
    if path.startswith("/booking/") and not path.startswith("/booking/staff/"):
        return "booking"
    if path in WALLET_LOGIN_PATHS:
        return "wallet_login"
    return None


@dataclass(frozen=True, slots=True)
class Limits:
    window_seconds: int
    per_class: dict[str, int]

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            window_seconds=settings.rate_limit_window_seconds,
            per_class={
                "open_data": settings.rate_limit_open_data,
                "booking": settings.rate_limit_booking,
                "wallet_login": settings.rate_limit_wallet_login,
                "api_client": settings.rate_limit_api_client,
            },
        )


def trusted_networks(value: str) -> list[Network]:
    """``VAXX_TRUSTED_PROXIES``: addresses or CIDR blocks, comma-separated."""
    networks = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigurationError(f"VAXX_TRUSTED_PROXIES: {item!r} is no address") from None
    return networks


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


def client_address(peer: str, forwarded_for: str | None, proxies: Sequence[Network]) -> str:
    """The address to count a request against: the peer, unless it is a trusted proxy; then
    the right-most ``X-Forwarded-For`` entry that is not itself a trusted proxy (entries to
    its left were written by the client and prove nothing)."""
    if not forwarded_for or not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop[:64]
    return hops[0][:64] if hops else peer


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {key: value for key, value in scope["headers"]}


def _carries_client_token(headers: dict[bytes, bytes]) -> bool:
    return headers.get(b"authorization", b"").lower().startswith(b"bearer vx_")


class RateLimit:
    """ASGI middleware applying :class:`Limits` through a :class:`SharedState`."""

    def __init__(
        self, app: ASGIApp, *, state: SharedState, limits: Limits, proxies: Sequence[Network]
    ) -> None:
        self.app = app
        self.state = state
        self.limits = limits
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind = classify(scope["path"])
        headers = _headers(scope)
        if kind is not None and _carries_client_token(headers):
            kind = "api_client"
        limit = self.limits.per_class.get(kind or "", 0)
        if kind is None or limit <= 0:
            await self.app(scope, receive, send)
            return
        peer = scope["client"][0] if scope.get("client") else "unknown"
        forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1") or None
        address = client_address(peer, forwarded, self.proxies)
        window_ms = self.limits.window_seconds * 1000
        try:
            counted = await self._count(f"{kind}:{address}", window_ms)
        except VaxxError as exc:
            await _refuse(scope, send, exc, {})
            return
        reset = max(1, math.ceil(counted.reset_ms / 1000))
        rate_headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(0, limit - counted.count)),
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": f"{limit};w={self.limits.window_seconds}",
        }
        if counted.count > limit:
            refusal = TooManyRequests(
                f"more than {limit} requests in {self.limits.window_seconds} s from this "
                f"address ({kind})",
                retry_after=reset,
                limit_class=kind,
            )
            await _refuse(scope, send, refusal, rate_headers)
            return
        extra = [(name.lower().encode(), value.encode()) for name, value in rate_headers.items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _count(self, key: str, window_ms: int) -> WindowCount:
        if self.state.local:
            return self.state.count(key, window_ms)
        # Redis is network I/O: keep it off the event loop.
        return await anyio.to_thread.run_sync(self.state.count, key, window_ms)


async def _refuse(scope: Scope, send: Send, error: VaxxError, headers: dict[str, str]) -> None:
    if "retry_after" in error.extra:
        headers = headers | {"Retry-After": str(error.extra["retry_after"])}
    body = problem_body(
        status=error.status,
        code=error.code,
        title=error.title,
        detail=error.detail,
        instance=scope["path"],
        **error.extra,
    )
    await problem_response(body, headers)(scope, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
