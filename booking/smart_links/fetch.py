"""Fetch a feed file over HTTP(S) with the standard library, bounded in size and time.

urllib is enough for a handful of GETs per pull and keeps the dependency list short (the
registry adapter made the same choice). Only http and https URLs are followed.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from booking.smart_links.importer import FileUnavailable

MAX_FILE_BYTES = 64 * 1024 * 1024


class HttpFetcher:
    def __init__(self, *, timeout: float = 20.0, max_bytes: int = MAX_FILE_BYTES) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes

    def __call__(self, url: str) -> bytes:
        if urlsplit(url).scheme not in {"http", "https"}:
            raise FileUnavailable(f"only http(s) URLs are fetched, not {url!r}")
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310  # http(s) only, checked above
                body: bytes = response.read(self.max_bytes + 1)
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise FileUnavailable(str(error)) from error
        if len(body) > self.max_bytes:
            raise FileUnavailable(f"larger than {self.max_bytes} bytes")
        return body
