"""HC1 encoding: Base45 (RFC 9285 vectors), UVCI check characters (Taiwan's samples), and
signed certificates read back by the independent decoder."""

from __future__ import annotations

import hashlib
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given
from hypothesis import strategies as st

from issuer import hc1
from issuer._internal import base45, uvci
from issuer.errors import NoSigningKey
from issuer.keys import DccType, KeyStore
from tests.unit.issuer.conftest import CREATED
from tests.unit.issuer.independent_decoder import b45decode, decode_hc1

NOW = CREATED + timedelta(days=3, hours=5, microseconds=123)
PAYLOAD = {"ver": "1.3.0", "nam": {"fnt": "CHEN", "gnt": "HSIAO<MING", "fn": "陳"}, "dob": "1985"}
VALIDITY = {"vaccination": 365, "test": 30, "recovery": 180}


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_base45_matches_rfc_9285_examples(data: bytes, text: str) -> None:
    assert base45.encode(data) == text


@given(st.binary(max_size=300))
def test_base45_round_trips_through_an_independent_decoder(data: bytes) -> None:
    assert b45decode(base45.encode(data)) == data


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC", "X"),
        ("URN:UVCI:01:TW:80ETUPYY602A0FAH4B31B8P4E", "W"),
    ],
    ids=["taiwan-vaccination-sample", "taiwan-test-sample"],
)
def test_uvci_check_character_matches_taiwan_samples(body: str, check: str) -> None:
    assert uvci.luhn_mod_n(body) == check
    assert uvci.is_valid(f"{body}#{check}")


def test_uvci_check_covers_the_prefix_regression() -> None:
    body = "URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC"
    assert uvci.luhn_mod_n(body.removeprefix("URN:UVCI:")) != "X"


def test_new_uvci_shape_and_uniqueness() -> None:
    made = {uvci.new_uvci("tw") for _ in range(200)}
    assert len(made) == 200
    for value in made:
        assert value.startswith("URN:UVCI:01:TW:")
        assert len(value) == 42
        assert uvci.is_valid(value)
        assert not uvci.is_valid(value[:-1] + ("A" if value[-1] != "A" else "B"))


def _pem(store: KeyStore) -> bytes:
    return store.dscs()[0].certificate.public_bytes(serialization.Encoding.PEM)


def _sign(store: KeyStore, kind: DccType = DccType.VACCINATION) -> hc1.SignedCertificate:
    signer = store.signer_for(kind, NOW)
    expires = hc1.expiry(kind, NOW, VALIDITY, signer)
    return hc1.sign(PAYLOAD, signer=signer, country="TW", issued_at=NOW, expires_at=expires)


def test_signed_hc1_verifies_in_the_independent_decoder(store: KeyStore) -> None:
    signed = _sign(store)
    [dsc] = store.dscs()
    decoded = decode_hc1(signed.hc1, dsc.certificate.public_bytes(serialization.Encoding.PEM))
    assert decoded.alg == -7
    assert decoded.kid == dsc.kid == signed.kid
    assert decoded.claims[1] == "TW"
    assert decoded.claims[6] == int(NOW.timestamp())
    assert decoded.claims[4] == int((NOW + timedelta(days=365)).timestamp())
    assert decoded.dcc == PAYLOAD
    assert decoded.signature == signed.signature
    assert signed.issued_at.microsecond == 0


def test_payload_hash_is_over_the_signed_cwt(store: KeyStore) -> None:
    signed = _sign(store)
    decoded = decode_hc1(signed.hc1, _pem(store))
    assert signed.payload_sha256 == hashlib.sha256(decoded.signed_payload).digest()


def test_hc1_uses_a_standard_zlib_stream(store: KeyStore) -> None:
    compressed = b45decode(_sign(store).hc1.removeprefix("HC1:"))
    assert compressed[0] == 0x78
    assert zlib.decompress(compressed)


def test_expiry_never_passes_the_dsc_not_after(store: KeyStore) -> None:
    signer = store.signer_for(DccType.VACCINATION, NOW)
    late = signer.certificate.not_valid_after_utc - timedelta(days=10)
    assert hc1.expiry(DccType.VACCINATION, late, VALIDITY, signer) == (
        signer.certificate.not_valid_after_utc
    )
    assert hc1.expiry(DccType.TEST, NOW, VALIDITY, signer) == NOW + timedelta(days=30)


def test_expiry_refuses_a_dsc_already_expired(store: KeyStore) -> None:
    signer = store.signer_for(DccType.VACCINATION, NOW)
    with pytest.raises(NoSigningKey, match="expires before"):
        hc1.expiry(DccType.VACCINATION, signer.certificate.not_valid_after_utc, VALIDITY, signer)


def test_ps256_certificates_verify_too(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys", b"p")
    store.init(country="TW", now=CREATED, development=True, alg="PS256")
    signed = _sign(store, DccType.TEST)
    decoded = decode_hc1(signed.hc1, _pem(store))
    assert decoded.alg == -37
    assert decoded.dcc == PAYLOAD
