"""EU DCC test vectors (../shared/conformance/dcc-testdata) against the verifier's steps.

Each ``EXPECTED*`` flag present in a vector is checked against the matching step, with
the vector's own DSC (``TESTCTX.CERTIFICATE``) as the only trusted key and its
``VALIDATIONCLOCK`` as now. A ``false`` flag passes when the step fails or gives
something other than the stage in the file. A table of passed / failed / skipped per
country and flag is printed; any failure outside the documented skip list fails.

Missing inputs: for national vectors a missing ``COMPRESSED``/``COSE`` stage is derived
from ``PREFIX`` by the verifier's own decoders (conformance README 1.3 allows this);
``common/`` vectors are never derived, because there the defect sits in the named field.
Flags whose inputs are still missing are counted as "n/a", not as passes. Issuer-side
flags (``EXPECTEDENCODE``, ``EXPECTEDVALIDOBJECT``) are not verifier steps: not counted.

Documented skips (conformance README 1.7, data shown wrong by the spec):
- NL/* SCHEMAVALIDATION: flags match no schema release (upstream issue 107).
- BG/1, BG/2 SCHEMAVALIDATION: ``"t": null`` / ``"r": null`` fail every release (issue 298).
- HU/3 SCHEMAVALIDATION: ``tc`` longer than the 80 characters the schema allows (issue 340).
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from verifier import InMemoryTrustStore, Policy, TrustedDsc, check, schema
from verifier._internal import base45, cbor, cose, cwt, inflate, picture
from verifier.errors import VerificationError
from verifier.pipeline import DEFAULT_SKEW, _check_expiry, _check_key_usage, _check_signature

ROOT = Path(__file__).resolve().parents[2].parent / "shared/conformance/dcc-testdata"
FLAGS = (
    "PICTUREDECODE", "UNPREFIX", "B45DECODE", "COMPRESSION", "VERIFY", "DECODE",
    "VALIDJSON", "SCHEMAVALIDATION", "EXPIRATIONCHECK", "KEYUSAGE",
)  # fmt: skip
SKIPS = {
    ("NL", "SCHEMAVALIDATION"): "NL schema flags match no schema release (upstream issue 107)",
    ("BG/1", "SCHEMAVALIDATION"): "t/r set to null, no schema release accepts it (issue 298)",
    ("BG/2", "SCHEMAVALIDATION"): "t/r set to null, no schema release accepts it (issue 298)",
    ("HU/3", "SCHEMAVALIDATION"): "tc longer than the schema's 80 characters (issue 340)",
}
_CLOCK = re.compile(r"(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?")


class NotApplicable(Exception):
    """The vector lacks the inputs this flag needs."""


def parse_clock(text: str) -> datetime:
    """VALIDATIONCLOCK in every spelling the data uses (README 1.4); no offset = UTC."""
    match = _CLOCK.fullmatch(text.strip())
    assert match, text
    stamp, fraction, offset = match.groups()
    moment = datetime.fromisoformat(stamp + "." + (fraction or "0")[:6].ljust(6, "0"))
    if offset in (None, "Z"):
        return moment.replace(tzinfo=UTC)
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment.replace(tzinfo=timezone(-delta if offset[0] == "-" else delta))


def same(a: Any, b: Any) -> bool:
    """Semantic equality: unordered maps, date-time strings compared as instants."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str) and a != b and "T" in a and "T" in b:
        try:
            return parse_clock(a) == parse_clock(b)
        except (AssertionError, ValueError):
            return False
    return a == b and type(a) is type(b)


class Vector:
    def __init__(self, path: Path) -> None:
        self.data = json.loads(path.read_text())
        parts = path.relative_to(ROOT).parts
        self.country = parts[0]
        self.name = f"{parts[0]}/{path.stem}"
        self.common = parts[0] == "common"
        self.expected: dict[str, bool] = {
            key.removeprefix("EXPECTED"): value
            for key, value in self.data["EXPECTEDRESULTS"].items()
        }

    def field(self, name: str) -> Any:
        if name not in self.data:
            raise NotApplicable(name)
        return self.data[name]

    def hex(self, name: str) -> bytes:
        if name in self.data:
            return bytes.fromhex(self.data[name])
        if self.common or "PREFIX" not in self.data:
            raise NotApplicable(name)
        compressed = base45.decode(self.data["PREFIX"].removeprefix("HC1:"))
        return compressed if name == "COMPRESSED" else inflate.inflate(compressed)

    def key(self) -> TrustedDsc:
        return TrustedDsc.from_bytes(base64.b64decode(self.field("TESTCTX")["CERTIFICATE"]))

    def now(self) -> datetime:
        return parse_clock(self.field("TESTCTX")["VALIDATIONCLOCK"])

    def claims(self) -> cwt.Claims:
        return cwt.parse_claims(cose.parse(self.hex("COSE")).payload)

    def dcc(self) -> dict[str, Any]:
        try:
            return self.claims().dcc
        except NotApplicable:
            return self.cbor_dcc() if "CBOR" in self.data else dict(self.field("JSON"))

    def cbor_dcc(self) -> dict[str, Any]:
        try:
            decoded = cbor.loads(bytes.fromhex(self.field("CBOR")))
        except cbor.CborError as exc:
            raise VerificationError(str(exc)) from exc
        if isinstance(decoded, dict) and -260 in decoded:
            return cwt.parse_claims(bytes.fromhex(self.data["CBOR"])).dcc
        return cwt._to_json(decoded)  # type: ignore[no-any-return]


