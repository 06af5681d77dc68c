"""A realistic demo data set, so a new user sees the whole booking flow at once.

Twelve sites in four counties, central and self-paid lots delivered through the
CDC -> county -> site chain, morning and afternoon slots for the next 7 days, a priority
category with this week's and next week's lists, some appointments and doses given today.
Everything goes through the same services as the API (so the invariants hold), in one
transaction: it loads entirely or not at all. Identifiers are synthetic.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking import administration, appointments, eligibility, rules, sites, slots, stock
from booking.enums import Channel, Funding, LotType, SiteType
from booking.enums import Session as DaySession
from booking.errors import AlreadyExists
from booking.models import Site
from booking.schemas import (
    AdministrationCreate,
    BookingCreate,
    CategoryCreate,
    LotCreate,
    PatientName,
    Performer,
    PersonIn,
    SiteCreate,
    SlotCreate,
)
from booking.taiwan import IdType, taipei_date

ACTOR = "demo"


@dataclass(frozen=True)
class Summary:
    sites: int
    slots: int
    appointments: int
    doses: int


def _national_id(serial: int) -> str:
    """A synthetic national ID with a valid check digit (letter A, male)."""
    body = f"1{serial:07d}"
    total = 1 + sum(int(d) * w for d, w in zip(body, range(8, 0, -1), strict=True))
    return f"A{body}{(10 - total % 10) % 10}"


def _site_rows() -> list[dict[str, str]]:
    text = resources.files("booking").joinpath("demo_sites.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _sites(session: Session, now: datetime) -> list[Site]:
    made = []
    for row in _site_rows():
        data = SiteCreate(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            type=SiteType(row["type"]),
            county=row["county"],
            district=row["district"],
            address=f"{row['district']}示範路1號",
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            phone="02-23456789",
            sessions=[DaySession.MORNING, DaySession.AFTERNOON],
            channels=[Channel.WEB, Channel.PARTNER, Channel.KIOSK],
            issues_certificates=False,
        )
        made.append(sites.create(session, data, now=now, actor=ACTOR))
    session.flush()
    return made


def _stock(session: Session, made: list[Site], now: datetime) -> None:
    expiry = taipei_date(now) + timedelta(days=180)
    central = stock.register_lot(
        session,
        LotCreate(
            vaccine_code="CoV Moderna",
            lot_number="DEMO-MOD-001",
            lot_type=LotType.CENTRAL,
            expires_on=expiry,
            vials_total=1000,
        ),
        now=now,
        actor=ACTOR,
    )
    paid = stock.register_lot(
        session,
        LotCreate(
            vaccine_code="CoV Novavax",
            lot_number="DEMO-NVX-001",
            lot_type=LotType.SELF_PAID,
            expires_on=expiry,
            vials_total=100,
        ),
        now=now,
        actor=ACTOR,
    )
    for county in {site.county_code for site in made}:
        stock.allocate_to_county(session, central, county, 200, now=now, actor=ACTOR)
    stock.allocate_to_county(session, paid, "63000", 20, now=now, actor=ACTOR)
    for site in made:
        stock.deliver_to_site(session, central, site, 40, now=now, actor=ACTOR)
    stock.deliver_to_site(session, paid, made[1], 20, now=now, actor=ACTOR)


def _slots(session: Session, made: list[Site], now: datetime) -> list[int]:
    opened = []
    today = taipei_date(now)
    for site in made:
        for offset in range(7):
            for session_of_day in (DaySession.MORNING, DaySession.AFTERNOON):
                data = SlotCreate(
                    day=today + timedelta(days=offset),
                    session=session_of_day,
                    vaccine_code="CoV Moderna",
                    capacity=20,
                )
                opened.append(slots.open_slot(session, site, data, now=now, actor=ACTOR))
    paid = SlotCreate(
        day=today + timedelta(days=1),
        session=DaySession.MORNING,
        vaccine_code="CoV Novavax",
        funding=Funding.SELF_PAID,
        capacity=30,
    )
    opened.append(slots.open_slot(session, made[1], paid, now=now, actor=ACTOR))
    session.flush()
    return [slot.id for slot in opened]


def _eligibility(session: Session, now: datetime, people: list[str]) -> None:
    category = CategoryCreate(
        code="10",
        name_zh="第十類：65歲以上長者",
        name_en="Category 10: aged 65 and over",
        vaccine_codes=["CoV Moderna"],
        active_from=taipei_date(now) - timedelta(days=7),
    )
    eligibility.upsert_category(session, category, now=now, actor=ACTOR)
    session.flush()
    listing = "national_id\n" + "\n".join(people)
    for week in range(2):
        start = rules.week_start(taipei_date(now)) + timedelta(weeks=week)
        eligibility.import_list(session, "10", start, listing, now=now, actor=ACTOR)


def load(session: Session, now: datetime) -> Summary:
    """Load the demo set; :class:`AlreadyExists` when it is already there."""
    first = _site_rows()[0]["code"]
    if session.scalars(select(Site).where(Site.code == first)).first() is not None:
        raise AlreadyExists("the demo data set is already loaded")
    people = [_national_id(serial) for serial in range(1, 61)]
    made = _sites(session, now)
    _stock(session, made, now)
    opened = _slots(session, made, now)
    _eligibility(session, now, people)
    booked = _appointments(session, opened, people[:30], now)
    doses = _doses(session, made[0], people[30:36], now)
    return Summary(sites=len(made), slots=len(opened), appointments=booked, doses=doses)


def _appointments(session: Session, opened: list[int], people: list[str], now: datetime) -> int:
    for index, person in enumerate(people):
        slot = slots.get(session, opened[(index * 5) % (len(opened) - 1)])
        if slot.day == taipei_date(now):
            slot = slots.get(session, slot.id + 2)
        body = BookingCreate(
            slot_id=slot.id,
            id_type=IdType.NATIONAL_ID,
            id_value=person,
            birth_date=date(1950, 1, 1 + index % 28),
            channel=Channel.WEB,
        )
        appointments.book(session, slot, body, now=now)
    return len(people)


def _doses(session: Session, site: Site, people: list[str], now: datetime) -> int:
    for index, person in enumerate(people):
        data = AdministrationCreate(
            vaccine_code="CoV Moderna",
            lot_number="DEMO-MOD-001",
            patient=PatientName(
                family_en="Lin",
                given_en=("Mei", "Hui", "Ling", "Chen", "Yu", "Ting")[index % 6],
                gender="female",
            ),
            performer=Performer(name="示範護理師"),
            person=PersonIn(
                id_type=IdType.NATIONAL_ID, id_value=person, birth_date=date(1952, 5, 1 + index)
            ),
        )
        administration.administer(session, site, data, now=now, actor=ACTOR)
    return len(people)
