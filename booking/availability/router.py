"""Open data (no token; ETag, Cache-Control, JSON or CSV) and partner ingestion."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel

from booking import leftovers, taiwan
from booking.availability import aggregates, external, formats, http_cache, open_data, partners
from booking.availability.errors import AvailabilityInputError
from booking.availability.schemas import (
    AvailabilityRow,
    DosesRow,
    LeftoverRow,
    PartnerPush,
    PushReceipt,
)
from booking.enums import Funding, Session
from booking.smart_links.publish import Links
from vaxx.auth.models import ApiClient
from vaxx.auth.scopes import Scope
from vaxx.deps import NowDep, SessionDep, SettingsDep, require_scope

router = APIRouter(tags=["open data"])
FormatQuery = Annotated[
    str | None, Query(alias="format", description="csv or json (default: by Accept, else json)")
]
AcceptHeader = Annotated[str | None, Header(alias="accept", include_in_schema=False)]
_CSV_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "JSON list, or CSV with a header"}
}


def _county(key: str | None) -> str | None:
    if key is None:
        return None
    try:
        return taiwan.county(key).code
    except KeyError:
        raise AvailabilityInputError(
            f"{key!r} is not a Taiwan county or city", field="county"
        ) from None


def _render(
    model: type[BaseModel], rows: Sequence[BaseModel], fmt: str | None, accept: str | None
) -> tuple[bytes, str]:
    if formats.wants_csv(fmt, accept):
        return formats.to_csv(model, rows), "text/csv; charset=utf-8"
    return formats.to_json(rows), "application/json"


@router.get(
    "/open-data/availability",
    summary="Sessions with their places, at vaxx sites and at partner sites",
    response_model=list[AvailabilityRow],
    responses=_CSV_DOC,
)
def availability(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    fmt: FormatQuery = None,
    accept: AcceptHeader = None,
    county: Annotated[
        str | None, Query(description="County/city: MOI code, Chinese or English name")
    ] = None,
    district: Annotated[str | None, Query(description="Township/district, e.g. 大安區")] = None,
    site: Annotated[str | None, Query(description="Site id (MOHW code for vaxx sites)")] = None,
    day: Annotated[date | None, Query(alias="date", description="One day (Asia/Taipei)")] = None,
    date_from: Annotated[date | None, Query(description="First day (default today)")] = None,
    date_to: Annotated[date | None, Query(description="Last day")] = None,
    session_of_day: Annotated[
        Session | None, Query(alias="session", description="morning, afternoon or evening")
    ] = None,
    vaccine: Annotated[str | None, Query(description="Taiwan CDC code, e.g. CoV Moderna")] = None,
    funding: Annotated[Funding | None, Query(description="public or self-paid")] = None,
    available_only: Annotated[bool, Query(description="Only sessions with free places")] = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> Response:
    filters = open_data.Filters(
        county=_county(county),
        district=district,
        site=site,
        day_from=day or date_from,
        day_to=day or date_to,
        session=session_of_day,
        vaccine=vaccine,
        funding=funding,
        available_only=available_only,
        limit=limit,
    )

    def render() -> tuple[bytes, str]:
        booking_url = Links(http_cache.base_url(request, settings)).booking
        rows = open_data.own(session, filters, booking_url=booking_url, now=now)
        stale_after = timedelta(minutes=settings.availability_stale_minutes)
        rows += external.rows(session, filters, now=now, stale_after=stale_after)
        rows.sort(key=lambda row: (row.start, row.source, row.site_id))
        return _render(AvailabilityRow, rows[:limit], fmt, accept)

    return http_cache.respond_cached(request, settings, now, render)


@router.get(
    "/open-data/doses",
    summary="Doses allocated, booked and given per county per day",
    response_model=list[DosesRow],
    responses=_CSV_DOC,
)
def doses(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    fmt: FormatQuery = None,
    accept: AcceptHeader = None,
    county: Annotated[str | None, Query(description="County/city: MOI code or name")] = None,
    date_from: Annotated[date | None, Query(description="First day (default: 6 days ago)")] = None,
    date_to: Annotated[date | None, Query(description="Last day (default: today)")] = None,
) -> Response:
    last = date_to or taiwan.taipei_date(now)
    first = date_from or last - timedelta(days=6)
    if first > last or (last - first).days >= aggregates.MAX_DAYS:
        raise AvailabilityInputError(
            f"date_from must not be after date_to, and the range at most {aggregates.MAX_DAYS} days"
        )
    county_code = _county(county)

    def render() -> tuple[bytes, str]:
        rows = aggregates.per_county_day(session, first, last, county=county_code)
        return _render(DosesRow, rows, fmt, accept)

    return http_cache.respond_cached(request, settings, now, render)


@router.get(
    "/open-data/leftovers",
    summary="Walk-in doses left in opened vials now",
    response_model=list[LeftoverRow],
    responses=_CSV_DOC,
)
def leftover_doses(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    fmt: FormatQuery = None,
    accept: AcceptHeader = None,
    county: Annotated[str | None, Query(description="County/city: MOI code or name")] = None,
) -> Response:
    county_code = _county(county)

    def render() -> tuple[bytes, str]:
        found = leftovers.today(session, taiwan.taipei_date(now), county=county_code)
        rows = [
            LeftoverRow(
                site_id=item.site.code,
                site_name=item.site.name_zh,
                site_name_en=item.site.name_en,
                county_code=item.site.county_code,
                district=item.site.district,
                address=item.site.address,
                phone=item.site.phone,
                vaccine=item.vaccine_code,
                funding=Funding(item.funding),
                doses=item.doses,
            )
            for item in found
        ]
        return _render(LeftoverRow, rows, fmt, accept)

    return http_cache.respond_cached(request, settings, now, render)


PartnerClient = Annotated[ApiClient, Depends(require_scope(Scope.AVAILABILITY_SOURCE))]


@router.put(
    "/availability/partner",
    summary="Push your site's whole availability (replaces your previous push)",
    tags=["partner ingestion"],
)
def partner_push(
    body: PartnerPush,
    client: PartnerClient,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> PushReceipt:
    kept = partners.push(session, client, body, now=now)
    session.commit()
    stale = now - body.as_of > timedelta(minutes=settings.availability_stale_minutes)
    return PushReceipt(
        source=client.name, locations=len(body.locations), slots=kept, as_of=body.as_of, stale=stale
    )
