"""The verifier-side client against an in-memory server: every attack fails closed."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from tests.unit.trust_list import pki
from tests.unit.trust_list.simulator import BASE_URL, Revoked, TrustListSimulator
from trust_list import envelope
from trust_list._internal import jws
from trust_list.chain import kid_of
from trust_list.client import REVOCATIONS_PATH, TRUST_LIST_PATH, TrustListClient, httpx_fetch
from trust_list.envelope import Signer
from trust_list.errors import (
    Expired,
    FetchFailed,
    Malformed,
    NotCached,
    Oversize,
    Rollback,
    Unsigned,
    WrongSigner,
)

SIGNATURE = bytes(range(64))


@pytest.fixture
def server() -> TrustListSimulator:
    simulator = TrustListSimulator()
    csca = pki.make_csca()
    simulator.dscs = [pki.make_dsc(csca).certificate, pki.make_dsc(csca).certificate]
    simulator.revoked = [
        Revoked("URN:UVCI:01:TW:REVOKED#1", "TW", kid_of(simulator.dscs[0]), SIGNATURE)
    ]
    simulator.publish()
    return simulator


def _client(server: TrustListSimulator, cache: Path, **kwargs: object) -> TrustListClient:
    anchor = kwargs.pop("anchor", server.anchor.certificate)
    return TrustListClient(BASE_URL, anchor, cache, fetch=server.fetch, **kwargs)  # type: ignore[arg-type]


def _versions(client: TrustListClient, server: TrustListSimulator) -> tuple[int, int]:
    freshness = client.load(server.now).freshness(server.now)
    return freshness.trust_list_version, freshness.revocations_version


def test_refresh_then_answers_kid_and_revocation_questions(
    server: TrustListSimulator, tmp_path: Path
) -> None:
    data = _client(server, tmp_path).refresh(server.now)
    [key] = data.keys_for(kid_of(server.dscs[0]))
    assert key.certificate == server.dscs[0]
    assert key.certificate_types == {"test", "vaccination", "recovery"}
    assert data.keys_for(b"\x00" * 8) == ()
    kid = kid_of(server.dscs[0])
    assert data.is_revoked(kid=kid, uvci="URN:UVCI:01:TW:REVOKED#1", country="TW", signature=b"x")
    assert not data.is_revoked(kid=kid, uvci="URN:UVCI:01:TW:OTHER#2", country="TW", signature=b"y")
    assert data.is_revoked(kid=kid, uvci="?", country="TW", signature=SIGNATURE[:32] + b"\x01" * 32)
    assert data.freshness(server.now).expires_in == timedelta(hours=48)


def test_works_offline_from_the_cache_until_expiry_then_says_so(
    server: TrustListSimulator, tmp_path: Path
) -> None:
    _client(server, tmp_path).refresh(server.now)
    offline = TrustListClient(BASE_URL, server.anchor.certificate, tmp_path, fetch=_no_network)
    later = server.now + timedelta(hours=47, minutes=59)
    assert offline.load(later).keys_for(kid_of(server.dscs[1]))
    with pytest.raises(Expired, match="expired"):
        offline.load(server.now + timedelta(hours=48))


def test_nothing_cached_is_a_clear_error(tmp_path: Path, server: TrustListSimulator) -> None:
    with pytest.raises(NotCached, match="refresh while online"):
        _client(server, tmp_path).load(server.now)


def test_unchanged_list_is_revalidated_with_if_none_match(
    server: TrustListSimulator, tmp_path: Path
) -> None:
    client = _client(server, tmp_path)
    client.refresh(server.now)
    client.refresh(server.now)
    last_two = server.requests[-2:]
    assert [h.get("If-None-Match") for _, h in last_two] == [
        server.etag(TRUST_LIST_PATH),
        server.etag(REVOCATIONS_PATH),
    ]
    assert _versions(client, server) == (1, 1)


def test_new_version_replaces_the_cache(server: TrustListSimulator, tmp_path: Path) -> None:
    client = _client(server, tmp_path)
    client.refresh(server.now)
    server.revoked_kids = [base64.b64encode(kid_of(server.dscs[1])).decode()]
    server.publish()
    data = client.refresh(server.now)
    assert data.keys_for(kid_of(server.dscs[1])) == ()
    assert _versions(client, server) == (2, 2)


def test_attack_rollback_to_a_lower_version(server: TrustListSimulator, tmp_path: Path) -> None:
    client = _client(server, tmp_path)
    server.publish(trust_version=5)
    client.refresh(server.now)
    server.publish(trust_version=4, rev_version=9)
    with pytest.raises(Rollback, match="version 4 does not follow cached version 5"):
        client.refresh(server.now)
    assert _versions(client, server) == (5, 2)


def test_attack_equal_version_with_other_content(
    server: TrustListSimulator, tmp_path: Path
) -> None:
    client = _client(server, tmp_path)
    client.refresh(server.now)
    server.dscs = server.dscs[:1]
    server.publish(trust_version=1, rev_version=2)
    with pytest.raises(Rollback):
        client.refresh(server.now)


def test_attack_replay_of_an_old_expired_list(server: TrustListSimulator, tmp_path: Path) -> None:
    server.now -= timedelta(days=3)
    server.publish()
    server.now += timedelta(days=3)
    with pytest.raises(Expired):
        _client(server, tmp_path).refresh(server.now)
    assert not (tmp_path / "trust-list.jws").exists()


def _flip_payload_byte(data: bytes) -> bytes:
    envelope_ = orjson.loads(data)
    payload = jws.b64url_decode(envelope_["payload"])
    envelope_["payload"] = jws.b64url(payload.replace(b'"version":', b'"version":1', 1))
    return orjson.dumps(envelope_)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        pytest.param(_flip_payload_byte, Unsigned, "does not verify", id="tampered-payload"),
        pytest.param(lambda d: d[: len(d) // 2], Unsigned, "well-formed", id="truncated"),
        pytest.param(lambda d: b"", Unsigned, "well-formed", id="empty"),
        pytest.param(
            lambda d: orjson.dumps({**orjson.loads(d), "signature": ""}),
            Unsigned,
            "does not verify",
            id="no-signature",
        ),
    ],
)
def test_attack_tampered_download(
    server: TrustListSimulator, tmp_path: Path, change: object, error: type[Exception], message: str
) -> None:
    server.tamper(TRUST_LIST_PATH, change)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        _client(server, tmp_path).refresh(server.now)
    assert list(tmp_path.iterdir()) == []


def test_attack_tampered_cache_is_caught_at_load(
    server: TrustListSimulator, tmp_path: Path
) -> None:
    client = _client(server, tmp_path)
    client.refresh(server.now)
    path = tmp_path / "trust-list.jws"
    path.write_bytes(_flip_payload_byte(path.read_bytes()))
    with pytest.raises(Unsigned):
        client.load(server.now)


def test_attack_oversize_download(server: TrustListSimulator, tmp_path: Path) -> None:
    with pytest.raises(Oversize, match="over the 1000 limit"):
        _client(server, tmp_path, max_bytes=1000).refresh(server.now)


def test_attack_wrong_pinned_anchor(server: TrustListSimulator, tmp_path: Path) -> None:
    other = pki.make_trust_anchor().certificate
    with pytest.raises(WrongSigner, match="not issued by the pinned anchor"):
        _client(server, tmp_path, anchor=other).refresh(server.now)


def test_attack_signer_from_another_anchor(server: TrustListSimulator, tmp_path: Path) -> None:
    rogue = pki.make_trust_signer(pki.make_trust_anchor())
    signer = Signer(rogue.key, rogue.certificate)  # type: ignore[arg-type]
    server.served[TRUST_LIST_PATH] = server.seal(server.trust_document(), signer)
    with pytest.raises(WrongSigner):
        _client(server, tmp_path).refresh(server.now)


def test_attack_dsc_key_used_as_signer(server: TrustListSimulator, tmp_path: Path) -> None:
    """A certificate under the anchor but without digitalSignature may not sign lists."""
    rogue = pki.make_dsc(server.anchor, eku=None, digital_signature=False)
    signer = Signer(rogue.key, rogue.certificate)  # type: ignore[arg-type]
    server.served[TRUST_LIST_PATH] = server.seal(server.trust_document(), signer)
    with pytest.raises(WrongSigner, match="digitalSignature"):
        _client(server, tmp_path).refresh(server.now)


def test_attack_expired_signer_certificate(server: TrustListSimulator, tmp_path: Path) -> None:
    old = pki.make_trust_signer(server.anchor, not_before=server.now - timedelta(days=30), days=1)
    server.served[TRUST_LIST_PATH] = server.seal(
        server.trust_document(), Signer(old.key, old.certificate)
    )  # type: ignore[arg-type]
    with pytest.raises(WrongSigner, match="not valid now"):
        _client(server, tmp_path).refresh(server.now)


@pytest.mark.parametrize("alg", ["none", "HS256", "ES384", "RS256"])
def test_attack_algorithm_outside_the_allow_list(
    server: TrustListSimulator, tmp_path: Path, alg: str
) -> None:
    def relabel(data: bytes) -> bytes:
        outer = orjson.loads(data)
        header = orjson.loads(jws.b64url_decode(outer["protected"]))
        outer["protected"] = jws.b64url(orjson.dumps({**header, "alg": alg}))
        return orjson.dumps(outer)

    server.tamper(TRUST_LIST_PATH, relabel)
    with pytest.raises(Unsigned, match="refused header"):
        _client(server, tmp_path).refresh(server.now)


def test_attack_revocation_list_served_as_trust_list(
    server: TrustListSimulator, tmp_path: Path
) -> None:
    server.served[TRUST_LIST_PATH] = server.served[REVOCATIONS_PATH]
    with pytest.raises(Unsigned, match="typ"):
        _client(server, tmp_path).refresh(server.now)


def test_attack_listed_kid_that_is_not_the_certificates(
    server: TrustListSimulator, tmp_path: Path
) -> None:
    document = server.trust_document()
    document["certificates"][0]["kid"] = document["certificates"][1]["kid"]
    server.served[TRUST_LIST_PATH] = server.seal(document)
    with pytest.raises(Malformed, match="is not the kid"):
        _client(server, tmp_path).refresh(server.now)


def test_unsorted_revocation_hashes_are_refused(server: TrustListSimulator, tmp_path: Path) -> None:
    document = server.revocation_document()
    first = document["kids"]
    server.revoked.append(
        Revoked("URN:UVCI:01:TW:X#3", "TW", kid_of(server.dscs[0]), SIGNATURE[::-1])
    )
    blob = base64.b64decode(server.revocation_document()["kids"][next(iter(first))]["UCI"])
    document["kids"][next(iter(first))]["UCI"] = base64.b64encode(blob[16:] + blob[:16]).decode()
    server.served[REVOCATIONS_PATH] = server.seal(document)
    with pytest.raises(Malformed, match="not strictly sorted"):
        _client(server, tmp_path).refresh(server.now)


def test_server_error_keeps_the_cache(server: TrustListSimulator, tmp_path: Path) -> None:
    client = _client(server, tmp_path)
    client.refresh(server.now)
    del server.served[REVOCATIONS_PATH]
    with pytest.raises(FetchFailed, match="HTTP 404"):
        client.refresh(server.now)
    assert _versions(client, server) == (1, 1)


def test_httpx_fetch_stops_reading_past_the_limit() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"x" * 5000))
    fetch = httpx_fetch(httpx.Client(transport=transport))
    assert fetch("https://t.example/a", {}, 5000).body == b"x" * 5000
    with pytest.raises(Oversize):
        fetch("https://t.example/a", {}, 4999)


def test_httpx_fetch_network_error_is_fetch_failed() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    fetch = httpx_fetch(httpx.Client(transport=httpx.MockTransport(refuse)))
    with pytest.raises(FetchFailed, match="ConnectError"):
        fetch("https://t.example/a", {}, 10)


def _no_network(url: str, headers: object, max_bytes: int) -> object:
    raise AssertionError("offline use must not touch the network")


def test_signer_certificate_pem_is_not_needed_by_the_client(server: TrustListSimulator) -> None:
    """The signer travels in x5c; a verifier pins only the anchor."""
    header = orjson.loads(
        jws.b64url_decode(orjson.loads(server.served[TRUST_LIST_PATH])["protected"])
    )
    assert header["x5c"] == [
        base64.b64encode(server.signer.certificate.public_bytes(Encoding.DER)).decode()
    ]
    assert {"ES256"} == envelope.ALGORITHMS


def test_current_falls_back_to_the_cache_only_when_unreachable(
    server: TrustListSimulator, tmp_path: Path
) -> None:
    client = _client(server, tmp_path)
    client.refresh(server.now)
    del server.served[TRUST_LIST_PATH]
    assert client.current(server.now).freshness(server.now).trust_list_version == 1
    server.publish(trust_version=1, rev_version=5)
    server.dscs = []
    server.served[TRUST_LIST_PATH] = server.seal(server.trust_document())
    with pytest.raises(Rollback):
        client.current(server.now)
