"""What validating and mapping one Bundle costs, beside a raw ECDSA P-256 verify timed in the
same run (the machine is noisy; ratios travel, absolute numbers do not).

    python benchmarks/profiles_validate.py [--rounds 7] [--batch-ms 60]

Variants run interleaved (the order rotates every round). Printed per variant: median and
min-max microseconds per call, and the median ratio to the raw verify. Also timed:
``jsonschema`` against the compiled ``fastjsonschema`` validator on the same payload (why
``validate_dcc`` uses the latter).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import date
from importlib import resources
from typing import Any

import jsonschema
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

import profiles

BASELINE = "raw ECDSA P-256 verify"


def _inputs() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    data = resources.files("profiles").joinpath("data")
    bundle = json.loads(data.joinpath("examples", "vaccination-bundle.json").read_text("utf-8"))
    schema = json.loads(data.joinpath("schema", "DCC.combined-schema.json").read_text("utf-8"))
    record = profiles.parse_bundle(bundle, today=date(2026, 11, 23))
    payload = profiles.to_dcc(
        record,
        uvci="URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC#X",
        issuer="Centers for Disease Control, Ministry of Health and Welfare",
    )
    return bundle, payload, schema


def _variants() -> dict[str, Callable[[], object]]:
    bundle, payload, schema = _inputs()
    key = ec.generate_private_key(ec.SECP256R1())
    signature = key.sign(b"x" * 300, ec.ECDSA(hashes.SHA256()))
    public = key.public_key()
    checker = jsonschema.Draft202012Validator(schema)
    today = date(2026, 11, 23)
    return {
        BASELINE: lambda: public.verify(signature, b"x" * 300, ec.ECDSA(hashes.SHA256())),
        "parse_bundle (all checks)": lambda: profiles.parse_bundle(bundle, today=today),
        "validate (OperationOutcome)": lambda: profiles.validate(bundle, today=today),
        "validate_dcc (fastjsonschema + value sets)": lambda: profiles.validate_dcc(payload),
        "jsonschema Draft 2020-12 (not used)": lambda: checker.validate(payload),
        "from_dcc": lambda: profiles.from_dcc(payload),
    }


def _time(call: Callable[[], object], batch_ms: float) -> float:
    """Seconds per call over a batch of about ``batch_ms``."""
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < batch_ms / 1000:
        call()
        count += 1
    return elapsed / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch-ms", type=float, default=60.0)
    args = parser.parse_args()
    variants = _variants()
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in names}
    for round_index in range(args.rounds):
        order = names[round_index % len(names) :] + names[: round_index % len(names)]
        this_round = {name: _time(variants[name], args.batch_ms) for name in order}
        for name in names:
            times[name].append(this_round[name])
            ratios[name].append(this_round[name] / this_round[BASELINE])
    for name in names:
        micro = [t * 1e6 for t in times[name]]
        print(
            f"{name:45s} {statistics.median(micro):9.1f} µs "
            f"({min(micro):.1f}-{max(micro):.1f})  "
            f"x{statistics.median(ratios[name]):.2f} of a verify"
        )


if __name__ == "__main__":
    main()
