"""benchmarks/load.py in its shortest configuration (issue 11): every endpoint class answers
its wrk load with successes and no server error, on 1 and on 2 replicas. It checks that the
load benchmark still drives what it claims to (tokens, bodies, seeded data); the figures
themselves are not asserted (speed belongs in benchmarks/)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks/load.py"
ENDPOINTS = {"healthz", "verify", "issue", "open-data", "booking"}


@pytest.fixture
def postgres_url() -> str:
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no server"
        pytest.skip(f"no PostgreSQL server answers at {POSTGRES_URL}: {type(exc).__name__}")
    finally:
        engine.dispose()
    return POSTGRES_URL


def test_every_endpoint_takes_load_on_one_and_two_replicas(
    tmp_path: Path, postgres_url: str, shared_dir: Path
) -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install wrk)")
    figures = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAXX_")}
    env["VAXX_BENCH_POSTGRES_URL"] = postgres_url
    quick = ["--duration", "1", "--warm-up", "1", "--rounds", "1", "--connections", "4"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *quick, "--json", str(figures)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    runs = json.loads(figures.read_text())["runs"]
    assert {(run["replicas"], run["endpoint"]) for run in runs} == {
        (replicas, endpoint) for replicas in (1, 2) for endpoint in ENDPOINTS
    }
    for run in runs:
        where = f"{run['replicas']} replica(s), {run['endpoint']}"
        assert run["s2xx"] > 0, where
        assert (run["s4xx"], run["s5xx"], run["socket_errors"]) == (0, 0, 0), where
    assert "2 replicas / 1 replica, server CPU per request" in done.stdout
    assert "booking under contention (one slot), 2 replica(s)" in done.stdout
