"""Leftover doses: what remains in opened vials once a site's sessions of the day are
closed. An opened vial expires within hours, so these go on the public feed for walk-ins
instead of being wasted. What a site announces itself (clinic quick-update page,
:mod:`booking.clinic`) replaces the computed figure for that vaccine and funding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking import clinic
from booking.enums import LotType
from booking.models import Lot, Site, SiteStock, Slot


@dataclass(frozen=True)
class Leftover:
    site: Site
    vaccine_code: str
    funding: str
    doses: int


def in_opened_vials(stock: SiteStock, lot: Lot) -> int:
    """Doses left in the last opened vial: zero when every opened vial is used up."""
    used = stock.doses_given + stock.doses_wasted
    return min((-used) % lot.doses_per_vial, stock.balance)


def today(session: Session, day: date, *, county: str | None = None) -> list[Leftover]:
    """Leftovers at sites whose sessions of ``day`` for that vaccine are all closed."""
    still_open = {
        (site_id, vaccine)
        for site_id, vaccine in session.execute(
            select(Slot.site_id, Slot.vaccine_code).where(Slot.day == day, Slot.closed_at.is_(None))
        )
    }
    query = (
        select(SiteStock, Lot, Site)
        .join(Lot, Lot.id == SiteStock.lot_id)
        .join(Site, Site.id == SiteStock.site_id)
        .where(Lot.expires_on >= day)
        .order_by(Site.code, Lot.vaccine_code)
    )
    if county is not None:
        query = query.where(Site.county_code == county)
    found = []
    for stock, lot, site in session.execute(query):
        doses = in_opened_vials(stock, lot)
        if doses > 0 and (site.id, lot.vaccine_code) not in still_open:
            funding = LotType(lot.lot_type).funding.value
            found.append(Leftover(site, lot.vaccine_code, funding, doses))
    announced = {
        (row.site_id, row.vaccine_code, row.funding): Leftover(
            site, row.vaccine_code, row.funding, row.doses
        )
        for row, site in clinic.announcements(session, day, county=county)
    }
    merged = [i for i in found if (i.site.id, i.vaccine_code, i.funding) not in announced]
    merged += [item for item in announced.values() if item.doses > 0]
    return sorted(merged, key=lambda item: (item.site.code, item.vaccine_code, item.funding))
