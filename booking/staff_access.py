"""Who among the staff may act on which site.

``booking-staff`` is the national (CDC) role: every site, plus the national work (lots,
county allocations, priority categories and lists, staff bindings, registry). A
``site-staff`` client acts only on the sites it is bound to; a ``health-bureau`` client
on every site of the counties it is bound to, and delivers its county's stock to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import Site, StaffBinding
from vaxx import audit
from vaxx.auth import service as auth_service
from vaxx.auth.models import ApiClient
from vaxx.auth.scopes import Scope
from vaxx.deps import NowDep, SessionDep
from vaxx.errors import AuthError, Forbidden, NotFound

_bearer = HTTPBearer(auto_error=False, description="API client token (`vx_...`)")
STAFF_SCOPES = (Scope.BOOKING_STAFF, Scope.SITE_STAFF, Scope.HEALTH_BUREAU)


@dataclass(frozen=True)
class StaffAccess:
    client: ApiClient
    national: bool
    site_ids: frozenset[int]
    counties: frozenset[str]

    @property
    def id(self) -> str:
        return self.client.id

    def require_site(self, site: Site) -> None:
        if self.national or site.id in self.site_ids or site.county_code in self.counties:
            return
        raise Forbidden(f"this client may not act on site {site.code}")

    def require_county(self, county_code: str) -> None:
        if self.national or county_code in self.counties:
            return
        raise Forbidden(f"this client may not act for county {county_code}")

    def require_national(self) -> None:
        if not self.national:
            raise Forbidden("this needs the national booking-staff scope")


def access_of(session: Session, client: ApiClient) -> StaffAccess:
    """The client's reach, from its scopes and bindings; 403 without a staff scope."""
    if Scope.BOOKING_STAFF.value in client.scopes:
        return StaffAccess(client, True, frozenset(), frozenset())
    if not any(scope.value in client.scopes for scope in STAFF_SCOPES):
        raise Forbidden("this client lacks a booking staff scope")
    bindings = list(
        session.scalars(select(StaffBinding).where(StaffBinding.client_id == client.id))
    )
    sites = (
        frozenset(b.site_id for b in bindings if b.site_id is not None)
        if Scope.SITE_STAFF.value in client.scopes
        else frozenset()
    )
    counties = (
        frozenset(b.county_code for b in bindings if b.county_code is not None)
        if Scope.HEALTH_BUREAU.value in client.scopes
        else frozenset()
    )
    return StaffAccess(client, False, sites, counties)


def staff_access(
    session: SessionDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StaffAccess:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthError("send an API client token as 'Authorization: Bearer <token>'")
    client = auth_service.authenticate(session, credentials.credentials, now=now)
    return access_of(session, client)


# The scopes this guard admits, read by the authorisation matrix test (bindings narrow them).
staff_access.admitted_scopes = frozenset(STAFF_SCOPES)  # type: ignore[attr-defined]
StaffDep = Annotated[StaffAccess, Depends(staff_access)]


def bind(
    session: Session,
    client_id: str,
    site: Site | None,
    county: str | None,
    *,
    now: datetime,
    actor: str,
) -> None:
    """Add a binding (idempotent); the client must exist."""
    if session.get(ApiClient, client_id) is None:
        raise NotFound(f"no API client has id {client_id}")
    site_id = site.id if site is not None else None
    exists = session.scalars(
        select(StaffBinding.id).where(
            StaffBinding.client_id == client_id,
            StaffBinding.site_id.is_(None) if site_id is None else StaffBinding.site_id == site_id,
            StaffBinding.county_code.is_(None)
            if county is None
            else StaffBinding.county_code == county,
        )
    ).first()
    if exists is None:
        session.add(StaffBinding(client_id=client_id, site_id=site_id, county_code=county))
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.staff.bind",
        target=client_id,
        details={"site": site.code if site else None, "county": county},
    )
