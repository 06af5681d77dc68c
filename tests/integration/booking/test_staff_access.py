"""Site staff act only on their sites, a health bureau only on its county's sites; the
national booking-staff role does the national work (lots, allocations, lists, bindings)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.conftest import auth
from tests.integration.booking.conftest import SITE_CODE, Staff
from vaxx.auth.models import ApiClient
from vaxx.auth.scopes import Scope

TAIPEI_SITE = "0131060029"


def _client(make_token: Callable[..., str], session_factory, scope: Scope, name: str):
    token = make_token(scope, name=name)
    with session_factory() as session:
        client_id = session.scalars(select(ApiClient.id).where(ApiClient.name == name)).one()
    return client_id, auth(token)


def test_site_staff_and_health_bureau_reach_only_their_sites(
    client: TestClient, staff: Staff, make_token: Callable[..., str], session_factory
) -> None:
    staff.site()
    staff.site(TAIPEI_SITE, county="臺北市", district="中正區")
    lot = staff.lot()
    staff.stock(lot, 10)
    staff.call(
        "POST", f"/booking/staff/lots/{lot}/allocations", 200, json={"county": "63000", "vials": 5}
    )
    nurse_id, nurse = _client(make_token, session_factory, Scope.SITE_STAFF, "Toucheng nurse")
    bureau_id, bureau = _client(make_token, session_factory, Scope.HEALTH_BUREAU, "Taipei DOH")
    _, unbound = _client(make_token, session_factory, Scope.SITE_STAFF, "new nurse")
    staff.call(
        "PUT", "/booking/staff/bindings", 200, json={"client_id": nurse_id, "site_code": SITE_CODE}
    )
    staff.call(
        "PUT", "/booking/staff/bindings", 200, json={"client_id": bureau_id, "county": "臺北市"}
    )
    slot = {"day": "2026-11-24", "session": "morning", "vaccine_code": "CoV BNT", "capacity": 5}

    def post(url: str, headers: dict[str, str], body: dict) -> int:
        return client.post(url, json=body, headers=headers).status_code

    assert post(f"/booking/staff/sites/{SITE_CODE}/slots", nurse, slot) == 201
    assert post(f"/booking/staff/sites/{TAIPEI_SITE}/slots", nurse, slot) == 403
    assert post(f"/booking/staff/sites/{SITE_CODE}/slots", unbound, slot) == 403
    new_lot = {
        "vaccine_code": "CoV AZ",
        "lot_number": "X1",
        "lot_type": "central",
        "expires_on": "2027-01-01",
        "vials_total": 1,
    }
    assert post("/booking/staff/lots", nurse, new_lot) == 403
    binding = {"client_id": nurse_id, "site_code": TAIPEI_SITE}
    assert client.put("/booking/staff/bindings", json=binding, headers=nurse).status_code == 403
    report = "/booking/staff/reports/daily"
    assert client.get(report, headers=nurse).status_code == 422
    assert client.get(f"{report}?site={SITE_CODE}", headers=nurse).status_code == 200
    assert client.get(f"{report}?site={TAIPEI_SITE}", headers=nurse).status_code == 403

    delivery = f"/booking/staff/lots/{lot}/deliveries"
    assert post(delivery, bureau, {"site_code": TAIPEI_SITE, "vials": 5}) == 200
    assert post(delivery, bureau, {"site_code": SITE_CODE, "vials": 1}) == 403
    assert post(f"/booking/staff/sites/{TAIPEI_SITE}/slots", bureau, slot) == 201
    assert client.get(f"/booking/staff/sites/{SITE_CODE}/stock", headers=bureau).status_code == 403
