"""The nightly report: per site, day, vaccine and lot, the doses given and wasted, vials
consumed and balance, in the column order of the clinic upload to the national
immunisation system (date, vaccine code, lot, lot type, stock, consumption, balance).

The day is a local (Asia/Taipei) day. The balance is the one at the end of that day:
today's balance plus what was given or wasted after the day ended.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.models import Administration, Lot, Site, SiteStock, Wastage
from booking.schemas import ReportRow
from booking.taiwan import TAIPEI

COLUMNS = list(ReportRow.model_fields)
Key = tuple[int, int]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), TAIPEI)
    return start, start + timedelta(days=1)


def _given(session: Session, since: datetime, until: datetime | None) -> dict[Key, int]:
    """Doses given per (site, lot) in ``[since, until)``."""
    at = Administration.administered_at
    query = select(Administration.site_id, Administration.lot_id, func.count()).where(at >= since)
    if until is not None:
        query = query.where(at < until)
    query = query.group_by(Administration.site_id, Administration.lot_id)
    return {(site, lot): int(n) for site, lot, n in session.execute(query)}


def _wasted(session: Session, since: datetime, until: datetime | None) -> dict[Key, int]:
    """Doses wasted per (site, lot) in ``[since, until)``."""
    at = Wastage.recorded_at
    query = select(Wastage.site_id, Wastage.lot_id, func.sum(Wastage.doses)).where(at >= since)
    if until is not None:
        query = query.where(at < until)
    query = query.group_by(Wastage.site_id, Wastage.lot_id)
    return {(site, lot): int(n or 0) for site, lot, n in session.execute(query)}


def daily(session: Session, day: date, *, site_code: str | None = None) -> list[ReportRow]:
    """One row per lot held by a site (every site, or ``site_code``) for ``day``."""
    start, end = _day_bounds(day)
    given, given_after = _given(session, start, end), _given(session, end, None)
    wasted, wasted_after = _wasted(session, start, end), _wasted(session, end, None)
    query = (
        select(SiteStock, Site, Lot)
        .join(Site, Site.id == SiteStock.site_id)
        .join(Lot, Lot.id == SiteStock.lot_id)
        .order_by(Site.code, Lot.vaccine_code, Lot.lot_number)
    )
    if site_code is not None:
        query = query.where(Site.code == site_code)
    rows = []
    for stock, site, lot in session.execute(query):
        key = (site.id, lot.id)
        used = given.get(key, 0) + wasted.get(key, 0)
        balance = stock.balance + given_after.get(key, 0) + wasted_after.get(key, 0)
        rows.append(
            ReportRow(
                date=day,
                site_code=site.code,
                vaccine_code=lot.vaccine_code,
                lot_number=lot.lot_number,
                lot_type=lot.lot_type,
                stock_doses=stock.doses_received,
                doses_given=given.get(key, 0),
                doses_wasted=wasted.get(key, 0),
                vials_consumed=-(-used // lot.doses_per_vial),
                balance=balance,
            )
        )
    return rows


def to_csv(rows: list[ReportRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.model_dump(mode="json"))
    return out.getvalue()
