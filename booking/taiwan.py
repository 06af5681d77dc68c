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


# Letter values of the ID checksum (內政部 國民身分證統一編號 編碼原則).
_LETTER_VALUES = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))
_NATIONAL_ID = re.compile(r"[A-Z][12][0-9]{8}")
_NEW_PERMIT = re.compile(r"[A-Z][89][0-9]{8}")
_OLD_PERMIT = re.compile(r"[A-Z][A-D][0-9]{8}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")


def _checksum_ok(first: int, second_digit: int, digits: str) -> bool:
    total = first // 10 + (first % 10) * 9 + second_digit * 8
    total += sum(int(d) * w for d, w in zip(digits[:7], range(7, 0, -1), strict=True))
    return (total + int(digits[7])) % 10 == 0


def normalise_person_id(id_type: IdType, value: str) -> str:
    """The identifier upper-cased and checked (checksum for Taiwan IDs); ``ValueError`` if bad."""
    value = value.strip().upper()
    if id_type is IdType.PASSPORT:
        if not _PASSPORT.fullmatch(value):
            raise ValueError("a passport number is 5 to 20 letters or digits")
        return value
    if id_type is IdType.NATIONAL_ID:
        if not _NATIONAL_ID.fullmatch(value):
            raise ValueError("a national ID is a letter, 1 or 2, then 8 digits")
        second = int(value[1])
    elif _NEW_PERMIT.fullmatch(value):
        second = int(value[1])
    elif _OLD_PERMIT.fullmatch(value):
        second = _LETTER_VALUES[value[1]] % 10
    else:
        raise ValueError("a resident permit number is a letter, 8/9 (or A-D), then 8 digits")
    if not _checksum_ok(_LETTER_VALUES[value[0]], second, value[2:]):
        raise ValueError(f"{value} fails the check digit")
    return value


def taipei_date(at: datetime) -> date:
    """The calendar date in Taiwan at instant ``at`` (session days are local days)."""
    return at.astimezone(TAIPEI).date()


_ROC_DATE = re.compile(r"(\d{2,3})[/.-]?(\d{2})[/.-]?(\d{2})")


def parse_roc_date(text: str) -> date:
    """A Minguo (ROC) date as clinic systems write it (``1100802``, ``110/08/02``)."""
    match = _ROC_DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not an ROC date such as 110/08/02")
    year, month, day = (int(part) for part in match.groups())
    return date(year + 1911, month, day)
