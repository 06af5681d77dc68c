"""Open data and the SMART feed come from the shared response cache: a repeat or a 304 runs
no database query, and any committed booking/availability write (ORM flush or bulk
statement) shows on the very next request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, sessionmaker

from booking import demo
from booking.models import Slot
from vaxx import db

URL = "/open-data/availability"


class QueryCount:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_: Any) -> None:
        self.count += 1


@pytest.fixture
def queries(app: FastAPI) -> Iterator[QueryCount]:
    counter = QueryCount()
    event.listen(app.state.engine, "before_cursor_execute", counter)
    yield counter
    event.remove(app.state.engine, "before_cursor_execute", counter)


def _capacity(rows: list[dict[str, Any]]) -> int:
    return sum(row["capacity"] for row in rows)


@pytest.mark.parametrize(
    "url",
    [URL, "/open-data/doses", "/open-data/leftovers", "/$bulk-publish"],
)
def test_a_repeat_and_a_304_run_no_query(
    client: TestClient, demo_data: demo.Summary, queries: QueryCount, url: str
) -> None:
    first = client.get(url)
    assert first.status_code == 200, first.text
    assert queries.count > 0
    queries.count = 0
    again = client.get(url)
    not_modified = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert not_modified.status_code == 304
    assert queries.count == 0


def test_formats_are_cached_apart(client: TestClient, demo_data: demo.Summary) -> None:
    as_json = client.get(URL)
    as_csv = client.get(URL, headers={"Accept": "text/csv"})
    assert as_json.headers["content-type"] == "application/json"
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert client.get(URL).content == as_json.content


def test_orm_and_bulk_writes_show_on_the_next_request(
    client: TestClient, demo_data: demo.Summary, session_factory: sessionmaker[Session]
) -> None:
    first = client.get(URL).json()
    with db.transaction(session_factory) as session:
        slot = session.scalars(select(Slot).order_by(Slot.id)).first()
        assert slot is not None
        slot_id = slot.id
        slot.capacity += 5
    assert _capacity(client.get(URL).json()) == _capacity(first) + 5
    with db.transaction(session_factory) as session:
        session.execute(update(Slot).where(Slot.id == slot_id).values(capacity=Slot.capacity + 1))
    assert _capacity(client.get(URL).json()) == _capacity(first) + 6


def test_a_rolled_back_write_leaves_the_cache_alone(
    client: TestClient,
    demo_data: demo.Summary,
    session_factory: sessionmaker[Session],
    queries: QueryCount,
) -> None:
    first = client.get(URL)
    with session_factory() as session:
        session.execute(update(Slot).values(capacity=Slot.capacity + 1))
        session.rollback()
    queries.count = 0
    assert client.get(URL).content == first.content
    assert queries.count == 0
