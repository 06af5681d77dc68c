"""EU revocation hashes and the sorted offline form."""

from __future__ import annotations

import base64
import hashlib
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.trust_list.simulator import Revoked
from trust_list.revocation import (
    HashType,
    RevocationIndex,
    SortedHashes,
    country_uci_hash,
    group_by_kid,
    signature_hash,
    uci_hash,
)

KID = b"\x01" * 8


def test_ecdsa_signature_hash_covers_r_only_so_s_malleability_does_not_escape() -> None:
    r, s = os.urandom(32), os.urandom(32)
    assert signature_hash(r + s) == hashlib.sha256(r).digest()[:16]
    assert signature_hash(r + bytes(32)) == signature_hash(r + s)


def test_rsa_signature_hash_covers_everything() -> None:
    signature = os.urandom(256)
    assert signature_hash(signature) == hashlib.sha256(signature).digest()[:16]


def test_uci_and_country_uci_hashes() -> None:
    assert uci_hash("URN:UVCI:01:TW:A#1") == hashlib.sha256(b"URN:UVCI:01:TW:A#1").digest()[:16]
    assert country_uci_hash("TW", "X") == hashlib.sha256(b"TWX").digest()[:16]


def test_grouped_by_kid_sorted_and_deduplicated() -> None:
    entries = [Revoked(f"U{n}", "TW", KID, os.urandom(64)) for n in range(50)]
    groups = group_by_kid([*entries, entries[0]])
    blob = base64.b64decode(groups[base64.b64encode(KID).decode()][HashType.UCI])
    assert len(blob) == 50 * 16
    assert SortedHashes(blob).is_sorted()


def test_index_answers_only_for_the_right_kid() -> None:
    entry = Revoked("URN:UVCI:01:TW:Z#9", "TW", KID, os.urandom(64))
    index = RevocationIndex(group_by_kid([entry]))
    assert index.is_revoked(kid=KID, uvci=entry.uvci, country="TW", signature=b"")
    assert not index.is_revoked(kid=b"\x02" * 8, uvci=entry.uvci, country="TW", signature=b"")
    assert len(index) == 3


@given(
    st.sets(st.binary(min_size=16, max_size=16), max_size=200), st.binary(min_size=16, max_size=16)
)
def test_binary_search_agrees_with_membership(hashes: set[bytes], probe: bytes) -> None:
    run = SortedHashes(b"".join(sorted(hashes)))
    assert (probe in run) == (probe in hashes)
    assert all(h in run for h in hashes)


@pytest.mark.parametrize("blob", [b"\x00" * 15, b"\x00" * 33], ids=["short", "ragged"])
def test_ragged_hash_runs_are_refused(blob: bytes) -> None:
    with pytest.raises(ValueError, match="multiple of 16"):
        SortedHashes(blob)


def test_unsorted_run_is_refused_by_the_index() -> None:
    blob = base64.b64encode(b"\x02" * 16 + b"\x01" * 16).decode()
    with pytest.raises(ValueError, match="not strictly sorted"):
        RevocationIndex({base64.b64encode(KID).decode(): {"UCI": blob}})
