"""Bookings per second on PostgreSQL, with contention and without (issue 9).

    /work/venv/bin/python benchmarks/booking.py [--threads 16] [--bookings 400] [--rounds 3]

Each round books ``--bookings`` places through the booking service (a real transaction
per booking: slot row lock, eligibility and history queries, insert) from ``--threads``
threads, each with its own connection:

- contended: every booking targets one slot (all writers queue on one row lock);
- spread: each thread books its own slot (no shared row).

Baseline in the same round: the same threads running an empty transaction (``SELECT 1``
+ commit), so the figures travel as ratios (PERFORMANCE.md: the machine is noisy).
Variants are interleaved per round; medians with min-max are printed. Needs PostgreSQL
at ``VAXX_BENCH_POSTGRES_URL`` (default: the test server); a scratch database is created
and dropped.
"""

# ruff: noqa: E402 - the sys.path fix below must run before the booking imports

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from itertools import count

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from booking import appointments, sites, slots, stock
from booking.enums import Channel, Funding, LotType, SiteType
from booking.enums import Session as DaySession
from booking.schemas import BookingCreate, LotCreate, SiteCreate, SlotCreate
from booking.taiwan import IdType
from vaxx import db

URL = os.environ.get("VAXX_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
DAY = date(2026, 11, 24)
_serial = count()


def _site_with_slots(factory: sessionmaker[Session], n_slots: int, capacity: int) -> list[int]:
    """A new site holding enough self-paid doses, with ``n_slots`` open slots."""
    number = next(_serial)
    code = f"{9000000000 + number}"
    with db.transaction(factory) as session:
        site = sites.create(
            session,
            SiteCreate(
                code=code,
                name_zh="基準",
                name_en="Bench",
                type=SiteType.CLINIC,
                county="63000",
                district="中正區",
                address="-",
                sessions=list(DaySession),
                channels=[Channel.WEB],
                issues_certificates=False,
            ),
            now=NOW,
            actor="bench",
        )
        doses = n_slots * capacity
        lot = stock.register_lot(
            session,
            LotCreate(
                vaccine_code="CoV Moderna",
                lot_number=f"B{number}",
                lot_type=LotType.SELF_PAID,
                expires_on=date(2099, 1, 1),
                doses_per_vial=1,
                vials_total=doses,
            ),
            now=NOW,
            actor="bench",
        )
        stock.allocate_to_county(session, lot, "63000", doses, now=NOW, actor="bench")
        stock.deliver_to_site(session, lot, site, doses, now=NOW, actor="bench")
        opened = []
        for index in range(n_slots):
            slot = slots.open_slot(
                session,
                site,
                SlotCreate(
                    day=DAY.replace(day=DAY.day + index // 3),
                    session=list(DaySession)[index % 3],
                    vaccine_code="CoV Moderna",
                    funding=Funding.SELF_PAID,
                    capacity=capacity,
                ),
                now=NOW,
                actor="bench",
            )
            session.flush()
            opened.append(slot.id)
    return opened


def _book(factory: sessionmaker[Session], slot_id: int) -> None:
    body = BookingCreate(
        slot_id=slot_id,
        id_type=IdType.PASSPORT,
        id_value=f"P{next(_serial):09d}",
        birth_date=date(1990, 1, 1),
    )
    with db.transaction(factory) as session:
        appointments.book(session, slots.get(session, slot_id), body, now=NOW)


def _empty(factory: sessionmaker[Session], _slot: int) -> None:
    with db.transaction(factory) as session:
        session.execute(text("SELECT 1"))


def _rate(
    factory: sessionmaker[Session], job: Callable[..., None], targets: list[int], threads: int
) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda slot: job(factory, slot), targets))
    return len(targets) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--bookings", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    admin = create_engine(URL, isolation_level="AUTOCOMMIT")
    name = f"vaxx_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(URL).set(database=name).render_as_string(hide_password=False)
    engine = None
    try:
        db.upgrade(url)
        engine = db.make_engine(url)
        factory = db.make_sessionmaker(engine)
        results: dict[str, list[float]] = {"empty txn": [], "contended": [], "spread": []}
        per_thread = args.bookings // args.threads
        for _ in range(args.rounds):
            one = _site_with_slots(factory, 1, args.bookings)
            many = _site_with_slots(factory, args.threads, per_thread)
            spread = [slot for slot in many for _ in range(per_thread)]
            results["empty txn"].append(_rate(factory, _empty, one * args.bookings, args.threads))
            results["contended"].append(_rate(factory, _book, one * args.bookings, args.threads))
            results["spread"].append(_rate(factory, _book, spread, args.threads))
        _print(results, args)
    finally:
        if engine is not None:
            engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _print(results: dict[str, list[float]], args: argparse.Namespace) -> None:
    baseline = statistics.median(results["empty txn"])
    print(f"PostgreSQL, {args.threads} threads, {args.bookings} bookings x {args.rounds} rounds")
    print(f"{'variant':<12} {'per second (median, min-max)':>32} {'vs empty txn':>14}")
    for variant, rates in results.items():
        median = statistics.median(rates)
        spread = f"{median:8.0f} ({min(rates):.0f}-{max(rates):.0f})"
        print(f"{variant:<12} {spread:>32} {median / baseline:>13.2f}x")
    ratio = statistics.median(results["spread"]) / statistics.median(results["contended"])
    print(f"spread / contended: {ratio:.2f}x")


if __name__ == "__main__":
    main()
