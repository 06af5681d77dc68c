"""Dates as Taiwan clinics write them and as FHIR and the DCC need them.

- ROC (Minguo) calendar: year 1 = 1912, so ``110/05/27`` is 2021-05-27.
- FHIR partial dates (``YYYY``, ``YYYY-MM``) are kept as written; comparisons use the
  earliest day they can mean.
- The DCC's ``dt``/``fr`` are dates at the place of the event: a Taiwan clinic's dateTime is
  turned into a Taipei *local* date, never a UTC one (23:30 UTC is the next day in Taipei).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from vaxx.errors import InputError

#: Taiwan has kept UTC+8 without daylight saving since 1979, so a fixed offset is exact for
#: every vaccination date and needs no tz database at run time.
TAIPEI = timezone(timedelta(hours=8), "Asia/Taipei")
ROC_EPOCH_OFFSET = 1911

_ROC = re.compile(
    r"(?P<y>[0-9]{2,3})(?P<sep>[/.-])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    r"|(?P<cy>[0-9]{2,3})(?P<cm>[0-9]{2})(?P<cd>[0-9]{2})"
)
_PARTIAL = re.compile(r"(?P<y>[0-9]{4})(-(?P<m>[0-9]{2})(-(?P<d>[0-9]{2}))?)?")


class DateInvalid(InputError):
    code = "date_invalid"
    title = "Invalid date"


def parse_roc_date(text: str) -> date:
    """``"110/05/27"`` -> ``date(2021, 5, 27)``; also ``110-05-27``, ``110.05.27`` and the
    compact ``1100527`` that clinic and registry exports print. Anything else raises
    ``DateInvalid``."""
    match = _ROC.fullmatch(text.strip())
    if match is None:
        raise DateInvalid(f"{text!r} is not a ROC date of the form YYY/MM/DD (e.g. 110/05/27)")
    year, month, day = (
        (match["y"], match["m"], match["d"])
        if match["y"]
        else (match["cy"], match["cm"], match["cd"])
    )
    if int(year) < 1:
        raise DateInvalid(f"{text!r}: ROC years start at 1 (1912)")
    try:
        return date(int(year) + ROC_EPOCH_OFFSET, int(month), int(day))
    except ValueError as exc:
        raise DateInvalid(f"{text!r} is not a calendar date: {exc}") from exc


def earliest_day(partial: str) -> date:
    """The first day a FHIR date (``1985``, ``1985-03``, ``1985-03-14``) can mean."""
    match = _PARTIAL.fullmatch(partial)
    if match is None:
        raise ValueError(f"not a FHIR date: {partial!r}")
    return date(int(match["y"]), int(match["m"] or 1), int(match["d"] or 1))


def parse_fhir_datetime(text: str) -> datetime | date:
    """A FHIR dateTime with a time (must carry an offset) or a full date."""
    if "T" not in text:
        if len(text) != 10:
            raise ValueError(f"{text!r}: a date must give year, month and day")
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r}: a dateTime with a time must carry a time zone offset")
    return moment


def local_date(value: datetime | date) -> date:
    """The Taipei calendar date of an instant (a plain date stays as written)."""
    if isinstance(value, datetime):
        return value.astimezone(TAIPEI).date()
    return value


def dcc_datetime(moment: datetime) -> str:
    """ISO 8601 with offset as the DCC ``sc`` wants it (``2021-09-13T09:10:00+08:00``);
    UTC is written ``Z``."""
    if moment.utcoffset() == timedelta(0):
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return moment.isoformat()
