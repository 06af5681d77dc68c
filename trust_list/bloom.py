"""A Bloom filter over revocation hashes: the smallest offline form, with a stated error.

For ``n`` hashes and a false-positive rate ``p`` it takes ``m = -n ln p / (ln 2)^2`` bits
(1 % -> 9.6 bits, 0.1 % -> 14.4 bits per hash, against 128 bits in the sorted list) and
``k = (m / n) ln 2`` probes. It never misses a revoked certificate; a hit is wrong with
probability about ``p``, so a verifier either accepts that rate in policy or confirms a
hit with the sorted hash list of the same kid (standards README 4.4).

The inputs are already SHA-256 prefixes (uniform), so the probe positions come from the
hash itself by double hashing (Kirsch-Mitzenmacher): ``h1 + i * h2 mod m``.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

HASH_BYTES = 16
MAX_BITS = 1 << 31


@dataclass(frozen=True, slots=True)
class BloomFilter:
    bits: bytes
    k: int
    n: int

    @classmethod
    def build(cls, hashes: Collection[bytes], fp_rate: float) -> BloomFilter:
        if not 0 < fp_rate < 1:
            raise ValueError("the false-positive rate must be between 0 and 1")
        n = max(len(hashes), 1)
        m = max(64, math.ceil(-n * math.log(fp_rate) / math.log(2) ** 2))
        k = max(1, round(m / n * math.log(2)))
        array = bytearray((m + 7) // 8)
        m = len(array) * 8
        for digest in hashes:
            for position in _positions(digest, k, m):
                array[position >> 3] |= 1 << (position & 7)
        return cls(bytes(array), k, len(hashes))

    def __contains__(self, digest: object) -> bool:
        if not isinstance(digest, bytes) or len(digest) != HASH_BYTES:
            return False
        bits, m = self.bits, len(self.bits) * 8
        return all(bits[p >> 3] & (1 << (p & 7)) for p in _positions(digest, self.k, m))

    @property
    def expected_fp_rate(self) -> float:
        """``(1 - e^(-kn/m))^k`` for this filter's actual size."""
        m = len(self.bits) * 8
        return float((1 - math.exp(-self.k * self.n / m)) ** self.k)

    def to_json(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "n": self.n,
            "m": len(self.bits) * 8,
            "fp_rate": round(self.expected_fp_rate, 8),
            "bits": base64.b64encode(self.bits).decode(),
        }

    @classmethod
    def from_json(cls, value: Any) -> BloomFilter:
        """Read one filter; its m and k are bounded (a hostile document cannot make us spin)."""
        try:
            bits = base64.b64decode(value["bits"], validate=True)
            k, n, m = int(value["k"]), int(value["n"]), int(value["m"])
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise ValueError(f"malformed Bloom filter: {exc}") from exc
        if m != len(bits) * 8 or not 0 < m <= MAX_BITS or not 1 <= k <= 64 or n < 0:
            raise ValueError("Bloom filter parameters out of bounds")
        return cls(bits, k, n)


def _positions(digest: bytes, k: int, m: int) -> list[int]:
    h1 = int.from_bytes(digest[:8], "big")
    h2 = int.from_bytes(digest[8:16], "big") | 1
    return [(h1 + i * h2) % m for i in range(k)]
