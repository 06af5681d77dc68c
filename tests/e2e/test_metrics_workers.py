"""``vaxx serve --workers 2``: each worker counts into its own files and a scrape, whichever
worker answers it, reports the sum over both; the server removes its metric files on exit."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.processes import ServerProcess

pytestmark = pytest.mark.e2e
ROUND = 16
"""Requests per round, sent on fresh connections from 8 threads so both workers accept some."""


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A server with two workers; its TMPDIR is ``tmp_path/tmp`` so its metric files show."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    with ServerProcess(
        tmp_path, {"TMPDIR": str(temp)}, args=("--workers", "2"), start_seconds=90, stop_seconds=30
    ) as server:
        yield server.base_url, temp
    assert not list(temp.glob("vaxx-metrics-*")), "the metric files outlived the server"


def _version_requests(base_url: str) -> float:
    text = httpx.get(f"{base_url}/metrics", timeout=10).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "vaxx_http_requests_total" and sample.labels == {
                "method": "GET",
                "route": "/version",
                "status": "2xx",
            }:
                return sample.value
    return 0.0


def test_a_scrape_sums_the_counts_of_both_workers(two_workers: tuple[str, Path]) -> None:
    base_url, temp = two_workers
    [directory] = temp.glob("vaxx-metrics-*")
    sent = 0

    def fetch(_: int) -> int:
        with httpx.Client(timeout=10) as fresh:  # a new connection each time
            return fresh.get(f"{base_url}/version").status_code

    # Until both workers have counted something (bounded: 20 rounds).
    for _ in range(20):
        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(fetch, range(ROUND))) == {200}
        sent += ROUND
        if len(list(directory.glob("counter_*.db"))) >= 2:
            break
    assert len(list(directory.glob("counter_*.db"))) >= 2, "one worker took every connection"
    # Whichever worker answers each scrape, it reports the sum.
    assert {_version_requests(base_url) for _ in range(6)} == {sent}
