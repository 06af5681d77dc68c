"""Open-data and ingestion models; every field is described, because the OpenAPI document
(and the CSV header, which uses the same names) is the open data's documentation."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from booking.enums import Funding, Session


class AvailabilityRow(BaseModel):
    """One session of one vaccine at one place, as vaxx knows it now."""

    source: str = Field(
        description='"vaxx" for sites that book through vaxx; otherwise the name of the '
        "partner system or SMART Scheduling Links feed the figures come from"
    )
    site_id: str = Field(
        description="MOHW 10-digit institution code for vaxx sites; the source's own "
        "location id otherwise"
    )
    site_name: str = Field(description="Site name (Traditional Chinese for vaxx sites)")
    site_name_en: str | None = Field(description="Site name in English, when known")
    county_code: str | None = Field(
        description="MOI administrative code of the county/city (e.g. 63000 = Taipei City)"
    )
    county_name: str | None = Field(description="County/city name in Traditional Chinese")
    county_name_en: str | None = Field(description="County/city name in English")
    district: str | None = Field(description="Township/district (鄉鎮市區)")
    address: str | None = Field(description="Street address")
    latitude: float | None = Field(description="WGS84 latitude")
    longitude: float | None = Field(description="WGS84 longitude")
    date: dt.date = Field(description="Day of the session, Asia/Taipei")
    session: Session | None = Field(
        description="morning 08:30-12:00, afternoon 13:30-17:00, evening 18:00-21:00 "
        "(Asia/Taipei); for other sources, derived from the start time"
    )
    start: dt.datetime = Field(description="Start of the session (ISO 8601 with offset)")
    end: dt.datetime = Field(description="End of the session (ISO 8601 with offset)")
    vaccine: str = Field(
        description="Taiwan CDC vaccine code (e.g. 'CoV Moderna') for vaxx sites; the "
        "source's product name otherwise"
    )
    funding: Funding | None = Field(
        description="public (government-funded) or self-paid; null when the source does not say"
    )
    capacity: int = Field(description="Places in the session (doses set aside for it)")
    booked: int | None = Field(description="Places already booked; null when unknown")
    available: int = Field(description="Places still free to book now")
    status: Literal["open", "full", "closed"] = Field(
        description="open: places free; full: none left; closed: the session has ended"
    )
    booking_url: str | None = Field(description="Where to book this session")
    as_of: dt.datetime = Field(description="When these figures were true (the source's own time)")
    stale: bool = Field(
        description="true when as_of is older than the configured freshness window "
        "(VAXX_AVAILABILITY_STALE_MINUTES): treat the figures with care"
    )


class DosesRow(BaseModel):
    """The numbers the public asked to see: per county and day."""

    date: dt.date = Field(description="Day, Asia/Taipei")
    county_code: str = Field(description="MOI administrative code of the county/city")
    county_name: str = Field(description="County/city name in Traditional Chinese")
    county_name_en: str = Field(description="County/city name in English")
    allocated: int = Field(description="Doses allocated to that day's sessions (slot capacity)")
    booked: int = Field(description="Doses booked in that day's sessions")
    given: int = Field(description="Doses administered that day (recorded administrations)")


class LeftoverRow(BaseModel):
    """Walk-in doses left in opened vials once a site's sessions of today are over."""

    site_id: str = Field(description="MOHW 10-digit institution code")
    site_name: str = Field(description="Site name in Traditional Chinese")
    site_name_en: str = Field(description="Site name in English")
    county_code: str = Field(description="MOI administrative code of the county/city")
    district: str = Field(description="Township/district")
    address: str = Field(description="Street address")
    phone: str | None = Field(description="Phone number to call before walking in")
    vaccine: str = Field(description="Taiwan CDC vaccine code")
    funding: Funding = Field(description="public or self-paid")
    doses: int = Field(description="Doses left in opened vials (they expire within hours)")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartnerLocation(_Strict):
    id: str = Field(min_length=1, max_length=64, description="Your id for the location")
    name: str = Field(min_length=1, max_length=300)
    county: str | None = Field(
        default=None, max_length=50, description="County/city: MOI code, Chinese or English name"
    )
    district: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=500)
    phone: str | None = Field(default=None, max_length=50)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class PartnerSlot(_Strict):
    id: str = Field(min_length=1, max_length=59, description="Your id for the session")
    location_id: str = Field(min_length=1, max_length=64)
    vaccine: str = Field(min_length=1, max_length=200, description="Taiwan CDC code or name")
    funding: Funding | None = None
    start: AwareDatetime
    end: AwareDatetime
    capacity: int = Field(ge=1, le=100_000, description="Places in the session")
    available: int = Field(ge=0, le=100_000, description="Places still free")
    booking_url: str | None = Field(default=None, max_length=1000, pattern=r"^https?://")


class PartnerPush(_Strict):
    """A partner's full availability: replaces what it pushed before."""

    as_of: AwareDatetime = Field(description="When these figures were true in your system")
    locations: list[PartnerLocation] = Field(max_length=5_000)
    slots: list[PartnerSlot] = Field(max_length=50_000)


class PushReceipt(BaseModel):
    source: str = Field(description="The source name your data is published under")
    locations: int
    slots: int
    as_of: dt.datetime
    stale: bool = Field(description="true when as_of is already outside the freshness window")