def step_picture(v: Vector) -> bool:
    return picture.read_qr(base64.b64decode(v.field("2DCODE"))) == v.field("PREFIX")


def step_unprefix(v: Vector) -> bool:
    prefix, expected = v.field("PREFIX"), v.field("BASE45")
    return prefix.startswith("HC1:") and prefix[4:] == expected


def step_b45(v: Vector) -> bool:
    return base45.decode(v.field("BASE45")) == v.hex("COMPRESSED")


def step_compression(v: Vector) -> bool:
    return inflate.inflate(v.hex("COMPRESSED")) == v.hex("COSE")


def step_verify(v: Vector) -> bool:
    sign1 = cose.parse(v.hex("COSE"))
    return _check_signature(InMemoryTrustStore([v.key()]), sign1) is not None


def step_decode(v: Vector) -> bool:
    if v.common and "COSE" not in v.data:
        return same(v.cbor_dcc(), v.field("JSON"))
    dcc = v.claims().dcc
    checks = [same(dcc, v.data["JSON"])] if "JSON" in v.data else []
    if "CBOR" in v.data:
        checks.append(same(dcc, v.cbor_dcc()))
    if not checks:
        raise NotApplicable("JSON/CBOR")
    return all(checks)


def step_valid_json(v: Vector) -> bool:
    return same(v.cbor_dcc(), v.field("JSON"))


def step_schema(v: Vector) -> bool:
    return schema.validate_dcc(v.dcc()) in ("v", "t", "r")


def step_expiry(v: Vector) -> bool:
    _check_expiry(v.claims(), v.key(), v.now(), DEFAULT_SKEW)
    return True


def step_key_usage(v: Vector) -> bool:
    _check_key_usage(v.key(), v.claims().dcc)
    return True


STEPS: dict[str, Callable[[Vector], bool]] = dict(
    zip(FLAGS, (step_picture, step_unprefix, step_b45, step_compression, step_verify, step_decode,
                step_valid_json, step_schema, step_expiry, step_key_usage), strict=True)
)  # fmt: skip


def outcome(vector: Vector, flag: str) -> str:
    """'pass', 'fail', 'skip' or 'n/a' for one flag of one vector."""
    for key in ((vector.name, flag), (vector.country, flag)):
        if key in SKIPS:
            return "skip"
    try:
        succeeded = STEPS[flag](vector)
    except NotApplicable:
        return "n/a"
    except VerificationError:
        succeeded = False
    return "pass" if succeeded == vector.expected[flag] else "fail"


def vectors() -> list[Vector]:
    return [
        Vector(path)
        for path in sorted(ROOT.rglob("*.json"))
        if "EXPECTEDRESULTS" in path.read_text()
    ]


@pytest.fixture(scope="module")
def all_vectors(shared_dir: Path) -> list[Vector]:
    found = vectors()
    assert len(found) == 441
    return found


def test_every_expectation_of_every_vector(all_vectors: list[Vector]) -> None:
    table: Counter[tuple[str, str, str]] = Counter()
    failures = []
    for vector in all_vectors:
        for flag in FLAGS:
            if flag in vector.expected:
                result = outcome(vector, flag)
                table[(vector.country, flag, result)] += 1
                if result == "fail":
                    failures.append(f"{vector.name} {flag} expected {vector.expected[flag]}")
    _print_table(table)
    assert not failures, "\n".join(failures)


def _print_table(table: Counter[tuple[str, str, str]]) -> None:
    totals: Counter[tuple[str, str]] = Counter()
    print(
        "\ndcc-testdata per country: passed / failed / skipped (documented) / n/a (inputs missing)"
    )
    for country in sorted({key[0] for key in table}):
        row = {
            r: sum(n for (c, _, res), n in table.items() if c == country and res == r)
            for r in ("pass", "fail", "skip", "n/a")
        }
        print(f"  {country:7} {row['pass']:4} / {row['fail']} / {row['skip']:3} / {row['n/a']}")
    for (_, flag, result), count in table.items():
        totals[(flag, result)] += count
    print("per expectation:")
    for flag in FLAGS:
        cells = ", ".join(
            f"{r} {totals[(flag, r)]}" for r in ("pass", "fail", "skip", "n/a") if totals[(flag, r)]
        )
        print(f"  {flag:17} {cells}")
    for (scope, flag), reason in SKIPS.items():
        print(f"  skip {scope} {flag}: {reason}")


def test_whole_pipeline_accepts_every_all_true_vector(all_vectors: list[Vector]) -> None:
    """End to end: check() says valid where the crypto, time and schema flags are all true.

    Vectors that do not state EXPIRATIONCHECK are left out: BG/4, for one, was issued
    before its DSC's notBefore, which the pipeline rightly refuses but no flag covers.
    """
    checked = 0
    needed = ("VERIFY", "EXPIRATIONCHECK", "KEYUSAGE")
    for vector in all_vectors:
        if vector.common or not all(vector.expected.values()) or "PREFIX" not in vector.data:
            continue
        if not all(flag in vector.expected for flag in needed):
            continue
        if any((scope, flag) in SKIPS for scope in (vector.name, vector.country) for flag in FLAGS):
            continue
        result = check(
            vector.data["PREFIX"],
            trust=InMemoryTrustStore([vector.key()]),
            now=vector.now(),
            policy=Policy(),
        )
        assert result.valid, (vector.name, [s for s in result.steps if s.ok is False])
        checked += 1
    print(f"\nwhole pipeline: {checked} all-true national vectors valid end to end")
    assert checked >= 40
