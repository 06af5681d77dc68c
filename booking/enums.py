"""The closed vocabularies of booking (stored as strings, checked by the database)."""

from __future__ import annotations

from datetime import time
from enum import StrEnum


class SiteType(StrEnum):
    HOSPITAL = "hospital"
    CLINIC = "clinic"
    HEALTH_CENTRE = "health-centre"
    COMMUNITY = "community"
    MOBILE = "mobile"


class Session(StrEnum):
    """A half-day vaccination session; times are Asia/Taipei."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"

    @property
    def hours(self) -> tuple[time, time]:
        return _SESSION_HOURS[self]


_SESSION_HOURS = {
    Session.MORNING: (time(8, 30), time(12, 0)),
    Session.AFTERNOON: (time(13, 30), time(17, 0)),
    Session.EVENING: (time(18, 0), time(21, 0)),
}


class Channel(StrEnum):
    WEB = "web"
    PARTNER = "partner"
    KIOSK = "kiosk"
    STAFF = "staff"


class LotType(StrEnum):
    CENTRAL = "central"
    LOCAL_PURCHASE = "local-purchase"
    SELF_PAID = "self-paid"

    @property
    def funding(self) -> Funding:
        return Funding.SELF_PAID if self is LotType.SELF_PAID else Funding.PUBLIC


class Funding(StrEnum):
    PUBLIC = "public"
    SELF_PAID = "self-paid"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked-in"
    ADMINISTERED = "administered"
    NO_SHOW = "no-show"


ACTIVE_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.ADMINISTERED,
)
"""Statuses that hold the person's place for a dose (a second booking for it is refused)."""


def in_check(column: str, enum: type[StrEnum]) -> str:
    """A CHECK constraint body allowing only ``enum``'s values in ``column``."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} IN ({values})"
