"""Regressions the OpenAPI fuzzing found in booking: each once answered 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.booking.conftest import Staff

BEYOND_64_BITS = 2**63
BEYOND_32_BITS = 2**31
"""Booking keys are INTEGER: 32-bit on PostgreSQL."""
PERSON = {"id_type": "passport", "id_value": "X1234567", "birth_date": "2000-01-01"}


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", f"/booking/staff/slots/{BEYOND_64_BITS}/close", None, 404),
        ("PATCH", f"/booking/staff/slots/{BEYOND_32_BITS}", {"capacity": 1}, 404),
        (
            "POST",
            f"/booking/staff/lots/{BEYOND_32_BITS}/deliveries",
            {"site_code": "0000000000", "vials": 1},
            404,
        ),
        ("POST", f"/booking/staff/registry/{BEYOND_64_BITS}/resend", None, 422),
        ("POST", f"/booking/staff/administrations/{BEYOND_32_BITS}/certificate", None, 422),
        ("POST", "/booking/appointments", PERSON | {"slot_id": BEYOND_32_BITS}, 404),
        (
            "POST",
            f"/booking/eligibility?slot_id={-BEYOND_64_BITS - 1}",
            dict(PERSON),
            404,
        ),
    ],
    ids=[
        "close-slot",
        "resize-slot",
        "deliver-lot",
        "resend-upload",
        "certify-dose",
        "book",
        "eligibility",
    ],
)
def test_an_id_the_key_column_cannot_hold_names_no_row(
    staff: Staff, method: str, path: str, body: dict[str, Any] | None, status: int
) -> None:
    response = staff.client.request(method, path, json=body, headers=staff.headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_category_window_ending_before_it_starts_is_invalid_input(staff: Staff) -> None:
    body = {
        "code": "1",
        "name_zh": "醫事人員",
        "name_en": "Medical staff",
        "vaccine_codes": ["CoV BNT"],
        "active_from": "2026-11-01",
        "active_until": "2026-10-31",
    }
    response = staff.client.put("/booking/staff/categories/1", json=body, headers=staff.headers)
    assert response.status_code == 422, response.text
    assert "active_until is before active_from" in response.text


def test_a_nul_character_in_text_is_invalid_input_on_every_database(staff: Staff) -> None:
    """PostgreSQL text cannot hold U+0000; the driver's DataError once surfaced as a 500."""
    body = {"reference": "\u0000", "birth_date": "2000-01-01"}
    response = staff.client.post("/booking/fhir/Appointment", json=body)
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
