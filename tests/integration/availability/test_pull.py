"""Pulling a registered SMART feed: here vaxx's own demo feed, fetched through the API, so
publish and import are checked against each other (what goes out comes back in)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from booking import demo
from booking.availability.errors import FeedInvalid
from booking.smart_links import importer, pull
from tests.conftest import MutableClock
from tests.integration.availability.conftest import BASE, path_of
from vaxx import db
from vaxx.cli import app as cli


def _through(client: TestClient) -> importer.Fetch:
    def fetch(url: str) -> bytes:
        response = client.get(path_of(url))
        if response.status_code != 200:
            raise importer.FileUnavailable(str(response.status_code))
        return response.content

    return fetch


def test_own_feed_round_trips_through_the_importer(
    client: TestClient,
    demo_data: demo.Summary,
    session_factory: sessionmaker[Session],
    clock: MutableClock,
) -> None:
    with db.transaction(session_factory) as session:
        pull.add_feed(session, "mirror", f"{BASE}/$bulk-publish", now=clock.now)
    with db.transaction(session_factory) as session:
        [result] = pull.pull_all(session, _through(client), now=clock.now)
    assert result.problems == []
    rows = client.get("/open-data/availability", params={"limit": 5000}).json()
    by_source: dict[str, Counter[tuple[str, str, str, int, int]]] = {"vaxx": Counter()}
    by_source["mirror"] = Counter()
    for row in rows:
        key = (row["site_id"], row["start"], row["end"], row["capacity"], row["available"])
        by_source[row["source"]][key] += 1
    assert by_source["mirror"] == by_source["vaxx"]
    assert all(row["stale"] is False for row in rows)


def test_unreadable_manifest_keeps_the_last_data(
    client: TestClient,
    demo_data: demo.Summary,
    session_factory: sessionmaker[Session],
    clock: MutableClock,
) -> None:
    with db.transaction(session_factory) as session:
        pull.add_feed(session, "mirror", f"{BASE}/$bulk-publish", now=clock.now)
    with db.transaction(session_factory) as session:
        pull.pull_all(session, _through(client), now=clock.now)
    before = len(client.get("/open-data/availability?limit=5000").json())
    with db.transaction(session_factory) as session:
        [result] = pull.pull_all(session, lambda url: b"<html>", now=clock.now)
    assert result.problems[0].startswith("manifest:")
    assert len(client.get("/open-data/availability?limit=5000").json()) == before


@pytest.mark.parametrize(
    "url", ["ftp://feeds.example/$bulk-publish", "https://feeds.example/manifest.json"]
)
def test_feed_url_must_be_a_bulk_publish_url(
    session_factory: sessionmaker[Session], clock: MutableClock, url: str
) -> None:
    with (
        pytest.raises(FeedInvalid, match=r"\$bulk-publish"),
        db.transaction(session_factory) as session,
    ):
        pull.add_feed(session, "bad", url, now=clock.now)


def test_cli_adds_a_feed_and_refuses_a_bad_url(tmp_path: Path, database_url: str) -> None:
    env = {"VAXX_DATA_DIR": str(tmp_path / "data"), "VAXX_DATABASE_URL": database_url}
    runner = CliRunner()
    good = ["availability", "add-feed", "peer", "https://peer.example/$bulk-publish"]
    added = runner.invoke(cli, good, env=env)
    assert added.exit_code == 0, added.output
    assert "feed 'peer' added" in added.stdout
    bad = runner.invoke(cli, ["availability", "add-feed", "x", "https://a.example/x"], env=env)
    assert isinstance(bad.exception, FeedInvalid)
