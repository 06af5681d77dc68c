"""Issuing throughput on this machine, each figure beside a raw ECDSA P-256 sign timed in the
same run (the machine is noisy; ratios travel, absolute numbers do not).

    python benchmarks/issue.py [--rounds 7] [--batch-ms 60]

Variants run interleaved (the order rotates every round); each round times a batch of
calls per variant. Printed: median and min-max time per call, calls per second, and the
per-round ratio to the raw sign (median, min-max). Also measured: our COSE_Sign1 against
pycose's, and zxing-cpp's QR writer against ``qrcode`` (why the issuer uses neither).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

import profiles
from issuer import hc1, qr
from issuer._internal import cose
from issuer.keys import DccType, KeyStore, LocalSigner

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
RAW = "raw ECDSA P-256 sign"


def _setup() -> tuple[LocalSigner, dict[str, Any], dict[str, Any]]:
    store = KeyStore(Path(tempfile.mkdtemp()) / "keys", b"benchmark")
    store.init(country="TW", now=NOW, development=True)
    signer = store.signer_for(DccType.VACCINATION, NOW)
    assert isinstance(signer, LocalSigner)
    text = resources.files("profiles").joinpath("data", "examples", "vaccination-bundle.json")
    bundle = json.loads(text.read_text("utf-8"))
    record = profiles.parse_bundle(bundle, today=date(2026, 11, 23))
    payload = profiles.to_dcc(
        record, uvci="URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC#X", issuer="CDC"
    )
    return signer, bundle, payload


def _variants(
    signer: LocalSigner, bundle: dict[str, Any], payload: dict[str, Any]
) -> dict[str, Callable[[], object]]:
    expires = hc1.expiry(DccType.VACCINATION, NOW, {"vaccination": 365}, signer)
    key = signer._key  # the raw primitive under the signer
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    claims = cose.cwt_claims(payload, issuer="TW", issued_at=1, expires_at=2)
    sample = hc1.sign(payload, signer=signer, country="TW", issued_at=NOW, expires_at=expires).hc1

    def issue() -> str:
        return hc1.sign(payload, signer=signer, country="TW", issued_at=NOW, expires_at=expires).hc1

    return {
        RAW: lambda: key.sign(claims, ec.ECDSA(hashes.SHA256())),
        "HC1 issue (sign+encode)": issue,
        "HC1 issue + QR PNG": lambda: qr.png(issue()),
        "HC1 issue + QR SVG": lambda: qr.svg(issue()),
        "Bundle -> HC1 (profiles parse + to_dcc + sign)": lambda: hc1.sign(
            profiles.to_dcc(
                profiles.parse_bundle(bundle, today=date(2026, 11, 23)),
                uvci="URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC#X",
                issuer="CDC",
            ),
            signer=signer,
            country="TW",
            issued_at=NOW,
            expires_at=expires,
        ),
        "COSE_Sign1, ours (cbor2)": lambda: cose.sign1(claims, signer),
        "COSE_Sign1, pycose 1.1.0": _pycose(signer, claims),
        "QR PNG (zxing-cpp)": lambda: qr.png(sample),
        "QR SVG (zxing-cpp)": lambda: qr.svg(sample),
        "QR SVG (zxing-cpp's own writer)": lambda: qr._barcode(sample).to_svg(),
        "QR PNG (qrcode 8)": _qrcode_png(sample),
    }


def _pycose(signer: LocalSigner, claims: bytes) -> Callable[[], object]:
    from pycose.algorithms import Es256
    from pycose.headers import KID, Algorithm
    from pycose.keys import EC2Key
    from pycose.messages import Sign1Message

    private = signer._key
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    d = private.private_numbers().private_value.to_bytes(32, "big")
    cose_key = EC2Key(crv="P_256", d=d, optional_params={})

    def run() -> bytes:
        message = Sign1Message(phdr={Algorithm: Es256, KID: signer.kid}, payload=claims)
        message.key = cose_key
        return bytes(message.encode())

    return run


def _qrcode_png(text: str) -> Callable[[], object]:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_Q

    def run() -> bytes:
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=4, box_size=4)
        code.add_data(text)
        code.make(fit=True)
        buffer = io.BytesIO()
        code.make_image().save(buffer)
        return buffer.getvalue()

    return run


def _calibrate(function: Callable[[], object], batch_seconds: float) -> int:
    """Calls per batch so that one batch takes about ``batch_seconds``."""
    function()
    started = time.perf_counter()
    calls = 0
    while time.perf_counter() - started < batch_seconds / 4:
        function()
        calls += 1
    per_call = (time.perf_counter() - started) / calls
    return max(1, round(batch_seconds / per_call))


def _time(function: Callable[[], object], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - started) / calls


def measure(
    variants: dict[str, Callable[[], object]], rounds: int, batch_seconds: float
) -> dict[str, list[tuple[float, float]]]:
    """Per variant and round: (seconds per call, ratio to that round's raw sign)."""
    sizes = {name: _calibrate(f, batch_seconds) for name, f in variants.items()}
    names = list(variants)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for number in range(rounds):
        order = names[number % len(names) :] + names[: number % len(names)]
        seconds = {name: _time(variants[name], sizes[name]) for name in order}
        for name in names:
            results[name].append((seconds[name], seconds[name] / seconds[RAW]))
    return results


def _summary(values: list[float], digits: int) -> str:
    ordered = sorted(values)
    median = statistics.median(ordered)
    return f"{median:.{digits}f} ({ordered[0]:.{digits}f}-{ordered[-1]:.{digits}f})"


def report(results: dict[str, list[tuple[float, float]]]) -> None:
    header = ("variant", "median us", "min-max us", "per s", "x raw sign (min-max)")
    print(f"{header[0]:<50} {header[1]:>10} {header[2]:>17} {header[3]:>8} {header[4]:>24}")
    for name, samples in results.items():
        times = [s * 1e6 for s, _ in samples]
        median = statistics.median(times)
        spread = f"{min(times):.0f}-{max(times):.0f}"
        ratio = _summary([r for _, r in samples], 2)
        print(f"{name:<50} {median:>10.1f} {spread:>17} {1e6 / median:>8.0f} {ratio:>24}")
    print()
    inverse = [1 / r for _, r in results["HC1 issue (sign+encode)"]]
    print(f"raw sign time / HC1 issue time: {_summary(inverse, 2)}; target >= 0.2 (stretch 0.3)")
    png = [r for _, r in results["QR PNG (zxing-cpp)"]]
    print(f"QR PNG time / raw sign time: {_summary(png, 0)}; target <= 200")
    ours = statistics.median(s for s, _ in results["COSE_Sign1, ours (cbor2)"])
    theirs = statistics.median(s for s, _ in results["COSE_Sign1, pycose 1.1.0"])
    print(f"pycose COSE_Sign1 / ours: {theirs / ours:.1f}x")
    zx = statistics.median(s for s, _ in results["QR PNG (zxing-cpp)"])
    qc = statistics.median(s for s, _ in results["QR PNG (qrcode 8)"])
    print(f"qrcode PNG / zxing-cpp PNG: {qc / zx:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch-ms", type=float, default=60.0)
    arguments = parser.parse_args()
    signer, bundle, payload = _setup()
    results = measure(
        _variants(signer, bundle, payload), arguments.rounds, arguments.batch_ms / 1000
    )
    report(results)


if __name__ == "__main__":
    main()
