"""Vaccination sites: create, update, find."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking import taiwan
from booking._internal.atomic import unique_insert
from booking.errors import AlreadyExists, BookingInputError, SiteNotFound
from booking.models import Site
from booking.schemas import SiteCreate, SitePublic
from vaxx import audit


def get(session: Session, code: str) -> Site:
    site = session.scalars(select(Site).where(Site.code == code)).one_or_none()
    if site is None:
        raise SiteNotFound(f"no site has institution code {code}")
    return site


def _apply(site: Site, data: SiteCreate) -> None:
    site.name_zh, site.name_en, site.type = data.name_zh, data.name_en, data.type.value
    site.county_code, site.district, site.address = data.county, data.district, data.address
    site.latitude, site.longitude, site.phone = data.latitude, data.longitude, data.phone
    site.sessions = [s.value for s in dict.fromkeys(data.sessions)]
    site.channels = [c.value for c in dict.fromkeys(data.channels)]
    site.issues_certificates = data.issues_certificates


def create(session: Session, data: SiteCreate, *, now: datetime, actor: str) -> Site:
    """Add a site; its institution code must be new."""
    site = Site(code=data.code, created_at=now)
    _apply(site, data)
    session.add(site)
    unique_insert(session, AlreadyExists(f"a site with institution code {data.code} exists"))
    audit.record(session, at=now, actor=actor, action="booking.site.create", target=data.code)
    return site


def update(session: Session, code: str, data: SiteCreate, *, now: datetime, actor: str) -> Site:
    """Replace a site's details (its institution code stays)."""
    site = get(session, code)
    if data.code != code:
        raise BookingInputError("the institution code of a site cannot change")
    _apply(site, data)
    audit.record(session, at=now, actor=actor, action="booking.site.update", target=code)
    return site


def listing(session: Session, *, county: str | None, district: str | None) -> list[Site]:
    query = select(Site).order_by(Site.county_code, Site.district, Site.code)
    if county is not None:
        query = query.where(Site.county_code == county)
    if district is not None:
        query = query.where(Site.district == district)
    return list(session.scalars(query))


def public(site: Site) -> SitePublic:
    county = taiwan.county(site.county_code)
    return SitePublic(
        code=site.code,
        name_zh=site.name_zh,
        name_en=site.name_en,
        type=site.type,
        county_code=site.county_code,
        county_zh=county.name_zh,
        county_en=county.name_en,
        district=site.district,
        address=site.address,
        latitude=site.latitude,
        longitude=site.longitude,
        phone=site.phone,
        sessions=site.sessions,
        channels=site.channels,
        issues_certificates=site.issues_certificates,
    )
