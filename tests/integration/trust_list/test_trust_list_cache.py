"""The trust list from the shared cache: the database still says which version is current
(one small read without the document), so a 304 or a repeat costs that read alone, and a
change written by any process (the CLI has its own engine) shows on the next request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cryptography import x509
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event

from tests.conftest import MutableClock
from tests.unit.trust_list import pki
from trust_list import service
from vaxx import db
from vaxx.settings import Settings


class Statements(list[str]):
    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.append(statement)


@pytest.fixture
def queries(app: FastAPI) -> Iterator[Statements]:
    seen = Statements()
    event.listen(app.state.engine, "before_cursor_execute", seen)
    yield seen
    event.remove(app.state.engine, "before_cursor_execute", seen)


def _add_dsc_elsewhere(settings: Settings, csca: pki.Issued, clock: MutableClock) -> None:
    """Trust a new DSC through an engine of its own, as another process would."""
    engine = create_engine(settings.resolved_database_url)
    try:
        with db.transaction(db.make_sessionmaker(engine)) as session:
            service.add_dsc(
                session, pki.make_dsc(csca).certificate, country="TW", source="import",
                now=clock(), actor="t",
            )  # fmt: skip
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", ["/trust-list", "/trust-list/eu"])
def test_a_304_and_a_repeat_cost_one_small_read(
    client: TestClient,
    anchor: x509.Certificate,
    queries: Statements,
    settings: Settings,
    tw_csca: pki.Issued,
    clock: MutableClock,
    url: str,
) -> None:
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url).content == first.content  # the first read signed; this one caches
    queries.clear()
    not_modified = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    again = client.get(url)
    assert not_modified.status_code == 304
    assert again.content == first.content
    reads = [q for q in queries if q.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 2, "one small read per request"
    assert not any("document" in q for q in reads), reads

    _add_dsc_elsewhere(settings, tw_csca, clock)
    changed = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200
    assert changed.headers["etag"] != first.headers["etag"]
