"""Trust list at scale: 10,000 DSCs and 1,000,000 revoked hashes (issue #6).

    /work/venv/bin/python benchmarks/trust_list.py [--dscs 10000] [--hashes 1000000]

One-shot steps (build, sign, serve, download + verify) print wall time, document size
and the tracemalloc peak. Per-lookup steps print the median and min-max over rounds in
microseconds, with each figure's ratio to a raw ECDSA P-256 verify timed in the same
round (PERFORMANCE.md: the machine is noisy, ratios travel). Baselines measured in the
same run: a linear scan for kid lookup and for the revocation check, and the revocation
check on a list 100 times smaller (log growth, not linear).
"""

# ruff: noqa: E402 - the sys.path fix below must run before the trust_list imports

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path and its own name would
# shadow the trust_list package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import base64
import hashlib
import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from trust_list import keys, service
from trust_list._internal import jws
from trust_list.client import FetchResponse, TrustListClient
from trust_list.deps import get_revocation_source
from trust_list.revocation import BloomRevocationIndex, RevocationIndex
from vaxx import db
from vaxx.app import create_app
from vaxx.settings import Settings

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BASE = "http://testserver"


@dataclass(frozen=True)
class Revoked:
    uvci: str
    country: str
    kid: bytes
    signature: bytes
    revoked_at: datetime
    expires_at: datetime | None = None


@contextmanager
def step(label: str, size: Callable[[], int] | None = None) -> Iterator[None]:
    """Wall time, and the process's peak RSS so far (a high-water mark; a step that stays
    below an earlier peak shows that peak). tracemalloc is not used: it slows
    allocation-heavy steps several fold."""
    before = peak_rss_mb()
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    peak = peak_rss_mb()
    extra = f", document {size() / 1e6:6.1f} MB" if size else ""
    print(f"{label:<52} {elapsed:7.2f} s, peak RSS {peak:5.0f} MB (+{peak - before:4.0f}){extra}")


def peak_rss_mb() -> float:
    """VmHWM of this process (Linux; reset by exec, unlike ru_maxrss which a child inherits)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_pki(count: int) -> tuple[bytes, list[dict[str, str]]]:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name("CSCA"))
        .issuer_name(_name("CSCA"))
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - timedelta(days=30))
        .not_valid_after(NOW + timedelta(days=1400))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    csca = builder.sign(key, hashes.SHA256())
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key())
    items = []
    for serial in range(2, count + 2):
        dsc_key = ec.generate_private_key(ec.SECP256R1())
        dsc = (
            x509.CertificateBuilder()
            .subject_name(_name(f"DSC {serial}"))
            .issuer_name(_name("CSCA"))
            .public_key(dsc_key.public_key())
            .serial_number(serial)
            .not_valid_before(NOW - timedelta(days=1))
            .not_valid_after(NOW + timedelta(days=700))
            .add_extension(
                x509.KeyUsage(True, False, False, False, False, False, False, False, False), True
            )
            .add_extension(aki, False)
            .sign(key, hashes.SHA256())
        )
        der = dsc.public_bytes(Encoding.DER)
        items.append(
            {
                "kid": base64.b64encode(hashlib.sha256(der).digest()[:8]).decode(),
                "country": "TW",
                "certificateType": "DSC",
                "rawData": base64.b64encode(der).decode(),
            }
        )
    return csca.public_bytes(Encoding.DER), items


def make_revocations(hashes_wanted: int, kids: list[bytes]) -> list[Revoked]:
    """Three hashes per certificate, so hashes_wanted / 3 certificates over the kids."""
    count = hashes_wanted // 3
    return [
        Revoked(
            f"URN:UVCI:01:TW:{n:020d}#X",
            "TW",
            kids[n % len(kids)],
            hashlib.sha512(n.to_bytes(8, "big")).digest(),
            NOW,
        )
        for n in range(count)
    ]


def median_us(
    action: Callable[[], object], calls: int, rounds: int, unit: Callable[[], float]
) -> str:
    times, ratios = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            action()
        per_call = (time.perf_counter() - started) / calls
        times.append(per_call * 1e6)
        ratios.append(per_call / unit())
    return (
        f"{statistics.median(times):9.2f} µs ({min(times):.2f}-{max(times):.2f}), "
        f"{statistics.median(ratios):6.3f}x an ECDSA verify"
    )


def ecdsa_verify_seconds() -> float:
    key = ec.generate_private_key(ec.SECP256R1())
    signature = key.sign(b"x", ec.ECDSA(hashes.SHA256()))
    public = key.public_key()
    started = time.perf_counter()
    for _ in range(200):
        public.verify(signature, b"x", ec.ECDSA(hashes.SHA256()))
    return (time.perf_counter() - started) / 200


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dscs", type=int, default=10_000)
    parser.add_argument("--hashes", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vaxx-bench-"))
    settings = Settings(
        data_dir=work, database_url=f"sqlite:///{work / 'bench.sqlite3'}", _env_file=None
    )  # type: ignore[call-arg]
    db.upgrade(settings.resolved_database_url)
    anchor = keys.generate_keys(settings, NOW)
    print(f"{args.dscs} DSCs, {args.hashes} revoked hashes, cpu count {os.cpu_count()}")

    with step(f"generate {args.dscs} DSC certificates (setup)"):
        csca, items = make_pki(args.dscs)
    app = create_app(settings, clock=lambda: NOW)
    factory = app.state.sessionmaker
    with (
        step("registry: chain-check + store every DSC (import)"),
        db.transaction(factory) as session,
    ):
        service.add_csca(session, csca, now=NOW, actor="bench")
        report = service.import_gateway_list(session, orjson.dumps(items), now=NOW, actor="bench")
    assert len(report.accepted) == args.dscs, report.rejected
    kids = [base64.b64decode(i["kid"]) for i in items]
    revoked = make_revocations(args.hashes, kids[:200])
    app.dependency_overrides[get_revocation_source] = lambda: (
        lambda s, since: revoked if since is None else [r for r in revoked if r.revoked_at > since]
    )
    http = TestClient(app)
    body: dict[str, bytes] = {}
    with step("trust list: build + sign (first GET)", lambda: len(body["t"])):
        body["t"] = http.get("/trust-list").content
    with step("trust list: serve the stored document (10 GETs)"):
        for _ in range(10):
            http.get("/trust-list")
    with step("revocations: hash + build + sign (first GET)", lambda: len(body["r"])):
        body["r"] = http.get("/trust-list/revocations").content
    with step("revocations as Bloom filters (0.1 %): build + sign", lambda: len(body["b"])):
        body["b"] = http.get("/trust-list/revocations/bloom").content

    def fetch(url: str, headers: Mapping[str, str], max_bytes: int) -> FetchResponse:
        response = http.get(url.removeprefix(BASE), headers=dict(headers))
        return FetchResponse(response.status_code, response.content, response.headers.get("etag"))

    client = TrustListClient(BASE, anchor, work / "cache", fetch=fetch, max_bytes=256 * 2**20)
    with step("client: download + verify + cache both documents"):
        client.refresh(NOW)
    data: dict[str, Any] = {}
    with step("client: load from cache, re-verify, index (offline)"):
        data["d"] = client.load(NOW)
    trust = data["d"]
    (work / "anchor.der").write_bytes(anchor.public_bytes(Encoding.DER))
    fresh = subprocess.run(  # noqa: S603 - our own interpreter and fixed code
        [sys.executable, "-c", VERIFIER_PROCESS, str(work)],
        capture_output=True,
        text=True,
        check=True,
    )
    print(fresh.stdout.strip())
    print(f"loaded {trust.key_count} keys, {trust.revoked_hash_count} revoked hashes")
    time_lookups(trust, kids, revoked, args.rounds, body["b"])


VERIFIER_PROCESS = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from cryptography import x509
from trust_list.client import TrustListClient
def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
work = Path(sys.argv[1])
anchor = x509.load_der_x509_certificate((work / "anchor.der").read_bytes())
client = TrustListClient("http://x", anchor, work / "cache", max_bytes=256 * 2**20)
before, started = hwm(), time.perf_counter()
client.load(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
elapsed = time.perf_counter() - started
print(f"verifier process (imports only trust_list): load cache, re-verify, index {elapsed:.2f} s,"
      f" peak RSS {hwm():.0f} MB (+{hwm() - before:.0f} over {before:.0f} after imports)")
"""
"""A verifier's view: a fresh process that imports only trust_list loads the cache."""


