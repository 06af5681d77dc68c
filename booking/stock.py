"""Vaccine lots and stock: CDC -> county -> site, doses wasted, balances.

Each movement is an atomic conditional UPDATE (see ``_internal.atomic``) guarded by a
CHECK constraint as well, so stock can never go negative, even with two servers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from booking._internal.atomic import apply, get_or_create, unique_insert
from booking.enums import Funding, LotType
from booking.errors import AlreadyExists, InsufficientStock, LotNotFound, LotUnusable
from booking.models import CountyStock, DosePool, Lot, Site, SiteStock, Wastage
from booking.schemas import LotCreate, StockPublic
from booking.vaccines import vaccine
from vaxx import audit
from vaxx.db import get_by_id


def register_lot(session: Session, data: LotCreate, *, now: datetime, actor: str) -> Lot:
    """Record a lot the CDC (or a county, or a self-paying site) received."""
    product = vaccine(data.vaccine_code)
    lot = Lot(
        vaccine_code=data.vaccine_code,
        lot_number=data.lot_number.upper(),
        lot_type=data.lot_type.value,
        manufacturer=data.manufacturer or product.manufacturer_name,
        expires_on=data.expires_on,
        doses_per_vial=data.doses_per_vial or product.doses_per_vial,
        vials_total=data.vials_total,
        vials_allocated=0,
        created_at=now,
    )
    session.add(lot)
    unique_insert(session, AlreadyExists(f"lot {lot.lot_number} of {lot.vaccine_code} exists"))
    details = {"vaccine": lot.vaccine_code, "vials": lot.vials_total, "type": lot.lot_type}
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.lot.register",
        target=lot.lot_number,
        details=details,
    )
    return lot


def get_lot(session: Session, lot_id: int) -> Lot:
    lot = get_by_id(session, Lot, lot_id)
    if lot is None:
        raise LotNotFound(f"no lot has id {lot_id}")
    return lot


def find_lot(session: Session, vaccine_code: str, lot_number: str) -> Lot | None:
    query = select(Lot).where(
        Lot.vaccine_code == vaccine_code, Lot.lot_number == lot_number.strip().upper()
    )
    return session.scalars(query).one_or_none()


def allocate_to_county(
    session: Session, lot: Lot, county_code: str, vials: int, *, now: datetime, actor: str
) -> CountyStock:
    """Move ``vials`` of the CDC's stock of ``lot`` to a county's health bureau."""
    taken = apply(
        session,
        update(Lot)
        .where(Lot.id == lot.id, Lot.vials_allocated + vials <= Lot.vials_total)
        .values(vials_allocated=Lot.vials_allocated + vials),
    )
    if not taken:
        session.refresh(lot)
        left = lot.vials_total - lot.vials_allocated
        raise InsufficientStock(f"lot {lot.lot_number} has {left} unallocated vials, not {vials}")
    stock = get_or_create(session, CountyStock, lot_id=lot.id, county_code=county_code)
    apply(
        session,
        update(CountyStock)
        .where(CountyStock.id == stock.id)
        .values(vials_allocated=CountyStock.vials_allocated + vials),
    )
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.lot.allocate",
        target=lot.lot_number,
        details={"county": county_code, "vials": vials},
    )
    session.refresh(stock)
    return stock


def deliver_to_site(
    session: Session, lot: Lot, site: Site, vials: int, *, now: datetime, actor: str
) -> SiteStock:
    """A site receives ``vials`` of ``lot`` from its county's allocation."""
    taken = apply(
        session,
        update(CountyStock)
        .where(
            CountyStock.lot_id == lot.id,
            CountyStock.county_code == site.county_code,
            CountyStock.vials_delivered + vials <= CountyStock.vials_allocated,
        )
        .values(vials_delivered=CountyStock.vials_delivered + vials),
    )
    if not taken:
        raise InsufficientStock(
            f"county {site.county_code} has fewer than {vials} undelivered vials "
            f"of {lot.lot_number}"
        )
    doses = vials * lot.doses_per_vial
    stock = get_or_create(session, SiteStock, site_id=site.id, lot_id=lot.id)
    apply(
        session,
        update(SiteStock)
        .where(SiteStock.id == stock.id)
        .values(
            vials_received=SiteStock.vials_received + vials,
            doses_received=SiteStock.doses_received + doses,
        ),
    )
    funding = LotType(lot.lot_type).funding
    pool = pool_for(session, site.id, lot.vaccine_code, funding)
    apply(
        session,
        update(DosePool).where(DosePool.id == pool.id).values(doses_in=DosePool.doses_in + doses),
    )
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.stock.receive",
        target=site.code,
        details={"lot": lot.lot_number, "vials": vials, "doses": doses},
    )
    session.refresh(stock)
    return stock


