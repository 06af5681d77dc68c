"""The access rules, tried against every endpoint: another holder's token with this holder's
ids, made-up ids, no token, bad tokens, API-client tokens, delegation edges, brute force.

A refused certificate is always a 404 problem+json that is byte-for-byte the same shape as
for an id that does not exist, so a stranger cannot even learn that a certificate exists.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import MutableClock, auth
from tests.integration.wallet_api.conftest import Issued, other_person
from vaxx.auth.scopes import Scope

API = "/wallet/api"
PROBLEM = "application/problem+json"
IssueFn = Callable[[dict[str, Any]], tuple[Issued, str]]
CERTIFICATE_PATHS = ["", "/hc1", "/qr.png", "/qr.svg", "/pdf", "/fhir", "/status"]


@pytest.fixture
def two_holders(
    issue: IssueFn, claim: Callable[..., dict[str, str]], vaccination_bundle: dict[str, Any]
) -> tuple[Issued, dict[str, str], Issued, dict[str, str]]:
    mine, my_code = issue(vaccination_bundle)
    theirs, their_code = issue(other_person(vaccination_bundle))
    return mine, claim(my_code), theirs, claim(their_code, "1990-07-01")


def _refused_without_data(response: Any, status: int, secrets: list[str]) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    for secret in secrets:
        assert secret not in response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("path", CERTIFICATE_PATHS, ids=lambda p: p or "/")
def test_another_holders_token_gets_404_exactly_like_a_missing_id(
    client: TestClient,
    two_holders: tuple[Issued, dict[str, str], Issued, dict[str, str]],
    path: str,
) -> None:
    mine, _, theirs, their_token = two_holders
    secrets = [mine["hc1"], mine["uvci"], "陳小明", "CHEN", "A123456789"]
    for certificate_id in (mine["id"], "0" * 32, "../" + mine["id"]):
        response = client.get(f"{API}/certificates/{certificate_id}{path}", headers=their_token)
        if response.status_code == 404 and response.headers["content-type"] == PROBLEM:
            body = _refused_without_data(response, 404, secrets)
            assert body["code"] in ("certificate_not_found", "not_found")
        else:  # a path the router never matches is still no data
            assert response.status_code in (404, 405), response.text
            assert all(s not in response.text for s in secrets)
    own = client.get(f"{API}/certificates/{theirs['id']}{path}", headers=their_token)
    assert own.status_code == 200


@pytest.mark.parametrize("path", CERTIFICATE_PATHS, ids=lambda p: p or "/")
@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"Authorization": "Bearer vxh_made-up"}, id="unknown-token"),
        pytest.param({"Authorization": "Basic dXNlcjpwYXNz"}, id="basic-auth"),
        pytest.param({"Authorization": "Bearer "}, id="empty-token"),
    ],
)
def test_no_valid_token_gets_401_and_no_data(
    client: TestClient,
    two_holders: tuple[Issued, dict[str, str], Issued, dict[str, str]],
    path: str,
    headers: dict[str, str],
) -> None:
    mine = two_holders[0]
    response = client.get(f"{API}/certificates/{mine['id']}{path}", headers=headers)
    _refused_without_data(response, 401, [mine["hc1"], mine["uvci"]])


def test_api_client_tokens_are_not_holder_tokens(
    client: TestClient,
    two_holders: tuple[Issued, dict[str, str], Issued, dict[str, str]],
    issuer_headers: dict[str, str],
    make_token: Callable[..., str],
) -> None:
    mine = two_holders[0]
    for headers in (issuer_headers, auth(make_token(Scope.ADMIN))):
        listed = client.get(f"{API}/certificates", headers=headers)
        _refused_without_data(listed, 401, [mine["hc1"]])
        one = client.get(f"{API}/certificates/{mine['id']}/hc1", headers=headers)
        _refused_without_data(one, 401, [mine["hc1"]])


def test_holder_tokens_cannot_use_issuer_endpoints(
    client: TestClient,
    two_holders: tuple[Issued, dict[str, str], Issued, dict[str, str]],
    make_token: Callable[..., str],
) -> None:
    mine, my_token = two_holders[0], two_holders[1]
    as_holder = client.post(
        f"{API}/claim-codes", json={"certificate_id": mine["id"]}, headers=my_token
    )
    _refused_without_data(as_holder, 401, [])
    as_verifier = client.post(
        f"{API}/claim-codes",
        json={"certificate_id": mine["id"]},
        headers=auth(make_token(Scope.VERIFIER)),
    )
    assert _refused_without_data(as_verifier, 403, [])["code"] == "forbidden"
    issuer_api = client.get(f"/issuer/certificates/{mine['id']}", headers=my_token)
    _refused_without_data(issuer_api, 401, [mine["hc1"]])


def test_lists_show_only_own_and_delegated(
    client: TestClient,
    two_holders: tuple[Issued, dict[str, str], Issued, dict[str, str]],
    issue: IssueFn,
    claim: Callable[..., dict[str, str]],
    vaccination_bundle: dict[str, Any],
) -> None:
    mine, my_token, theirs, their_token = two_holders

    def ids(token: dict[str, str]) -> list[tuple[str, str]]:
        listed = client.get(f"{API}/certificates", headers=token).json()["certificates"]
        return [(c["id"], c["held"]) for c in listed]

    assert ids(my_token) == [(mine["id"], "own")]
    assert ids(their_token) == [(theirs["id"], "own")]
    invite = client.post(f"{API}/delegations", headers=my_token)
    assert invite.status_code == 201
    code = invite.json()["code"]
    self_accept = client.post(f"{API}/delegations/accept", json={"code": code}, headers=my_token)
    assert _refused_without_data(self_accept, 422, [])["code"] == "delegation_invalid"
    accepted = client.post(f"{API}/delegations/accept", json={"code": code}, headers=their_token)
    assert accepted.status_code == 200, accepted.text
    assert ids(their_token) == [(theirs["id"], "own"), (mine["id"], "delegated")]
    assert ids(my_token) == [(mine["id"], "own")]  # delegation is one-way
    shared = client.get(f"{API}/certificates/{mine['id']}/hc1", headers=their_token)
    assert shared.text == mine["hc1"]
    delegation_id = accepted.json()["id"]
    outsider = claim(issue(other_person(vaccination_bundle))[1], "1990-07-01")
    invitation = client.post(f"{API}/claim", json={"code": code, "birth_date": "1985-03-14"})
    assert invitation.status_code == 401  # an invitation code is not a claim code
    stolen = client.delete(f"{API}/delegations/{delegation_id}", headers=outsider)
    assert _refused_without_data(stolen, 404, [])["code"] == "delegation_not_found"
    assert client.delete(f"{API}/delegations/{delegation_id}", headers=my_token).status_code == 204
    assert ids(their_token) == [(theirs["id"], "own")]
    after = client.get(f"{API}/certificates/{mine['id']}/pdf", headers=their_token)
    _refused_without_data(after, 404, [mine["uvci"]])


def test_brute_force_on_one_code_is_locked_out_even_for_the_right_answer(
    client: TestClient, issue: IssueFn, vaccination_bundle: dict[str, Any], clock: MutableClock
) -> None:
    _, code = issue(vaccination_bundle)
    for day in range(1, 6):
        wrong = client.post(f"{API}/claim", json={"code": code, "birth_date": f"1985-03-{day:02d}"})
        assert _refused_without_data(wrong, 401, [])["code"] == "claim_invalid"
    right = {"code": code, "birth_date": "1985-03-14"}
    locked = client.post(f"{API}/claim", json=right, headers={"Accept-Language": "en"})
    body = _refused_without_data(locked, 429, [])
    assert body["code"] == "rate_limited"
    assert body["retry_after"] == 15 * 60
    assert body["detail"] == "Too many attempts: locked for a while, try again later."
    clock.now += timedelta(minutes=15)
    assert client.post(f"{API}/claim", json=right).status_code == 200


def test_guessing_many_codes_from_one_address_is_locked_out(
    client: TestClient, issue: IssueFn, vaccination_bundle: dict[str, Any]
) -> None:
    _, code = issue(vaccination_bundle)
    for guess in range(5):
        wrong = client.post(
            f"{API}/claim", json={"code": f"{guess}{guess}AB-CDEF-GHJK", "birth_date": "1985-03-14"}
        )
        assert wrong.status_code == 401
    locked = client.post(f"{API}/claim", json={"code": code, "birth_date": "1985-03-14"})
    assert _refused_without_data(locked, 429, [])["code"] == "rate_limited"
    logins = client.post(
        f"{API}/login/finish",
        json={"national_id": "A123456789", "birth_date": "1985-03-14", "code": "123456"},
    )
    assert logins.status_code == 429  # the address lock covers every door
