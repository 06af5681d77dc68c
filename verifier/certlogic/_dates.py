"""CertLogic date-times: parsing the allowed formats and ``plusTime`` arithmetic.

CertLogic 1.3.2 fixes both: partial dates take the *last* day consistent with them
(``dccDateOfBirth``), missing offsets mean UTC, sub-second digits are truncated to
milliseconds, and offsetting follows JavaScript's ``Date.setUTC*`` methods, so month
and year arithmetic overflow into the next month (2020-02-29 + 1 year = 2021-03-01)
instead of clamping.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from verifier.errors import CertLogicError

_DATE_TIME = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(Z|[+-]\d{1,2}(?::?\d{2})?)?)?)?)?"
)
_UNITS = ("year", "month", "day", "hour")


@dataclass(frozen=True, order=True, slots=True)
class DateTime:
    """A CertLogic date-time: an instant with millisecond precision, always UTC."""

    moment: datetime

    def isoformat(self) -> str:
        return self.moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@lru_cache(maxsize=512)
def parse(text: str) -> DateTime:
    """Parse one of the date(-time) formats the spec allows; anything else is an error.

    Cached: a rule set parses the same validation clock and payload dates many times."""
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise CertLogicError(f"not a CertLogic date(-time): {text[:40]!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        if month is None:
            return DateTime(datetime(int(year), 12, 31, tzinfo=UTC))
        if day is None:
            last = calendar.monthrange(int(year), int(month))[1]
            return DateTime(datetime(int(year), int(month), last, tzinfo=UTC))
        micro = int((fraction or "0")[:3].ljust(3, "0")) * 1000
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            micro,
            tzinfo=_offset(offset),
        )
    except ValueError as exc:
        raise CertLogicError(f"not a valid date(-time): {text[:40]!r}") from exc
    return DateTime(moment.astimezone(UTC))


def _offset(text: str | None) -> timezone:
    if text is None or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
    if int(hours) > 23 or int(minutes) > 59:
        raise ValueError("offset out of range")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def plus(value: DateTime, amount: int, unit: str) -> DateTime:
    """Offset like JavaScript's ``setUTC<unit>(getUTC<unit>() + amount)``."""
    moment = value.moment
    try:
        if unit == "hour":
            return DateTime(moment + timedelta(hours=amount))
        if unit == "day":
            return DateTime(moment + timedelta(days=amount))
        months = amount * 12 if unit == "year" else amount
        year, month0 = divmod(moment.month - 1 + months, 12)
        first = moment.replace(year=moment.year + year, month=month0 + 1, day=1)
        return DateTime(first + timedelta(days=moment.day - 1))
    except (ValueError, OverflowError) as exc:
        raise CertLogicError("date-time out of range after plusTime") from exc


def is_unit(unit: object) -> bool:
    return isinstance(unit, str) and unit in _UNITS
