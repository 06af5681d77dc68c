"""Helpers for booking API tests: a staff token and a stocked site with an open slot."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from issuer.keys import KeyStore
from tests.conftest import auth
from vaxx.auth.scopes import Scope
from vaxx.settings import DEVELOPMENT_KEY_PASSPHRASE, Settings

SITE_CODE = "1133060019"
SLOT_DAY = date(2026, 11, 24)  # the clock fixture reads Monday 2026-11-23 17:00 in Taipei
WEEK = date(2026, 11, 23)


def national_id(serial: int, letter: str = "A", sex: str = "1") -> str:
    """A valid national ID with ``serial`` as its 7 middle digits (check digit computed)."""
    values = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))
    first = values[letter]
    body = f"{sex}{serial:07d}"
    total = first // 10 + (first % 10) * 9
    total += sum(int(d) * w for d, w in zip(body, range(8, 0, -1), strict=True))
    return f"{letter}{body}{(10 - total % 10) % 10}"


@dataclass
class Staff:
    client: TestClient
    headers: dict[str, str]

    def call(self, method: str, url: str, expect: int, **kwargs: Any) -> Any:
        headers = self.headers | kwargs.pop("headers", {})
        response = self.client.request(method, url, headers=headers, **kwargs)
        assert response.status_code == expect, response.text
        return response.json() if "json" in response.headers.get("content-type", "") else response

    def site(self, code: str = SITE_CODE, **overrides: Any) -> dict[str, Any]:
        body = {
            "code": code,
            "name_zh": "宜蘭縣頭城鎮衛生所",
            "name_en": "Toucheng Health Center",
            "type": "health-centre",
            "county": "宜蘭縣",
            "district": "頭城鎮",
            "address": "宜蘭縣頭城鎮開蘭路一段123號",
            "latitude": 24.86,
            "longitude": 121.82,
            "phone": "03-9771234",
            "sessions": ["morning", "afternoon"],
            "channels": ["web"],
            "issues_certificates": False,
        } | overrides
        return dict(self.call("POST", "/booking/staff/sites", 201, json=body))

    def lot(self, number: str = "FK8891", vaccine: str = "CoV BNT", **overrides: Any) -> int:
        body = {
            "vaccine_code": vaccine,
            "lot_number": number,
            "lot_type": "central",
            "expires_on": "2027-06-30",
            "vials_total": 100,
        } | overrides
        return int(self.call("POST", "/booking/staff/lots", 201, json=body)["id"])

    def stock(self, lot_id: int, vials: int, site: str = SITE_CODE, county: str = "10002") -> None:
        allocation = {"county": county, "vials": vials}
        self.call("POST", f"/booking/staff/lots/{lot_id}/allocations", 200, json=allocation)
        delivery = {"site_code": site, "vials": vials}
        self.call("POST", f"/booking/staff/lots/{lot_id}/deliveries", 200, json=delivery)

    def slot(self, capacity: int, vaccine: str = "CoV BNT", site: str = SITE_CODE) -> int:
        body = {
            "day": SLOT_DAY.isoformat(),
            "session": "morning",
            "vaccine_code": vaccine,
            "capacity": capacity,
        }
        return int(self.call("POST", f"/booking/staff/sites/{site}/slots", 201, json=body)["id"])

    def eligible(self, *ids: str, category: str = "1", vaccines: tuple[str, ...] = ("CoV BNT",)):
        body = {
            "code": category,
            "name_zh": "醫事人員",
            "name_en": "Medical staff",
            "vaccine_codes": list(vaccines),
            "active_from": "2026-11-01",
        }
        self.call("PUT", f"/booking/staff/categories/{category}", 200, json=body)
        csv = "national_id\n" + "".join(f"{i}\n" for i in ids)
        self.call(
            "PUT",
            f"/booking/staff/eligibility/{category}/{WEEK.isoformat()}",
            200,
            content=csv.encode(),
            headers={"Content-Type": "text/csv"},
        )


@pytest.fixture(scope="session")
def dev_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A development key store made once per session (RSA/EC generation is slow)."""
    directory = tmp_path_factory.mktemp("booking-keys") / "keys"
    store = KeyStore(directory, DEVELOPMENT_KEY_PASSPHRASE.encode())
    store.init(country="TW", now=datetime(2026, 11, 1, tzinfo=UTC), development=True)
    return directory


@pytest.fixture
def issuer_keys(settings: Settings, dev_keys: Path) -> None:
    """Put the development keys where the app's issuer reads them."""
    shutil.copytree(dev_keys, settings.data_dir / "keys")


@pytest.fixture
def staff(client: TestClient, make_token: Callable[..., str]) -> Staff:
    return Staff(client, auth(make_token(Scope.BOOKING_STAFF)))


@pytest.fixture
def stocked(staff: Staff) -> dict[str, int]:
    """A site with 10 vials (60 doses) of a BNT lot and an open slot of 50 places."""
    staff.site()
    lot = staff.lot()
    staff.stock(lot, 10)
    return {"lot": lot, "slot": staff.slot(50)}


def booking(slot: int, person: str, birth: str = "1985-03-14", **extra: Any) -> dict[str, Any]:
    return {
        "slot_id": slot,
        "id_type": "national-id",
        "id_value": person,
        "birth_date": birth,
        **extra,
    }
