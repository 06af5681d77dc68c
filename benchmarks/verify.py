"""Verifier throughput against a raw ECDSA P-256 verify measured in the same run.

Run: ``/work/venv/bin/python benchmarks/verify.py [--rounds 7] [--seconds 0.4]``

The machine is shared and noisy, so variants are interleaved round by round and each
figure is reported as median and min-max, beside its ratio to the raw verify rate of
the same round (PERFORMANCE.md). Input is Taiwan's real test-environment vaccination
QR with its DSC (golden vector), so the payload size is a real one.

Variants (verifications per second):
- raw ECDSA P-256 verify (cryptography/OpenSSL, DER signature over the same bytes);
- pipeline up to the signature (prefix, Base45, zlib, COSE/CWT, signature);
- full check() (all steps incl. schema; no rules, no revocation);
- full check() + EU business rules (DE rule set) + JSON out, as ``vaxx verify --batch`` does;
- picture to text: a clean QR PNG, and a 1280x960 phone-like photo (rotated, blurred, noisy);
- HTTP (skip with ``--no-http``): the real server (``vaxx serve``, one uvicorn worker, SQLite,
  temporary data dir) answering ``POST /verifier/verify`` for a certificate it issued, beside
  ``GET /healthz`` of the same server, 16 concurrent connections, alternating rounds;
  requests per second and p99 latency. The load generator shares the machine's two cores.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import qrcode
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from PIL import Image, ImageFilter

from verifier import InMemoryTrustStore, Policy, RuleSet, check
from verifier._internal import base45, cose, cwt, inflate, picture
from verifier.pipeline import _check_signature

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared/standards/taiwan-ig/tw-dcc-samples"
RULES = Path(__file__).resolve().parents[1].parent / "shared/conformance/business-rules/DE"
NOW = datetime(2022, 3, 1, tzinfo=UTC)


def interleaved_rates(
    variants: dict[str, Callable[[], object]], seconds: float
) -> dict[str, float]:
    """Calls per second of each variant, alternating small batches so all see the same noise."""
    spent = dict.fromkeys(variants, 0.0)
    calls = dict.fromkeys(variants, 0)
    deadline = time.perf_counter() + seconds * len(variants)
    while time.perf_counter() < deadline:
        for name, action in variants.items():
            batch = 2 if "photo" in name or "PNG" in name else 10
            start = time.perf_counter()
            for _ in range(batch):
                action()
            spent[name] += time.perf_counter() - start
            calls[name] += batch
    return {name: calls[name] / spent[name] for name in variants}


def phone_photo(qr: str) -> bytes:
    """A 1280x960 JPEG of a QR at an angle, blurred and noisy, like a phone snapshot."""
    code = qrcode.make(qr).get_image().convert("L").resize((620, 620))
    canvas = Image.new("L", (1280, 960), 200)
    canvas.paste(code.rotate(11, expand=True, fillcolor=200), (300, 120))
    canvas = canvas.filter(ImageFilter.GaussianBlur(1.1))
    rng = random.Random(7)  # noqa: S311 - reproducible noise, not security
    pixels = canvas.load()
    assert pixels is not None
    for _ in range(60_000):
        x, y = rng.randrange(1280), rng.randrange(960)
        pixels[x, y] = max(0, min(255, int(pixels[x, y]) + rng.randint(-60, 60)))  # type: ignore[arg-type]
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=80)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=0.4)
    parser.add_argument("--no-http", dest="http", action="store_false")
    options = parser.parse_args()

    dsc = (SAMPLES / "TW-TST-DSC.pem").read_bytes()
    trust = InMemoryTrustStore.from_certificates([dsc])
    qr = (SAMPLES / "VAC.hc1.txt").read_text().strip()
    rules = Policy(country="DE", rules=RuleSet.from_paths([RULES]))
    key = ec.generate_private_key(ec.SECP256R1())
    message = b"x" * 300
    der_signature = key.sign(message, ec.ECDSA(hashes.SHA256()))
    public = key.public_key()
    clean_png = io.BytesIO()
    qrcode.make(qr).get_image().save(clean_png, format="PNG")
    photo = phone_photo(qr)
    assert check(qr, trust=trust, now=NOW).valid
    assert picture.read_qr(clean_png.getvalue()) == qr
    assert picture.read_qr(photo) == qr

    def up_to_signature() -> object:
        sign1 = cose.parse(inflate.inflate(base45.decode(qr[4:])))
        cwt.parse_claims(sign1.payload)
        return _check_signature(trust, sign1)

    variants: dict[str, Callable[[], object]] = {
        "raw ECDSA P-256 verify": lambda: public.verify(
            der_signature, message, ec.ECDSA(hashes.SHA256())
        ),
        "pipeline to signature": up_to_signature,
        "full check()": lambda: check(qr, trust=trust, now=NOW),
        "full + DE rules + JSON": lambda: json.dumps(
            check(qr, trust=trust, now=NOW, policy=rules).to_dict()
        ),
        "clean PNG -> text": lambda: picture.read_qr(clean_png.getvalue()),
        "1280x960 photo -> text": lambda: picture.read_qr(photo),
    }
    rates: dict[str, list[float]] = {name: [] for name in variants}
    ratios: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(options.rounds):
        round_rates = interleaved_rates(variants, options.seconds)
        for name, value in round_rates.items():
            rates[name].append(value)
            ratios[name].append(value / round_rates["raw ECDSA P-256 verify"])
    print(
        f"{'variant':26} {'per second (median, min-max)':>32} {'ms each':>9} {'x raw verify':>20}"
    )
    for name in variants:
        median = statistics.median(rates[name])
        ratio = statistics.median(ratios[name])
        print(
            f"{name:26} {median:12.0f} ({min(rates[name]):7.0f}-{max(rates[name]):7.0f})"
            f" {1000 / median:9.3f} {ratio:8.3f} ({min(ratios[name]):.2f}-{max(ratios[name]):.2f})"
        )
    batch_benchmark(qr, statistics.median(rates["raw ECDSA P-256 verify"]))
    if options.http:
        http_benchmark(options.rounds, options.seconds * 3)
    print(
        "targets: pipeline to signature >= 0.5x, full --batch >= 0.33x,"
        " clean PNG <= 2 ms, photo <= 25 ms"
    )


def _batch_seconds(qr: str, lines: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        batch = Path(folder) / "batch.txt"
        batch.write_text((qr + "\n") * lines)
        command = [sys.executable, "-m", "vaxx", "verify", "--batch", str(batch),
                   "--trust-cert", str(SAMPLES / "TW-TST-DSC.pem"), "--at", NOW.isoformat(),
                   "--policy", "TW-booster"]  # fmt: skip
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)  # noqa: S603
        elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(b'"verdict": "valid"') == lines
    return elapsed


def batch_benchmark(qr: str, raw_rate: float, lines: int = 2000) -> None:
    """The real ``vaxx verify --batch`` (all steps, TW policy, JSON Lines) in a subprocess.

    Run with N and 2N lines: the difference is the per-line cost without start-up (the
    ``vaxx`` CLI imports every domain package, about 2 s here).
    """
    single, double = _batch_seconds(qr, lines), _batch_seconds(qr, 2 * lines)
    marginal = lines / (double - single)
    print(
        f"vaxx verify --batch        {marginal:12.0f} lines/s without start-up"
        f" ({single - lines / marginal:.2f} s start-up) {marginal / raw_rate:.3f}x raw verify"
    )


REQUEST = (
    Path(__file__).resolve().parents[1].parent / "shared/examples/issue-vaccination-request.json"
)


def _vaxx(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "vaxx", *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


async def _load(url: str, seconds: float, **request: object) -> tuple[float, float]:
    """(requests per second, p99 latency in ms) with 16 concurrent connections."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=16)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.request(url=url, **request)  # type: ignore[arg-type]
                assert response.status_code == 200, response.text
                latencies.append(time.perf_counter() - start)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(16)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return len(latencies) / elapsed, 1000 * latencies[int(len(latencies) * 0.99) - 1]


