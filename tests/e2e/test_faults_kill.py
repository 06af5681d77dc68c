"""kill -9 in the middle of a batch issuance and of a booking storm (issue 11, faults).

A real `vaxx serve` on PostgreSQL is SIGKILLed once the work is under way (seen in the
database, polled, not timed), restarted on the same database and data directory, and the
records are checked: the register, the audit log and the idempotency keys agree; the slot's
count equals its appointments; stock reservations are untouched; and the clients' retries
(same Idempotency-Key, same people) complete the work exactly once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, func, select

from booking.enums import ACTIVE_STATUSES
from booking.models import Appointment, DosePool, SiteStock, Slot
from booking.taiwan import taipei_date
from issuer.models import IdempotencyKey, IssuedCertificate
from tests.conftest import SHARED_DIR
from tests.e2e.processes import ServerProcess, wait_for
from tests.e2e.test_booking_two_servers import _prepare
from tests.e2e.test_faults_database import make_token
from tests.integration.booking.conftest import national_id
from tests.integration.issuer.people import person_bundles
from vaxx.audit import AuditEvent
from vaxx.auth.scopes import Scope
from wallet_api.models import ClaimCode

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
BATCH_SIZE = 60
KEY = "clinic-7-batch-2026-11-23"
STORM, PLACES = 120, 30


@pytest.fixture
def engine(shared_postgres: str) -> Iterator[Engine]:
    """The test's own view of the database (the server's connections die with it)."""
    own = create_engine(shared_postgres)
    yield own
    own.dispose()


@pytest.fixture
def server(tmp_path: Path, shared_postgres: str) -> Iterator[ServerProcess]:
    # Every storm request comes from 127.0.0.1: no per-address limit on public booking.
    process = ServerProcess(
        tmp_path, {"VAXX_DATABASE_URL": shared_postgres, "VAXX_RATE_LIMIT_BOOKING": "0"}
    )
    process.start()
    yield process
    process.stop()


def scalar(engine: Engine, query: Any) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def kill_when(server: ServerProcess, seen: Any, what: str) -> None:
    wait_for(seen, what=what)
    server.kill()


# -- batch issuance -----------------------------------------------------------------------


def issued(engine: Engine) -> int:
    return scalar(engine, select(func.count()).select_from(IssuedCertificate))


def assert_register_consistent(engine: Engine) -> None:
    """Each certificate has exactly one issue audit row, its idempotency key and its claim
    code; no audit row, key or claim code names a certificate that is not there."""
    certificates = select(IssuedCertificate.id).scalar_subquery()
    issue_rows = (
        select(func.count())
        .where(AuditEvent.action == "certificate.issue", AuditEvent.target == IssuedCertificate.id)
        .correlate(IssuedCertificate)
        .scalar_subquery()
    )
    not_once = select(func.count()).select_from(IssuedCertificate).where(issue_rows != 1)
    assert scalar(engine, not_once) == 0
    orphans = {
        "audit rows": select(func.count()).where(
            AuditEvent.action == "certificate.issue", AuditEvent.target.not_in(certificates)
        ),
        "idempotency keys": select(func.count()).where(
            IdempotencyKey.certificate_id.not_in(certificates)
        ),
        "claim codes": select(func.count()).where(ClaimCode.certificate_id.not_in(certificates)),
    }
    assert {name: scalar(engine, query) for name, query in orphans.items()} == dict.fromkeys(
        orphans, 0
    )
    count = issued(engine)
    assert scalar(engine, select(func.count()).select_from(IdempotencyKey)) == count
    claimed = select(func.count(func.distinct(ClaimCode.certificate_id)))
    assert scalar(engine, claimed) == count


@pytest.fixture
def bundles() -> list[dict[str, Any]]:
    path = SHARED_DIR / "examples" / "issue-vaccination-request.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared examples are not checked out")
    return person_bundles(json.loads(path.read_text("utf-8")), BATCH_SIZE)


def test_kill_mid_batch_then_the_retry_completes_it_exactly_once(
    server: ServerProcess, shared_postgres: str, engine: Engine, bundles: list[dict[str, Any]]
) -> None:
    headers = {
        "Authorization": f"Bearer {make_token(shared_postgres, Scope.ISSUER)}",
        "Idempotency-Key": KEY,
    }
    url = f"{server.base_url}/issuer/certificates/batch"

    def send() -> httpx.Response:
        return httpx.post(url, json={"bundles": bundles}, headers=headers, timeout=120)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(send)
        # A quarter in: enough signed to replay, most of the batch still to come.
        kill_when(server, lambda: issued(engine) >= BATCH_SIZE // 4, "a quarter of the batch")
        with pytest.raises(httpx.TransportError):
            pending.result()
    interrupted = issued(engine)
    assert 0 < interrupted < BATCH_SIZE, "the kill came after the batch had finished"
    assert_register_consistent(engine)

    server.start()
    retried = send()
    assert retried.status_code == 200, retried.text
    body = retried.json()
    assert (body["issued"], body["replayed"], body["failed"]) == (BATCH_SIZE, interrupted, 0)
    assert issued(engine) == BATCH_SIZE
    assert_register_consistent(engine)
    with engine.connect() as connection:
        keys = Counter(connection.scalars(select(IdempotencyKey.key)))
    assert keys == Counter(f"{KEY}#{index}" for index in range(BATCH_SIZE))
    replays = [item["replayed"] for item in body["results"]]
    assert replays == [True] * interrupted + [False] * (BATCH_SIZE - interrupted)
    ids = [item["certificate"]["id"] for item in body["results"]]
    assert ids == _certificate_ids_by_key(engine)


def _certificate_ids_by_key(engine: Engine) -> list[str]:
    """Certificate ids in item order (the key's ``#<i>`` suffix)."""
    with engine.connect() as connection:
        rows = connection.execute(select(IdempotencyKey.key, IdempotencyKey.certificate_id))
        by_index = {int(key.rsplit("#", 1)[1]): certificate for key, certificate in rows}
    return [by_index[index] for index in sorted(by_index)]


# -- booking storm ------------------------------------------------------------------------


def assert_slot_consistent(engine: Engine, slot_id: int) -> int:
    """The slot's count is its active appointments, within capacity; no person holds two;
    the dose pool still reserves exactly the slot's capacity. Returns the count."""
    with engine.connect() as connection:
        slot = connection.execute(select(Slot).where(Slot.id == slot_id)).one()
        active = (
            select(Appointment.id_value)
            .where(Appointment.slot_id == slot_id, Appointment.status.in_(ACTIVE_STATUSES))
            .subquery()
        )
        holders = Counter(connection.scalars(select(active.c.id_value)))
        pool = connection.execute(select(DosePool).where(DosePool.site_id == slot.site_id)).one()
        received = connection.scalar(
            select(func.sum(SiteStock.doses_received)).where(SiteStock.site_id == slot.site_id)
        )
    assert slot.booked == sum(holders.values()) <= slot.capacity
    assert set(holders.values()) <= {1}
    assert (pool.doses_in, pool.doses_reserved, pool.doses_out) == (received, slot.capacity, 0)
    return int(slot.booked)


def test_kill_mid_booking_storm_keeps_the_slot_count_true_and_retries_book_once(
    server: ServerProcess, shared_postgres: str, engine: Engine
) -> None:
    day = (taipei_date(datetime.now(UTC)) + timedelta(days=1)).isoformat()
    people = [national_id(serial) for serial in range(STORM)]
    token = make_token(shared_postgres, Scope.BOOKING_STAFF)
    slot_id = _prepare(server.base_url, token, day, people, capacity=PLACES)
    booked = select(Slot.booked).where(Slot.id == slot_id)

    def storm(client: httpx.Client) -> Counter[str]:
        def book(person: str) -> str:
            body = {"slot_id": slot_id, "id_type": "national-id", "id_value": person,
                    "birth_date": "1990-01-01"}  # fmt: skip
            try:
                response = client.post("/booking/appointments", json=body)
            except httpx.TransportError:
                return "connection lost"
            return str(response.json().get("code", response.status_code))

        with ThreadPoolExecutor(max_workers=30) as pool:
            return Counter(pool.map(book, people))

    with (
        httpx.Client(base_url=server.base_url, timeout=60) as client,
        ThreadPoolExecutor(max_workers=1) as driver,
    ):
        first = driver.submit(storm, client)
        kill_when(server, lambda: scalar(engine, booked) >= PLACES // 3, "a third of the places")
        cut = first.result()
    assert cut["connection lost"] > 0, cut
    before = assert_slot_consistent(engine, slot_id)

    server.start()
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        retried = storm(client)
    # Everyone retries: those whose booking survived the kill are refused a second one.
    assert retried == Counter(
        {"201": PLACES - before, "duplicate_appointment": before, "slot_full": STORM - PLACES}
    )
    assert assert_slot_consistent(engine, slot_id) == PLACES
