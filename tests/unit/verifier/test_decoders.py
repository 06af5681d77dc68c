"""Base45, zlib, CBOR and COSE decoders: strict, bounded, and only domain errors."""

from __future__ import annotations

import contextlib
import zlib

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.verifier.conftest import Signer, b45encode
from verifier._internal import base45, cbor, cose, inflate
from verifier.errors import Base45Invalid, CoseInvalid, DecompressFailed


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("BB8", b"AB"),
        ("%69 VD92EX0", b"Hello!!"),
        ("UJCLQE7W581", b"base-45"),
        ("QED8WEX0", b"ietf!"),
        ("", b""),
    ],
)
def test_base45_rfc9285_examples(text: str, data: bytes) -> None:
    assert base45.decode(text) == data


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("GGW", "above its range"),  # 65535 + 1: the first overflowing group
        (":::", "above its range"),
        ("BB8::", "final pair above its range"),
        ("QED8WEX0AB", "dangling"),
        ("QED8WEx0", "outside the alphabet"),
        ("QED8WE\n0", "outside the alphabet"),
        ("ÄB8", "outside the alphabet"),
        ("A" * (base45.MAX_LENGTH + 2), "longer than"),
    ],
    ids=[
        "overflow-min",
        "overflow-max",
        "pair-overflow",
        "dangling",
        "lower-case",
        "newline",
        "non-ascii",
        "too-long",
    ],
)
def test_base45_rejects(text: str, match: str) -> None:
    with pytest.raises(Base45Invalid, match=match):
        base45.decode(text)


def test_base45_largest_valid_triple() -> None:
    assert base45.decode("FGW") == b"\xff\xff"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_base45_round_trip(data: bytes) -> None:
    assert base45.decode(b45encode(data)) == data


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_base45_random_text_only_domain_errors(text: str) -> None:
    with contextlib.suppress(Base45Invalid):
        base45.decode(text)


def test_zip_bomb_stops_at_the_cap() -> None:
    bomb = zlib.compress(b"\0" * (50 * 1024 * 1024), 9)
    assert len(bomb) < 100_000
    with pytest.raises(DecompressFailed, match="larger than"):
        inflate.inflate(bomb)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\xd2\x84not zlib", "not a valid zlib"),
        (zlib.compress(b"x" * 100)[:-3], "truncated"),
        (zlib.compress(b"x") + b"extra", "trailing"),
    ],
    ids=["uncompressed", "truncated", "trailing"],
)
def test_inflate_rejects(data: bytes, match: str) -> None:
    with pytest.raises(DecompressFailed, match=match):
        inflate.inflate(data)


def test_cbor_refuses_trailing_bytes_and_deep_nesting() -> None:
    with pytest.raises(cbor.CborError, match="trailing"):
        cbor.loads(b"\x00\x01")
    with pytest.raises(cbor.CborError):
        cbor.loads(b"\x81" * 100 + b"\x00")


def test_cose_shapes(signer: Signer) -> None:
    tagged = signer.cose()
    inner = cbor2.loads(tagged).value
    untagged = cbor2.dumps(inner)
    cwt_wrapped = cbor2.dumps(cbor2.CBORTag(61, cbor2.CBORTag(18, inner)))
    for data in (tagged, untagged, cwt_wrapped):
        parsed = cose.parse(data)
        assert parsed.kid == signer.dsc.kid
        assert parsed.kid_source == "protected"
        assert parsed.to_be_signed() == cbor2.dumps(
            ["Signature1", parsed.protected, b"", parsed.payload]
        )


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (cbor2.dumps(cbor2.CBORTag(98, [b"", {}, b"", b""])), "tag 98"),
        (cbor2.dumps([b"", {}, b""]), "four items"),
        (cbor2.dumps([b"", [], b"", b""]), "unprotected header must be a map"),
        (cbor2.dumps([b"", {}, None, b""]), "byte strings"),
        (cbor2.dumps([cbor2.dumps([1]), {}, b"", b""]), "protected header must be a CBOR map"),
        (cbor2.dumps([cbor2.dumps({1: "ES256"}), {}, b"", b""]), "alg must be an integer"),
        (cbor2.dumps([cbor2.dumps({4: b"k" * 65}), {}, b"", b""]), "kid must be a byte string"),
        (b"\x00garbage", "not CBOR"),
    ],
    ids=[
        "wrong-tag",
        "three-items",
        "bad-unprotected",
        "detached-payload",
        "array-header",
        "text-alg",
        "long-kid",
        "cbo2",
    ],
)
def test_cose_rejects(data: bytes, match: str) -> None:
    with pytest.raises(CoseInvalid, match=match):
        cose.parse(data)


def test_unprotected_kid_used_only_when_protected_has_none() -> None:
    both = cbor2.dumps([cbor2.dumps({1: -7, 4: b"P"}), {4: b"U"}, b"", b""])
    only_unprotected = cbor2.dumps([cbor2.dumps({1: -7}), {4: b"U"}, b"", b""])
    assert (cose.parse(both).kid, cose.parse(both).kid_source) == (b"P", "protected")
    parsed = cose.parse(only_unprotected)
    assert (parsed.kid, parsed.kid_source) == (b"U", "unprotected")
