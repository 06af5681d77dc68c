"""Open data and SMART feed response times at a national scale (issue 10).

    /work/venv/bin/python benchmarks/availability.py [--sites 300] [--days 14] [--rounds 5]

Fills a scratch SQLite database with ``--sites`` sites spread over the 22 counties and one
slot per site, day and session (morning, afternoon, evening), written straight as rows (the
figures measure reading, not booking). Then, through the real app (TestClient), times:
the ``$bulk-publish`` manifest, ``locations.ndjson``, one county's slot file, 1000 rows of
``/open-data/availability`` as JSON and CSV, and the same JSON answered 304 from its ETag.
Baseline in the same run: ``GET /healthz``; figures are medians with the ratio to it.
"""

# ruff: noqa: E402 - the sys.path fix below must run before the vaxx imports

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from booking.models import Site, Slot
from booking.taiwan import COUNTIES
from vaxx import db
from vaxx.app import create_app
from vaxx.settings import Settings

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _fill(factory: sessionmaker[Session], sites: int, days: int) -> int:
    with db.transaction(factory) as session:
        made = []
        for number in range(sites):
            county = COUNTIES[number % len(COUNTIES)]
            site = Site(
                code=f"{number:010d}",
                name_zh=f"示範診所{number}",
                name_en=f"Demo clinic {number}",
                type="clinic",
                county_code=county.code,
                district="示範區",
                address=f"示範路{number}號",
                latitude=24.0,
                longitude=121.0,
                phone="02-23456789",
                sessions=["morning", "afternoon", "evening"],
                channels=["web"],
                issues_certificates=False,
                created_at=NOW,
            )
            session.add(site)
            made.append(site)
        session.flush()
        total = 0
        for site in made:
            for offset in range(days):
                for part in ("morning", "afternoon", "evening"):
                    session.add(
                        Slot(
                            site_id=site.id,
                            day=(NOW + timedelta(days=offset)).date(),
                            session=part,
                            vaccine_code="CoV Moderna",
                            funding="public",
                            capacity=50,
                            booked=total % 50,
                            administered=0,
                        )
                    )
                    total += 1
    return total


def _median_ms(call: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    settings = Settings(data_dir=folder, public_base_url="https://vaxx.example.tw", _env_file=None)  # type: ignore[call-arg]
    db.upgrade(settings.resolved_database_url)
    app = create_app(settings, clock=lambda: NOW)
    slots = _fill(app.state.sessionmaker, args.sites, args.days)
    client = TestClient(app)
    tag = client.get("/open-data/availability").headers["etag"]
    county = COUNTIES[0].code
    client.get(f"/smart-scheduling/slots-{county}.ndjson")  # first rendering fills the ledger
    cases: dict[str, Callable[[], object]] = {
        "baseline GET /healthz": lambda: client.get("/healthz"),
        "GET /$bulk-publish": lambda: client.get("/$bulk-publish"),
        "GET locations.ndjson": lambda: client.get("/smart-scheduling/locations.ndjson"),
        f"GET slots-{county}.ndjson": lambda: client.get(
            f"/smart-scheduling/slots-{county}.ndjson"
        ),
        "GET open-data 1000 rows JSON": lambda: client.get("/open-data/availability"),
        "GET open-data 1000 rows CSV": lambda: client.get("/open-data/availability?format=csv"),
        "GET open-data 304 (ETag)": lambda: client.get(
            "/open-data/availability", headers={"If-None-Match": tag}
        ),
    }
    print(f"{args.sites} sites, {slots} slots, {args.rounds} rounds (median, min-max)")
    baseline = _median_ms(cases["baseline GET /healthz"], args.rounds)[0]
    for name, call in cases.items():
        median, low, high = _median_ms(call, args.rounds)
        print(f"{name:34s} {median:8.1f} ms ({low:.1f}-{high:.1f})  x{median / baseline:7.1f}")


if __name__ == "__main__":
    main()
