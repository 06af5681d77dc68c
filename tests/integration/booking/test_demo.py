"""The demo data set loads through the real services, whole, and only once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from booking import demo
from booking.errors import AlreadyExists
from vaxx import db


def test_demo_loads_once_and_shows_the_whole_flow(
    client: TestClient, session_factory, clock
) -> None:
    with db.transaction(session_factory) as session:
        summary = demo.load(session, clock())
    assert summary == demo.Summary(sites=12, slots=12 * 14 + 1, appointments=30, doses=6)
    assert len(client.get("/booking/sites?county=宜蘭縣").json()) == 3
    open_slots = client.get("/booking/slots?vaccine=CoV Moderna&limit=500").json()
    assert sum(slot["booked"] for slot in open_slots) == 30
    with pytest.raises(AlreadyExists), db.transaction(session_factory) as session:
        demo.load(session, clock())