def http_benchmark(rounds: int, seconds: float) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAXX_")}
    env["VAXX_DATA_DIR"] = tempfile.mkdtemp(prefix="vaxx-bench-")
    server = subprocess.Popen(  # noqa: S603 - our own server
        [sys.executable, "-m", "vaxx", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        token = _vaxx(
            env, "clients", "create", "--name", "bench", "--scope", "verifier", "--print-token"
        )
        qr = _vaxx(env, "issue", str(REQUEST))
        verify = {
            "method": "POST",
            "json": {"qr": qr},
            "headers": {"Authorization": f"Bearer {token}"},
        }
        health, verified, p99s = [], [], []
        for _ in range(rounds):
            health.append(asyncio.run(_load(f"{base}/healthz", seconds, method="GET"))[0])
            rate_, p99 = asyncio.run(_load(f"{base}/verifier/verify", seconds, **verify))
            verified.append(rate_)
            p99s.append(p99)
    finally:
        server.terminate()
        server.wait(timeout=20)
    ratios = [v / h for v, h in zip(verified, health, strict=True)]
    spread = f"({min(health):.0f}-{max(health):.0f})"
    print(f"HTTP GET /healthz          {statistics.median(health):12.0f} req/s {spread}")
    print(
        f"HTTP POST /verifier/verify {statistics.median(verified):12.0f} req/s "
        f"({min(verified):.0f}-{max(verified):.0f}), p99 {statistics.median(p99s):.1f} ms, "
        f"{statistics.median(ratios):.3f}x /healthz ({min(ratios):.2f}-{max(ratios):.2f})"
    )


if __name__ == "__main__":
    main()
