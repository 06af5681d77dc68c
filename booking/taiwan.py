"""Taiwan reference data: the 22 counties and cities, person identifiers, local dates.

County codes are the Ministry of the Interior's administrative division codes
(https://www.ris.gov.tw, 行政區域代碼), so they match what health bureaus use in
their own systems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from profiles import identifiers

TAIPEI = ZoneInfo("Asia/Taipei")


@dataclass(frozen=True)
class County:
    code: str
    name_zh: str
    name_en: str


COUNTIES: tuple[County, ...] = (
    County("63000", "臺北市", "Taipei City"),
    County("65000", "新北市", "New Taipei City"),
    County("68000", "桃園市", "Taoyuan City"),
    County("66000", "臺中市", "Taichung City"),
    County("67000", "臺南市", "Tainan City"),
    County("64000", "高雄市", "Kaohsiung City"),
    County("10017", "基隆市", "Keelung City"),
    County("10018", "新竹市", "Hsinchu City"),
    County("10020", "嘉義市", "Chiayi City"),
    County("10004", "新竹縣", "Hsinchu County"),
    County("10005", "苗栗縣", "Miaoli County"),
    County("10007", "彰化縣", "Changhua County"),
    County("10008", "南投縣", "Nantou County"),
    County("10009", "雲林縣", "Yunlin County"),
    County("10010", "嘉義縣", "Chiayi County"),
    County("10013", "屏東縣", "Pingtung County"),
    County("10002", "宜蘭縣", "Yilan County"),
    County("10015", "花蓮縣", "Hualien County"),
    County("10014", "臺東縣", "Taitung County"),
    County("10016", "澎湖縣", "Penghu County"),
    County("09020", "金門縣", "Kinmen County"),
    County("09007", "連江縣", "Lienchiang County"),
)
_BY_KEY = {
    key.casefold(): county
    for county in COUNTIES
    for key in (county.code, county.name_zh, county.name_zh.replace("臺", "台"), county.name_en)
}


def county(key: str) -> County:
    """The county for a code, Chinese name (臺 or 台) or English name; ``KeyError`` if none."""
    return _BY_KEY[key.strip().casefold()]


class IdType(StrEnum):
    NATIONAL_ID = "national-id"
    RESIDENT_PERMIT = "resident-permit"
    PASSPORT = "passport"


_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")


def normalise_person_id(id_type: IdType, value: str) -> str:
    """The identifier upper-cased and checked (checksum for Taiwan IDs); ``ValueError`` if bad."""
    value = value.strip().upper()
    if id_type is IdType.PASSPORT:
        if not _PASSPORT.fullmatch(value):
            raise ValueError("a passport number is 5 to 20 letters or digits")
        return value
    if id_type is IdType.NATIONAL_ID:
        if not identifiers.NATIONAL_ID_SHAPE.fullmatch(value):
            raise ValueError("a national ID is a letter, 1 or 2, then 8 digits")
        valid = identifiers.national_id_ok(value)
    else:
        if not identifiers.RESIDENT_PERMIT_SHAPE.fullmatch(value):
            raise ValueError("a resident permit number is a letter, 8/9 (or A-D), then 8 digits")
        valid = identifiers.resident_permit_ok(value)
    if not valid:
        raise ValueError(f"{value} fails the check digit")
    return value


def taipei_date(at: datetime) -> date:
    """The calendar date in Taiwan at instant ``at`` (session days are local days)."""
    return at.astimezone(TAIPEI).date()
