"""The holder facts read from an issued certificate (payload + source Bundle)."""

from typing import Any

import pytest

from wallet_api.holder import facts_from
from wallet_api.notify import Channel, Contact


def _bundle(patient: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "entry": [{"resource": {"resourceType": "Patient", **patient}}],
    }


@pytest.mark.parametrize(
    ("patient", "national_id", "contact"),
    [
        pytest.param(
            {
                "identifier": [{"system": "http://www.moi.gov.tw", "value": "A123456789"}],
                "telecom": [{"system": "phone", "value": "0912345678", "use": "mobile"}],
            },
            "A123456789",
            Contact(Channel.SMS, "0912345678"),
            id="national-id-and-mobile",
        ),
        pytest.param(
            {
                "identifier": [{"system": "urn:oid:passport:TWN", "value": "300000001"}],
                "telecom": [
                    {"system": "phone", "value": "0223456789", "use": "home"},
                    {"system": "email", "value": "chen@example.org"},
                ],
            },
            None,
            Contact(Channel.EMAIL, "chen@example.org"),
            id="passport-is-no-login-home-phone-skipped",
        ),
        pytest.param({}, None, None, id="nothing-on-file"),
        pytest.param(
            {"identifier": [{"system": "http://www.moi.gov.tw", "value": 5}], "telecom": ["x"]},
            None,
            None,
            id="malformed-values-ignored",
        ),
    ],
)
def test_facts(patient: dict[str, Any], national_id: str | None, contact: Contact | None) -> None:
    facts = facts_from({"dob": "1985-03"}, _bundle(patient))
    assert (facts.birth_date, facts.national_id, facts.contact) == ("1985-03", national_id, contact)
