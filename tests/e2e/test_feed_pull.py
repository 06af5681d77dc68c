"""A running `vaxx serve` pulls a partner's SMART feed by itself (issue 10): the feed is the
SMART project's example (its slots moved to the coming days), served by a local HTTP server;
no CLI command is run."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from booking.availability.models import Source
from booking.smart_links import pull
from tests.e2e.processes import ServerProcess
from vaxx import db

pytestmark = pytest.mark.e2e
FILES = ("locations.ndjson", "schedules.ndjson", "slots-2021-W09.ndjson")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """The feed server's access log is noise in the test output."""


def _shifted_to_tomorrow(path: Path) -> str:
    """The example's slots (March 2021) moved to start tomorrow: open data lists no past days."""
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    first = min(datetime.fromisoformat(slot["start"]) for slot in lines)
    shift = timedelta(days=(datetime.now(UTC) - first).days + 1)
    for slot in lines:
        for key in ("start", "end"):
            moved = datetime.fromisoformat(slot[key]) + shift
            slot[key] = moved.isoformat().replace("+00:00", "Z")
    return "".join(json.dumps(slot) + "\n" for slot in lines)


@pytest.fixture
def feed_url(tmp_path: Path, shared_dir: Path) -> Iterator[str]:
    """The example feed on a loopback HTTP server, its manifest naming the local files."""
    folder = tmp_path / "feed"
    folder.mkdir()
    example = shared_dir / "conformance/smart-scheduling-links"
    for name in FILES[:2]:
        (folder / name).write_bytes((example / name).read_bytes())
    (folder / FILES[2]).write_text(_shifted_to_tomorrow(example / FILES[2]))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    manifest = json.loads((example / "bulk-publish.json").read_text())
    manifest["output"] = [
        {"type": kind, "url": f"{base}/{name}"}
        for kind, name in zip(("Location", "Schedule", "Slot"), FILES, strict=True)
    ]
    (folder / "$bulk-publish").write_text(json.dumps(manifest))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{base}/$bulk-publish"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_server_pulls_a_registered_feed_on_its_own(tmp_path: Path, feed_url: str) -> None:
    data = tmp_path / "vaxx-data"
    with ServerProcess(tmp_path, {"VAXX_AVAILABILITY_PULL_SECONDS": "1"}) as server:
        engine = db.make_engine(f"sqlite:///{data / 'vaxx.sqlite3'}")
        try:
            factory = db.make_sessionmaker(engine)
            with db.transaction(factory) as session:
                pull.add_feed(session, "partner", feed_url, now=datetime.now(UTC))

            def pulled() -> bool:
                with factory() as session:
                    source = session.scalars(select(Source).where(Source.name == "partner")).one()
                    return source.fetched_at is not None

            server.wait_until(pulled, what="the feed to be pulled", every=0.2)
            rows = httpx.get(
                f"{server.base_url}/open-data/availability",
                params={"limit": 5000},
            ).json()
            partner = [row for row in rows if row["source"] == "partner"]
            assert partner
            # The example manifest says it was true in 2021: shown, but flagged stale.
            assert all(row["stale"] for row in partner)
            assert "availability feed partner pulled" in server.log()
        finally:
            engine.dispose()
    # uvicorn re-raises SIGTERM after a graceful stop; the lifespan (puller.stop()) finished:
    assert "Application shutdown complete" in server.log()
