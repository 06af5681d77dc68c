"""The verifier-side client: download, verify, cache, and use the trust data offline.

Modelled on python-tuf's ngclient. A document is trusted only after, in order:

1. its size is within the limit (checked while downloading, before any parsing);
2. its JWS signature verifies with a signer certificate issued by the pinned anchor
   (:func:`trust_list.envelope.open_sealed`);
3. it has not expired at ``now``;
4. its version is higher than the cached one's (rollback); the same version is accepted
   only as the very same bytes (nothing changed).

Only then is it written to the cache, atomically. Loading from the cache repeats steps
1-3 on the stored bytes, so a cache file edited on disk is refused, and an expired cache
says so (:class:`~trust_list.errors.Expired`) instead of silently trusting old keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509

from trust_list import envelope
from trust_list._internal.files import read_bounded, write_atomic
from trust_list.errors import (
    Expired,
    FetchFailed,
    NotCached,
    Oversize,
    Rollback,
    TrustListError,
)
from trust_list.trustdata import Header, TrustData

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
TRUST_LIST_PATH = "/trust-list"
REVOCATIONS_PATH = "/trust-list/revocations"


@dataclass(frozen=True, slots=True)
class FetchResponse:
    status: int
    body: bytes
    etag: str | None = None


Fetch = Callable[[str, Mapping[str, str], int], FetchResponse]
"""``fetch(url, headers, max_bytes)``; must raise Oversize past ``max_bytes``."""


def httpx_fetch(client: httpx.Client | None = None, timeout: float = 30.0) -> Fetch:
    """The default fetch: streams with httpx and stops reading past ``max_bytes``."""
    http = client or httpx.Client(timeout=timeout, follow_redirects=False)

    def fetch(url: str, headers: Mapping[str, str], max_bytes: int) -> FetchResponse:
        try:
            with http.stream("GET", url, headers=dict(headers)) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise Oversize(f"{url} sent more than {max_bytes} bytes")
                return FetchResponse(
                    response.status_code, bytes(body), response.headers.get("etag")
                )
        except httpx.HTTPError as exc:
            raise FetchFailed(f"cannot download {url}: {type(exc).__name__}: {exc}") from exc

    return fetch


@dataclass(frozen=True, slots=True)
class _Kind:
    name: str
    path: str
    file: str


_KINDS = (
    _Kind(envelope.TRUST_LIST, TRUST_LIST_PATH, "trust-list.jws"),
    _Kind(envelope.REVOCATIONS, REVOCATIONS_PATH, "revocations.jws"),
)


class TrustListClient:
    """Keeps a verified copy of the trust list and revocations in ``cache_dir``."""

    def __init__(
        self,
        base_url: str,
        anchor: x509.Certificate,
        cache_dir: Path,
        *,
        fetch: Fetch | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.anchor = anchor
        self.cache_dir = cache_dir
        self.max_bytes = max_bytes
        self._fetch = fetch or httpx_fetch()

    def load(self, now: datetime) -> TrustData:
        """The cached data, re-verified now; NotCached or Expired when it cannot be used."""
        trust_list, revocations = (self._cached(kind, now) for kind in _KINDS)
        if trust_list is None or revocations is None:
            raise NotCached(f"no trust list cached in {self.cache_dir}; refresh while online")
        return self._usable(trust_list, revocations, now)

    def current(self, now: datetime) -> TrustData:
        """Refresh when the server answers, else fall back to the verified cache.

        Only an unreachable server (FetchFailed) falls back; a rejected download (rollback,
        bad signature, expiry, oversize) is raised, never masked by the cache.
        """
        try:
            return self.refresh(now)
        except FetchFailed:
            return self.load(now)

    def refresh(self, now: datetime) -> TrustData:
        """Download both documents, verify them against the cache, then store both."""
        fresh: dict[str, tuple[bytes, dict[str, Any]]] = {}
        for kind in _KINDS:
            cached = self._cached_or_none(kind, now)
            fresh[kind.name] = self._download(kind, cached, now)
        for kind in _KINDS:
            write_atomic(self.cache_dir / kind.file, fresh[kind.name][0], mode=0o644)
        return self._usable(fresh[envelope.TRUST_LIST][1], fresh[envelope.REVOCATIONS][1], now)

    def _download(
        self, kind: _Kind, cached: tuple[bytes, dict[str, Any]] | None, now: datetime
    ) -> tuple[bytes, dict[str, Any]]:
        url = self.base_url + kind.path
        headers = {"If-None-Match": self._etag_of(cached)} if cached else {}
        response = self._fetch(url, headers, self.max_bytes)
        if response.status == 304 and cached is not None:
            return cached
        if response.status != 200:
            raise FetchFailed(f"{url} answered HTTP {response.status}")
        document = self._verify(kind, response.body, now)
        if cached is not None:
            self._require_newer(kind, cached, response.body, document)
        return response.body, document

    def _verify(self, kind: _Kind, data: bytes, now: datetime) -> dict[str, Any]:
        document = envelope.open_sealed(
            data, kind=kind.name, anchor=self.anchor, now=now, max_bytes=self.max_bytes
        )
        header = Header.of(document)
        if now >= header.expires_at:
            raise Expired(
                f"{kind.name} version {header.version} expired at {header.expires_at.isoformat()};"
                " connect to refresh it"
            )
        return document

    @staticmethod
    def _require_newer(
        kind: _Kind, cached: tuple[bytes, dict[str, Any]], data: bytes, document: dict[str, Any]
    ) -> None:
        old, new = Header.of(cached[1]).version, Header.of(document).version
        if new < old or (new == old and data != cached[0]):
            raise Rollback(f"{kind.name} version {new} does not follow cached version {old}")

    def _cached(self, kind: _Kind, now: datetime) -> dict[str, Any] | None:
        try:
            data = read_bounded(self.cache_dir / kind.file, self.max_bytes)
        except ValueError as exc:
            raise Oversize(str(exc)) from exc
        return None if data is None else self._verify(kind, data, now)

    def _cached_or_none(self, kind: _Kind, now: datetime) -> tuple[bytes, dict[str, Any]] | None:
        """The cached document that sets the rollback floor (an expired one still does).

        A cache file that no longer verifies (edited, or signed under a replaced anchor)
        sets no floor; the download is then checked against the anchor alone.
        """
        try:
            data = read_bounded(self.cache_dir / kind.file, self.max_bytes)
            if data is None:
                return None
            document = envelope.open_sealed(
                data, kind=kind.name, anchor=self.anchor, now=now, max_bytes=self.max_bytes
            )
        except (ValueError, TrustListError):
            return None
        return data, document

    @staticmethod
    def _etag_of(cached: tuple[bytes, dict[str, Any]]) -> str:
        """The server's ETag for these bytes: ``"<version>-<sha256 prefix>"``."""
        digest = hashlib.sha256(cached[0]).hexdigest()[:16]
        return f'"{Header.of(cached[1]).version}-{digest}"'

    @staticmethod
    def _usable(
        trust_list: dict[str, Any], revocations: dict[str, Any], now: datetime
    ) -> TrustData:
        data = TrustData(trust_list, revocations)
        if data.freshness(now).expired:
            raise Expired("the cached trust data has expired; connect to refresh it")
        return data
