"""Two `vaxx serve` replicas on one PostgreSQL database and one Redis (issue 11), hit at once:

- issuance with Idempotency-Keys, every key sent to both: each key is exactly one
  certificate in the register (duplicates in flight get 409 and their retry the replay);
- bookings on one small slot through both: no overbooking, and every 201's reference is in
  the database; the open data cached on both replicas shows the bookings on the next read;
- one claim code claimed on both at once: claimed exactly once;
- a rate limit holds across both: N requests allowed in total, not N per replica.

The replicas share a data dir (so one set of signing keys, as replicas in production do) and
a Redis key prefix of this test's own. Skips with the reason when Redis or PostgreSQL is
absent.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from booking.models import Appointment, Slot
from booking.taiwan import taipei_date
from issuer.models import IdempotencyKey, IssuedCertificate
from tests.conftest import POSTGRES_URL
from tests.e2e.processes import ServerProcess
from tests.e2e.test_booking_two_servers import CAPACITY, _prepare
from tests.integration.booking.conftest import national_id
from tests.unit.vaxx.test_shared_state import REDIS_URL, redis_or_skip
from vaxx import db
from vaxx.auth import service as auth_service
from vaxx.auth.scopes import Scope

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
OPEN_DATA_LIMIT = 25
KEYS, COPIES = 8, 4
BOOKINGS = CAPACITY + 30
CLAIMERS = 6


@pytest.fixture
def database() -> Iterator[str]:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no server"
        pytest.skip(f"no PostgreSQL server answers at {POSTGRES_URL}: {type(exc).__name__}")
    name = f"vaxx_e2e_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        db.upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    redis_or_skip()
    prefix = f"vaxx-e2e-{uuid.uuid4().hex[:12]}:"
    yield prefix
    cleanup = redis.Redis.from_url(REDIS_URL)
    for key in cleanup.scan_iter(f"{prefix}*"):
        cleanup.delete(key)
    cleanup.close()


@pytest.fixture
def replicas(tmp_path: Path, database: str, redis_prefix: str) -> Iterator[list[str]]:
    settings = {
        "VAXX_DATABASE_URL": database,
        "VAXX_REDIS_URL": REDIS_URL,
        "VAXX_REDIS_PREFIX": redis_prefix,
        "VAXX_RATE_LIMIT_OPEN_DATA": str(OPEN_DATA_LIMIT),
        "VAXX_TRUSTED_PROXIES": "127.0.0.1",  # the test client stands in for the proxy
        "VAXX_RATE_LIMIT_BOOKING": "0",
        "VAXX_AVAILABILITY_PULL_SECONDS": "0",
    }
    with ExitStack() as stack:
        # One after the other, in the one default data dir: the first creates the shared keys.
        bases = [
            stack.enter_context(ServerProcess(tmp_path, settings, name=f"server-{index}")).base_url
            for index in range(2)
        ]
        for base in bases:
            assert httpx.get(f"{base}/readyz").json()["checks"]["redis"] == "ok"
        yield bases


def _tokens(url: str) -> dict[Scope, str]:
    engine = create_engine(url)
    try:
        with db.transaction(db.make_sessionmaker(engine)) as session:
            return {
                scope: auth_service.create_client(
                    session, name=f"e2e {scope.value}", scopes=[scope],
                    now=datetime.now(UTC), actor="test",
                ).token
                for scope in (Scope.ISSUER, Scope.BOOKING_STAFF)
            }  # fmt: skip
    finally:
        engine.dispose()


def _until_not_in_flight(send: Callable[[], httpx.Response]) -> httpx.Response:
    """Retry a 409 ``idempotency_key_in_flight`` as a client would (briefly here: the
    Retry-After of 1 s would only slow the test down)."""
    for _ in range(400):
        response = send()
        if response.status_code != 409:
            return response
        assert response.json()["code"] == "idempotency_key_in_flight", response.text
        assert response.headers["retry-after"] == "1"
        time.sleep(0.02)
    pytest.fail("an Idempotency-Key stayed in flight for 8 s")


def _count(engine: Engine, model: type[Any]) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model)) or 0


def _issue_every_key_on_both(issuers: list[httpx.Client], bundle: dict[str, Any]) -> None:
    """Every key sent COPIES times, alternating replicas, all at once: one certificate each."""

    def issue(job: int) -> tuple[str, int, str]:
        key = f"visit-{job % KEYS}"
        response = _until_not_in_flight(
            lambda: issuers[job % 2].post(
                "/issuer/certificates", json=bundle, headers={"Idempotency-Key": key}
            )
        )
        return key, response.status_code, response.json().get("id", response.text)

    with ThreadPoolExecutor(max_workers=16) as pool:
        issued = list(pool.map(issue, range(KEYS * COPIES)))
    assert {status for _, status, _ in issued} == {201}
    per_key = {key: {cid for k, _, cid in issued if k == key} for key, _, _ in issued}
    assert all(len(ids) == 1 for ids in per_key.values()), per_key


def _book_on_both(public: list[httpx.Client], slot_id: int, people: list[str]) -> set[str]:
    """Every person tries the slot once through alternating replicas: the references won."""

    def book(index: int) -> tuple[int, str]:
        body = {
            "slot_id": slot_id,
            "id_type": "national-id",
            "id_value": people[index],
            "birth_date": "1990-01-01",
        }
        response = public[index % 2].post("/booking/appointments", json=body)
        answer = response.json()
        return response.status_code, answer.get("reference") or answer["code"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        booked = list(pool.map(book, range(len(people))))
    assert Counter(status for status, _ in booked) == {201: CAPACITY, 409: len(people) - CAPACITY}
    return {reference for status, reference in booked if status == 201}


def _booked_per_replica(public: list[httpx.Client]) -> list[list[int]]:
    return [
        [row["booked"] for row in client.get("/open-data/availability").json()] for client in public
    ]


def test_two_replicas_share_locks_caches_and_limits(
    replicas: list[str], database: str, shared_dir: Path
) -> None:
    tokens = _tokens(database)
    bundle = json.loads((shared_dir / "examples/issue-vaccination-request.json").read_text())
    issuer_auth = {"Authorization": f"Bearer {tokens[Scope.ISSUER]}"}
    issuers = [httpx.Client(base_url=base, timeout=60, headers=issuer_auth) for base in replicas]
    public = [httpx.Client(base_url=base, timeout=60) for base in replicas]
    engine = create_engine(database)
    try:
        _issue_every_key_on_both(issuers, bundle)
        assert _count(engine, IssuedCertificate) == _count(engine, IdempotencyKey) == KEYS

        day = (taipei_date(datetime.now(UTC)) + timedelta(days=1)).isoformat()
        people = [national_id(serial) for serial in range(BOOKINGS)]
        slot_id = _prepare(replicas[0], tokens[Scope.BOOKING_STAFF], day, people)
        assert _booked_per_replica(public) == [[0], [0]]  # now cached on both
        references = _book_on_both(public, slot_id, people)
        with engine.connect() as connection:
            query = select(Appointment.reference).where(Appointment.slot_id == slot_id)
            assert set(connection.scalars(query)) == references
            assert connection.scalar(select(Slot.booked).where(Slot.id == slot_id)) == CAPACITY
        assert _booked_per_replica(public) == [[CAPACITY], [CAPACITY]]

        fresh = issuers[0].post("/issuer/certificates", json=bundle).json()
        claim = {"code": fresh["claim_code"], "birth_date": "1985-03-14"}
        with ThreadPoolExecutor(max_workers=CLAIMERS) as pool:
            claims = list(
                pool.map(
                    lambda i: public[i % 2].post("/wallet/api/claim", json=claim), range(CLAIMERS)
                )
            )
        codes = Counter(r.json().get("code", "claimed") for r in claims)
        assert codes == {"claimed": 1, "claim_used": CLAIMERS - 1}, [r.text for r in claims]

        # One client (its address forwarded by the trusted local proxy) gets
        # OPEN_DATA_LIMIT answers in total from the two replicas, not that many from each.
        reader = {"X-Forwarded-For": "203.0.113.77"}

        def read(index: int) -> int:
            return public[index % 2].get("/open-data/leftovers", headers=reader).status_code

        with ThreadPoolExecutor(max_workers=10) as pool:
            reads = Counter(pool.map(read, range(OPEN_DATA_LIMIT * 2)))
        assert reads == {200: OPEN_DATA_LIMIT, 429: OPEN_DATA_LIMIT}
    finally:
        for client in issuers + public:
            client.close()
        engine.dispose()
