"""Which paths are limited, in which class, and whose address a request counts against."""

from __future__ import annotations

import pytest

from vaxx.errors import ConfigurationError
from vaxx.shared_state.invalidation import AVAILABILITY, TRUST_LIST, namespaces_for
from vaxx.shared_state.rate_limit import classify, client_address, trusted_networks


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/open-data/availability", "open_data"),
        ("/$bulk-publish", "open_data"),
        ("/smart-scheduling/slots-63000.ndjson", "open_data"),
        ("/trust-list", "open_data"),
        ("/trust-list/revocations", "open_data"),
        ("/booking/appointments", "booking"),
        ("/booking/slots", "booking"),
        ("/booking/staff/sites", None),
        ("/wallet/api/claim", "wallet_login"),
        ("/wallet/api/login/start", "wallet_login"),
        ("/wallet/api/certificates", None),
        ("/issuer/certificates", None),
        ("/healthz", None),
        ("/readyz", None),
        ("/metrics", None),
        ("/trust-listing", None),
    ],
)
def test_classify(path: str, expected: str | None) -> None:
    assert classify(path) == expected


def test_forwarded_for_counts_only_behind_a_trusted_proxy() -> None:
    proxies = trusted_networks("10.0.0.0/8, 192.0.2.7")
    assert client_address("198.51.100.1", "203.0.113.5", proxies) == "198.51.100.1"
    assert client_address("10.1.2.3", "203.0.113.5", proxies) == "203.0.113.5"
    # The client wrote the left-most entry itself; the proxies appended the rest.
    assert client_address("10.1.2.3", "1.1.1.1, 203.0.113.5, 192.0.2.7", proxies) == ("203.0.113.5")
    assert client_address("10.1.2.3", None, proxies) == "10.1.2.3"
    assert client_address("10.1.2.3", "10.9.9.9", proxies) == "10.9.9.9"
    assert client_address("testclient", "203.0.113.5", proxies) == "testclient"


def test_no_trusted_proxies_by_default() -> None:
    assert trusted_networks("") == []
    assert client_address("127.0.0.1", "203.0.113.5", trusted_networks("")) == "127.0.0.1"


def test_a_bad_trusted_proxy_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="not-an-address"):
        trusted_networks("10.0.0.1,not-an-address")


@pytest.mark.parametrize(
    ("table", "inserted", "expected"),
    [
        ("booking_slots", False, {AVAILABILITY}),
        ("booking_appointments", True, {AVAILABILITY}),
        ("booking_site_stock", False, {AVAILABILITY}),
        ("availability_external_slots", True, {AVAILABILITY}),
        ("availability_publication", False, set()),
        ("trust_dscs", True, {TRUST_LIST}),
        ("issued_certificates", True, set()),
        ("issued_certificates", False, {TRUST_LIST}),
        ("wallet_sessions", True, set()),
    ],
)
def test_which_writes_invalidate_which_cache(
    table: str, inserted: bool, expected: set[str]
) -> None:
    assert namespaces_for(table, inserted=inserted) == expected
