"""``vaxx serve --workers 2``: each worker counts into its own files and a scrape, whichever
worker answers it, reports the sum over both; the server removes its metric files on exit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import _free_port

pytestmark = pytest.mark.e2e
ROUND = 16
"""Requests per round, sent on fresh connections from 8 threads so both workers accept some."""


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A server with two workers; its TMPDIR is ``tmp_path/tmp`` so its metric files show."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("VAXX_")} | {
        "VAXX_DATA_DIR": str(tmp_path / "vaxx-data"),
        "TMPDIR": str(temp),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "vaxx", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not _answers(base_url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield base_url, temp
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert not list(temp.glob("vaxx-metrics-*")), "the metric files outlived the server"


def _answers(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


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
