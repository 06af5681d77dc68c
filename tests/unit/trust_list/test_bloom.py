"""The Bloom filter form: no false negatives, and the stated false-positive rate holds."""

from __future__ import annotations

import os

import pytest

from tests.unit.trust_list.simulator import Revoked
from trust_list.bloom import BloomFilter
from trust_list.revocation import BloomRevocationIndex, bloom_by_kid

MEMBERS = [os.urandom(16) for _ in range(20_000)]
PROBES = [os.urandom(16) for _ in range(100_000)]


@pytest.mark.parametrize("rate", [0.01, 0.001])
def test_no_false_negatives_and_measured_rate_matches_the_stated_one(rate: float) -> None:
    bloom = BloomFilter.build(MEMBERS, rate)
    assert all(member in bloom for member in MEMBERS)
    measured = sum(probe in bloom for probe in PROBES) / len(PROBES)
    assert bloom.expected_fp_rate == pytest.approx(rate, rel=0.15)
    # 100,000 probes: the binomial spread at these rates is well inside a factor of 1.5.
    assert measured <= rate * 1.5
    assert len(bloom.bits) * 8 / len(MEMBERS) < 15  # bits per hash, against 128 listed


def test_round_trip_through_json() -> None:
    bloom = BloomFilter.build(MEMBERS[:100], 0.01)
    again = BloomFilter.from_json(bloom.to_json())
    assert again == bloom
    assert bloom.to_json()["fp_rate"] == pytest.approx(0.01, rel=0.2)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"k": 1000}, id="k-too-large"),
        pytest.param({"m": 8}, id="m-not-the-bit-length"),
        pytest.param({"bits": "@@"}, id="bits-not-base64"),
        pytest.param({"k": "x"}, id="k-not-a-number"),
    ],
)
def test_hostile_parameters_are_refused(change: dict[str, object]) -> None:
    value = {**BloomFilter.build(MEMBERS[:100], 0.01).to_json(), **change}
    with pytest.raises(ValueError, match="Bloom filter"):
        BloomFilter.from_json(value)


def test_bloom_index_answers_like_the_exact_one_for_revoked_entries() -> None:
    kid = b"\x07" * 8
    revoked = [Revoked(f"URN:UVCI:01:TW:{n}#A", "TW", kid, os.urandom(64)) for n in range(500)]
    index = BloomRevocationIndex(bloom_by_kid(revoked, 0.001))
    assert all(
        index.is_revoked(kid=kid, uvci=r.uvci, country="TW", signature=r.signature) for r in revoked
    )
    assert not index.is_revoked(kid=b"\x08" * 8, uvci=revoked[0].uvci, country="TW", signature=b"")
    false_hits = sum(
        index.is_revoked(
            kid=kid, uvci=f"URN:UVCI:01:TW:OK{n}", country="TW", signature=os.urandom(64)
        )
        for n in range(5000)
    )
    assert false_hits <= 5000 * 3 * 0.001 * 2  # three hashes probed per check