def pool_for(session: Session, site_id: int, vaccine_code: str, funding: Funding) -> DosePool:
    return get_or_create(
        session, DosePool, site_id=site_id, vaccine_code=vaccine_code, funding=funding.value
    )


def usable_stock(
    session: Session, site: Site, lot: Lot | None, label: str, today: date
) -> SiteStock:
    """The site's stock row of ``lot`` if a dose may be taken from it today.

    Raises :class:`LotUnusable` (422) naming the reason: unknown, expired, not at this site.
    """
    if lot is None:
        raise LotUnusable(f"lot {label} is not known (the national system would reject it)")
    if lot.expires_on < today:
        raise LotUnusable(f"lot {lot.lot_number} expired on {lot.expires_on.isoformat()}")
    stock = session.scalars(
        select(SiteStock).where(SiteStock.site_id == site.id, SiteStock.lot_id == lot.id)
    ).one_or_none()
    if stock is None:
        raise LotUnusable(f"lot {lot.lot_number} was never delivered to site {site.code}")
    return stock


def take_doses(session: Session, stock: SiteStock, lot: Lot, *, given: int, wasted: int) -> None:
    """Count doses out of one lot at one site; :class:`LotUnusable` when too few remain."""
    taken = apply(
        session,
        update(SiteStock)
        .where(
            SiteStock.id == stock.id,
            SiteStock.doses_given + SiteStock.doses_wasted + given + wasted
            <= SiteStock.doses_received,
        )
        .values(
            doses_given=SiteStock.doses_given + given, doses_wasted=SiteStock.doses_wasted + wasted
        ),
    )
    if not taken:
        raise LotUnusable(f"lot {lot.lot_number} has no doses left at this site")


def take_from_pool(session: Session, pool: DosePool, doses: int, *, reserved: int) -> bool:
    """Count ``doses`` out of a pool, ``reserved`` of them from slot reservations."""
    unreserved = doses - reserved
    return apply(
        session,
        update(DosePool)
        .where(
            DosePool.id == pool.id,
            DosePool.doses_reserved >= reserved,
            DosePool.doses_out + DosePool.doses_reserved + unreserved <= DosePool.doses_in,
        )
        .values(
            doses_out=DosePool.doses_out + doses,
            doses_reserved=DosePool.doses_reserved - reserved,
        ),
    )


def record_wastage(
    session: Session,
    site: Site,
    lot: Lot | None,
    label: str,
    doses: int,
    reason: str,
    *,
    now: datetime,
    actor: str,
) -> Wastage:
    """Write off ``doses``; refused when open slots would be left without doses."""
    if lot is None:
        raise LotUnusable(f"lot {label} is not known")
    stock = session.scalars(
        select(SiteStock).where(SiteStock.site_id == site.id, SiteStock.lot_id == lot.id)
    ).one_or_none()
    if stock is None:
        raise LotUnusable(f"lot {lot.lot_number} was never delivered to site {site.code}")
    take_doses(session, stock, lot, given=0, wasted=doses)
    pool = pool_for(session, site.id, lot.vaccine_code, LotType(lot.lot_type).funding)
    if not take_from_pool(session, pool, doses, reserved=0):
        raise InsufficientStock(
            f"wasting {doses} doses would leave open slots without doses; "
            "reduce their capacity first"
        )
    row = Wastage(
        site_id=site.id,
        lot_id=lot.id,
        doses=doses,
        reason=reason,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(row)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.stock.waste",
        target=site.code,
        details={"lot": lot.lot_number, "doses": doses, "reason": reason},
    )
    return row


def site_stock(session: Session, site: Site) -> list[StockPublic]:
    rows = session.execute(
        select(SiteStock, Lot)
        .join(Lot, Lot.id == SiteStock.lot_id)
        .where(SiteStock.site_id == site.id)
        .order_by(Lot.vaccine_code, Lot.expires_on)
    )
    return [
        StockPublic(
            site_code=site.code,
            vaccine_code=lot.vaccine_code,
            lot_number=lot.lot_number,
            lot_type=lot.lot_type,
            expires_on=lot.expires_on,
            vials_received=stock.vials_received,
            doses_received=stock.doses_received,
            doses_given=stock.doses_given,
            doses_wasted=stock.doses_wasted,
            balance=stock.balance,
        )
        for stock, lot in rows
    ]
