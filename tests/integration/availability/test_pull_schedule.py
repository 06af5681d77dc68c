"""The in-server feed puller: when a feed is due, which replica pulls it (the lease), and
what a failed pull leaves behind. Time comes from the test's clock; both databases."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from booking.availability import store
from booking.availability.models import ExternalSlot, Source
from booking.smart_links import importer, pull, schedule
from tests.conftest import MutableClock
from vaxx import db
from vaxx.app import create_app
from vaxx.cli import app as cli
from vaxx.settings import Settings

PERIOD = timedelta(minutes=5)
LEASE = timedelta(minutes=10)
URL = "https://partner.example/fhir/$bulk-publish"


@pytest.fixture
def example_fetch(shared_dir: Path) -> importer.Fetch:
    """The SMART project's example feed, each URL answered by the file of its name."""
    folder = shared_dir / "conformance/smart-scheduling-links"

    def fetch(url: str) -> bytes:
        name = "bulk-publish.json" if url == URL else url.rsplit("/", 1)[-1]
        if not (folder / name).is_file():
            raise importer.FileUnavailable(f"404 {name}")
        return (folder / name).read_bytes()

    return fetch


@pytest.fixture
def feed_id(session_factory: sessionmaker[Session], clock: MutableClock) -> int:
    with db.transaction(session_factory) as session:
        return pull.add_feed(session, "partner", URL, now=clock()).id


def _puller(
    factory: sessionmaker[Session], fetch: importer.Fetch, clock: MutableClock, owner: str
) -> schedule.FeedPuller:
    return schedule.FeedPuller(factory, fetch, clock=clock, period=PERIOD, lease=LEASE, owner=owner)


def _source(factory: sessionmaker[Session], source_id: int) -> Source:
    with factory() as session:
        found = session.get_one(Source, source_id)
        session.expunge(found)
        return found


def test_one_replica_pulls_a_feed_once_per_period(
    session_factory: sessionmaker[Session],
    example_fetch: importer.Fetch,
    clock: MutableClock,
    feed_id: int,
) -> None:
    first = _puller(session_factory, example_fetch, clock, "replica-1")
    second = _puller(session_factory, example_fetch, clock, "replica-2")

    [result] = first.run_due()
    assert (result.source, result.failed) == ("partner", False)
    assert result.slots > 0
    assert second.run_due() == []
    clock.now += PERIOD - timedelta(seconds=1)
    assert first.run_due() == second.run_due() == []
    clock.now += timedelta(seconds=1)
    assert [r.source for r in second.run_due()] == ["partner"]
    assert first.run_due() == []

    stored = _source(session_factory, feed_id)
    assert stored.fetched_at == stored.pull_started_at == clock.now
    assert stored.pull_lease_until is None
    assert stored.pull_lease_owner is None
    assert stored.last_error is None


def test_a_lease_held_by_a_dead_replica_runs_out(
    session_factory: sessionmaker[Session],
    example_fetch: importer.Fetch,
    clock: MutableClock,
    feed_id: int,
) -> None:
    started = clock()
    with db.transaction(session_factory) as session:
        assert schedule.claim(
            session, feed_id, owner="crashed", now=started, period=PERIOD, lease=LEASE
        )
    survivor = _puller(session_factory, example_fetch, clock, "survivor")
    clock.now = started + PERIOD
    assert survivor.run_due() == []  # due again, but still leased
    clock.now = started + LEASE
    assert [r.slots > 0 for r in survivor.run_due()] == [True]


def test_concurrent_claims_have_one_winner(
    session_factory: sessionmaker[Session], clock: MutableClock, feed_id: int
) -> None:
    def try_claim(owner: int) -> bool:
        with db.transaction(session_factory) as session:
            return schedule.claim(
                session, feed_id, owner=f"r{owner}", now=clock(), period=PERIOD, lease=LEASE
            )

    with ThreadPoolExecutor(max_workers=4) as pool:
        wins = list(pool.map(try_claim, range(8)))
    assert wins.count(True) == 1


def test_a_failed_pull_is_recorded_and_keeps_the_last_data(
    settings: Settings,
    database_url: str,
    session_factory: sessionmaker[Session],
    example_fetch: importer.Fetch,
    clock: MutableClock,
    feed_id: int,
) -> None:
    [first] = _puller(session_factory, example_fetch, clock, "r").run_due()
    pulled_at = clock()

    def broken(url: str) -> bytes:
        raise RuntimeError("connection reset by peer")

    clock.now += PERIOD
    [result] = _puller(session_factory, broken, clock, "r").run_due()
    assert result.failed
    assert result.problems == ["RuntimeError: connection reset by peer"]
    clock.now += PERIOD
    [result] = _puller(session_factory, lambda url: b"<html>", clock, "r").run_due()
    assert result.failed
    failed = _source(session_factory, feed_id)
    assert failed.last_error is not None
    assert failed.last_error.startswith("manifest:")
    assert (failed.last_error_at, failed.fetched_at) == (clock.now, pulled_at)
    assert failed.pull_lease_owner is None
    with session_factory() as session:
        kept = session.scalar(select(func.count()).where(ExternalSlot.source_id == feed_id))
    assert kept == first.slots > 0  # the last good pull's slots are still there

    env = {"VAXX_DATA_DIR": str(settings.data_dir), "VAXX_DATABASE_URL": database_url}
    listed = CliRunner().invoke(cli, ["availability", "feeds"], env=env)
    assert listed.exit_code == 0, listed.output
    assert f"last pulled: {pulled_at.isoformat(timespec='seconds')}" in listed.stdout
    assert "last failure" in listed.stdout
    assert "manifest:" in listed.stdout

    clock.now += PERIOD
    [result] = _puller(session_factory, example_fetch, clock, "r").run_due()
    assert not result.failed
    recovered = _source(session_factory, feed_id)
    assert (recovered.last_error, recovered.last_error_at) == (None, None)
    assert recovered.fetched_at == clock.now


def test_partner_sources_are_never_pulled(
    session_factory: sessionmaker[Session], example_fetch: importer.Fetch, clock: MutableClock
) -> None:
    with db.transaction(session_factory) as session:
        store.source(session, "pusher", kind="partner", now=clock())
    assert _puller(session_factory, example_fetch, clock, "r").run_due() == []


def _pullers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "vaxx-feed-puller"]


def test_apps_built_for_tests_start_no_puller(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert _pullers() == []


def test_a_served_app_starts_its_puller_and_stops_it_on_shutdown(
    settings: Settings, clock: MutableClock
) -> None:
    disabled = settings.model_copy(update={"availability_pull_seconds": 0})
    apps = [create_app(config, clock=clock, background=True) for config in (settings, disabled)]
    try:
        with TestClient(apps[0]) as served:
            assert served.get("/healthz").status_code == 200
            [puller] = _pullers()
        assert not puller.is_alive()
        with TestClient(apps[1]):
            assert _pullers() == []
    finally:
        for app in apps:
            app.state.engine.dispose()