def time_lookups(
    trust: Any, kids: list[bytes], revoked: list[Revoked], rounds: int, body_bloom: bytes
) -> None:
    unit = ecdsa_verify_seconds
    probe_kid = kids[len(kids) // 2]
    flat = [(k.kid, k) for k in trust._keys.values() for k in k]
    print(
        "kid lookup (dict)              ",
        median_us(lambda: trust.keys_for(probe_kid), 20_000, rounds, unit),
    )
    print(
        "kid lookup, linear-scan baseline",
        median_us(lambda: [k for kid, k in flat if kid == probe_kid], 20, rounds, unit),
    )
    target = revoked[len(revoked) // 2]
    miss = dict(
        kid=target.kid, uvci="URN:UVCI:01:TW:NOT-REVOKED#Z", country="TW", signature=b"q" * 64
    )
    hit = dict(kid=target.kid, uvci=target.uvci, country="TW", signature=target.signature)
    print(
        "revocation check, hit          ",
        median_us(lambda: trust.is_revoked(**hit), 5_000, rounds, unit),
    )
    print(
        "revocation check, miss         ",
        median_us(lambda: trust.is_revoked(**miss), 5_000, rounds, unit),
    )
    bloom_doc = orjson.loads(jws.b64url_decode(orjson.loads(body_bloom)["payload"]))
    bloom = BloomRevocationIndex(bloom_doc["kids"])
    print(
        "revocation check, miss, Bloom form",
        median_us(lambda: bloom.is_revoked(**miss), 5_000, rounds, unit),
    )
    small = RevocationIndex(_grouped(revoked[: len(revoked) // 100]))
    print(
        "revocation check, miss, 1/100 list",
        median_us(lambda: small.is_revoked(**miss), 5_000, rounds, unit),
    )
    hashes_list = [hashlib.sha256(r.uvci.encode()).digest()[:16] for r in revoked]
    wanted = hashlib.sha256(miss["uvci"].encode()).digest()[:16]  # type: ignore[attr-defined]
    print(
        "revocation check, linear-scan baseline",
        median_us(lambda: wanted in hashes_list, 3, rounds, unit),
    )


def _grouped(entries: list[Revoked]) -> dict[str, dict[str, str]]:
    from trust_list.revocation import group_by_kid

    return group_by_kid(entries)


if __name__ == "__main__":
    main()
