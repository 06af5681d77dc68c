"""What the shared response cache saves on open data, the SMART feed and the trust list
(issue 11).

    /work/venv/bin/python benchmarks/open_data_cache.py [--sites 300] [--days 14] [--rounds 30]

The same scratch data as ``benchmarks/availability.py`` (``--sites`` sites, a slot per site,
day and session), served through the real app (TestClient) three ways: uncached
(``VAXX_AVAILABILITY_CACHE_SECONDS=0``, every answer computed, as before the cache),
cached in process memory, and cached in Redis (``VAXX_REDIS_URL``, skipped when none
answers). Each way times a full 1000-row ``/open-data/availability`` answer, the same
answered 304 from its ETag, one county's slot file, and the signed trust list (200 and
304; with ``VAXX_TRUST_LIST_CACHE_SECONDS=0`` in the uncached run its 304 still skips the
document, read from the database, as the head read does); with the open-data rate limit
counting (never refusing) in every run, so its cost is in the figures. Medians.
"""

# ruff: noqa: E402 - the sys.path fix below must run before the vaxx imports

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import importlib.util
import os
import tempfile
import uuid
from collections.abc import Callable
from typing import Any

import redis
from fastapi.testclient import TestClient

from booking.taiwan import COUNTIES
from trust_list import keys as trust_keys
from vaxx import db
from vaxx.app import create_app
from vaxx.settings import Settings

_spec = importlib.util.spec_from_file_location(
    "availability_benchmark", Path(__file__).with_name("availability.py")
)
assert _spec is not None
assert _spec.loader is not None
availability = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(availability)
REDIS_URL = os.environ.get("VAXX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_answers() -> bool:
    probe = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return bool(probe.ping())
    except redis.RedisError:
        return False
    finally:
        probe.close()


def _run(folder: Path, rounds: int, **changes: Any) -> dict[str, float]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=folder,
        public_base_url="https://vaxx.example.tw",
        rate_limit_open_data=10**9,  # counted (its cost is in the figures), never refused
        _env_file=None,
        **changes,
    )
    app = create_app(settings, clock=lambda: availability.NOW)
    county = COUNTIES[0].code
    figures = {}
    with TestClient(app) as client:
        tag = client.get("/open-data/availability").headers["etag"]
        client.get(f"/smart-scheduling/slots-{county}.ndjson")
        client.get("/trust-list")  # signs the first version
        signed = client.get("/trust-list").headers["etag"]
        cases: dict[str, Callable[[], object]] = {
            "baseline GET /healthz": lambda: client.get("/healthz"),
            "open-data 1000 rows, 200": lambda: client.get("/open-data/availability"),
            "open-data 1000 rows, 304": lambda: client.get(
                "/open-data/availability", headers={"If-None-Match": tag}
            ),
            f"slots-{county}.ndjson, 200": lambda: client.get(
                f"/smart-scheduling/slots-{county}.ndjson"
            ),
            "trust-list, 200": lambda: client.get("/trust-list"),
            "trust-list, 304": lambda: client.get("/trust-list", headers={"If-None-Match": signed}),
        }
        for name, call in cases.items():
            figures[name] = availability._median_ms(call, rounds)[0]
    app.state.shared_state.close()
    app.state.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    setup = Settings(data_dir=folder, _env_file=None)  # type: ignore[call-arg]
    db.upgrade(setup.resolved_database_url)
    filler = create_app(setup)
    slots = availability._fill(filler.state.sessionmaker, args.sites, args.days)
    trust_keys.generate_keys(setup, availability.NOW)
    filler.state.engine.dispose()
    ways: dict[str, dict[str, Any]] = {
        "uncached": {"availability_cache_seconds": 0, "trust_list_cache_seconds": 0},
        "memory": {},
    }
    if _redis_answers():
        ways["redis"] = {
            "redis_url": REDIS_URL,
            "redis_prefix": f"vaxx-bench-{uuid.uuid4().hex[:8]}:",
        }
    else:
        print(f"(no Redis at {REDIS_URL}: its column is left out)")
    results = {way: _run(folder, args.rounds, **changes) for way, changes in ways.items()}
    print(f"{args.sites} sites, {slots} slots, median of {args.rounds} (ms)")
    print(f"{'':30s}" + "".join(f"{way:>10s}" for way in results))
    for case in results["uncached"]:
        print(f"{case:30s}" + "".join(f"{results[way][case]:10.2f}" for way in results))


if __name__ == "__main__":
    main()
