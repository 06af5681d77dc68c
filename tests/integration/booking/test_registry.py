"""The registry upload queue through HTTP: upload, check the verdict later, see what was
rejected and why, resend once fixed (file adapter)."""

from __future__ import annotations

import json

from tests.integration.booking.conftest import SITE_CODE, Staff, national_id
from vaxx.settings import Settings


def _give(staff: Staff, serial: int) -> int:
    body = {
        "vaccine_code": "CoV BNT",
        "lot_number": "FK8891",
        "patient": {"family_en": "Wu", "given_en": "Ann", "gender": "female"},
        "performer": {"name": "王美玲"},
        "person": {
            "id_type": "national-id",
            "id_value": national_id(serial),
            "birth_date": "1970-01-01",
        },
    }
    url = f"/booking/staff/sites/{SITE_CODE}/administrations"
    return int(staff.call("POST", url, 201, json=body)["id"])


def test_upload_then_check_then_resend_the_rejected(
    staff: Staff, stocked: dict[str, int], settings: Settings
) -> None:
    first, second = _give(staff, 1), _give(staff, 2)
    assert staff.call("POST", "/booking/staff/registry/run", 200)["sent"] == 2
    outbox = settings.data_dir / "registry"
    uploaded = json.loads((outbox / f"{first}.json").read_text())
    assert uploaded["resourceType"] == "Immunization"
    assert uploaded["identifier"] == [{"system": "urn:vaxx:administration", "value": str(first)}]

    (outbox / f"{first}.result.json").write_text('{"state": "accepted", "id": "NIIS-1"}')
    (outbox / f"{second}.result.json").write_text('{"state": "rejected", "reason": "unknown lot"}')
    counts = staff.call("POST", "/booking/staff/registry/run", 200)
    assert (counts["accepted"], counts["rejected"]) == (1, 1)
    rejected = staff.call("GET", "/booking/staff/registry/rejected", 200)
    assert [(r["administration_id"], r["reason"]) for r in rejected] == [(second, "unknown lot")]

    (outbox / f"{second}.result.json").unlink()
    resent = staff.call("POST", f"/booking/staff/registry/{rejected[0]['id']}/resend", 200)
    assert resent["state"] == "pending"
    assert staff.call("POST", "/booking/staff/registry/run", 200)["sent"] == 1
    assert staff.call("GET", "/booking/staff/registry/rejected", 200) == []
    again = staff.call("POST", f"/booking/staff/registry/{rejected[0]['id']}/resend", 409)
    assert again["code"] == "invalid_status"
