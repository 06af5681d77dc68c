"""No overbooking across processes: two `vaxx serve` processes share one PostgreSQL and
200 concurrent bookings hit a slot of 50 places through both (issue 9)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from booking import rules
from booking.models import Appointment, Slot
from booking.taiwan import taipei_date
from tests.e2e.processes import ServerProcess
from tests.integration.booking.conftest import national_id
from vaxx import db
from vaxx.auth import service as auth_service
from vaxx.auth.scopes import Scope

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
ATTEMPTS, CAPACITY = 200, 50


@pytest.fixture
def two_servers(tmp_path: Path, shared_postgres: str) -> Iterator[list[str]]:
    with ExitStack() as stack:
        servers = [
            stack.enter_context(
                ServerProcess(
                    tmp_path,
                    {
                        "VAXX_DATA_DIR": str(tmp_path / f"data-{index}"),
                        "VAXX_DATABASE_URL": shared_postgres,
                    },
                    name=f"server-{index}",
                )
            )
            for index in range(2)
        ]
        yield [server.base_url for server in servers]


def _staff_token(url: str) -> str:
    engine = create_engine(url)
    try:
        with db.transaction(db.make_sessionmaker(engine)) as session:
            made = auth_service.create_client(
                session, name="e2e staff", scopes=[Scope.BOOKING_STAFF],
                now=datetime.now(UTC), actor="test",
            )  # fmt: skip
        return made.token
    finally:
        engine.dispose()


def _prepare(base: str, token: str, day: str, people: list[str], capacity: int = CAPACITY) -> int:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as staff:
        site = {
            "code": "0131060029", "name_zh": "臺北市立聯合醫院", "name_en": "Taipei City Hospital",
            "type": "hospital", "county": "臺北市", "district": "中正區",
            "address": "中華路二段33號",
            "sessions": ["morning"], "channels": ["web"], "issues_certificates": False,
        }  # fmt: skip
        assert staff.post("/booking/staff/sites", json=site).status_code == 201
        lot = {"vaccine_code": "CoV Moderna", "lot_number": "E2E1", "lot_type": "central",
               "expires_on": "2099-01-01", "vials_total": 10}  # fmt: skip
        lot_id = staff.post("/booking/staff/lots", json=lot).json()["id"]
        staff.post(
            f"/booking/staff/lots/{lot_id}/allocations", json={"county": "63000", "vials": 6}
        )
        staff.post(
            f"/booking/staff/lots/{lot_id}/deliveries",
            json={"site_code": "0131060029", "vials": 6},
        )
        slot = {"day": day, "session": "morning", "vaccine_code": "CoV Moderna",
                "capacity": capacity}  # fmt: skip
        made = staff.post("/booking/staff/sites/0131060029/slots", json=slot)
        assert made.status_code == 201, made.text
        category = {"code": "1", "name_zh": "醫事人員", "name_en": "Medical staff",
                    "vaccine_codes": ["CoV Moderna"], "active_from": "2000-01-01"}  # fmt: skip
        assert staff.put("/booking/staff/categories/1", json=category).status_code == 200
        week = rules.week_start(datetime.fromisoformat(day).date()).isoformat()
        listed = staff.put(
            f"/booking/staff/eligibility/1/{week}",
            content=("national_id\n" + "\n".join(people)).encode(),
            headers={"Content-Type": "text/csv"},
        )
        assert listed.status_code == 200, listed.text
        return int(made.json()["id"])


def test_two_servers_never_overbook_one_slot(two_servers: list[str], shared_postgres: str) -> None:
    day = (taipei_date(datetime.now(UTC)) + timedelta(days=1)).isoformat()
    people = [national_id(serial) for serial in range(ATTEMPTS)]
    slot_id = _prepare(two_servers[0], _staff_token(shared_postgres), day, people)
    clients = [httpx.Client(base_url=base, timeout=60) for base in two_servers]

    def book(index: int) -> tuple[int, str]:
        body = {"slot_id": slot_id, "id_type": "national-id", "id_value": people[index],
                "birth_date": "1990-01-01"}  # fmt: skip
        response = clients[index % 2].post("/booking/appointments", json=body)
        return response.status_code, response.json().get("code", "booked")

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcome = Counter(pool.map(book, range(ATTEMPTS)))
    for client in clients:
        client.close()

    assert outcome == Counter({(201, "booked"): CAPACITY, (409, "slot_full"): ATTEMPTS - CAPACITY})
    engine = create_engine(shared_postgres)
    with engine.connect() as connection:
        booked = connection.scalar(select(Slot.booked).where(Slot.id == slot_id))
        rows = connection.scalar(select(func.count()).where(Appointment.slot_id == slot_id))
    engine.dispose()
    assert booked == rows == CAPACITY
