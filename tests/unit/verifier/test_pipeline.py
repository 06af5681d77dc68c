"""The eleven steps: each failure has its own class, code and verdict; results disclose little."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import verifier
from tests.unit.verifier.conftest import NOW, SPEC_EKU, VACCINATION, Signer, make_signer
from vaxx.errors import InputError
from verifier import InMemoryTrustStore, Policy, RuleSet, Step, Verdict, check, verify
from verifier import errors as e
from verifier.rules import EXAMPLE_RULE, Rule


def failing_step(result: verifier.VerificationResult) -> tuple[str, str]:
    failed = [outcome for outcome in result.steps if outcome.ok is False]
    assert len(failed) == 1
    return failed[0].step.value, failed[0].code


def test_valid_certificate_passes_every_configured_step(
    signer: Signer, trust: InMemoryTrustStore
) -> None:
    result = verify(signer.hc1(), trust=trust, now=NOW)
    assert result.valid
    assert result.verdict is Verdict.VALID
    assert [(o.step.value, o.ok) for o in result.steps] == [
        ("picture", None), ("prefix", True), ("base45", True), ("decompress", True), ("cose", True),
        ("signature", True), ("key_usage", True), ("expiry", True), ("schema", True),
        ("revocation", None), ("rules", None),
    ]  # fmt: skip
    assert result.certificate_type == "vaccination"
    assert result.kid_source == "protected"
    assert result.algorithm == "ES256"


def test_result_discloses_only_what_a_checker_needs(
    signer: Signer, trust: InMemoryTrustStore
) -> None:
    body = check(signer.hc1(), trust=trust, now=NOW).to_dict()
    assert body["holder"] == {
        "family_name": "林", "given_name": "美華", "family_name_transliterated": "LIN",
        "given_name_transliterated": "MEI<HUA", "date_of_birth": "1990-01-02",
    }  # fmt: skip
    assert body["facts"]["dose"] == "2/2"
    text = repr(body)
    assert "URN:UVCI" not in text
    assert "Centers for Disease Control" not in text


def test_nothing_disclosed_when_the_signature_fails(
    signer: Signer, trust: InMemoryTrustStore
) -> None:
    result = check(signer.hc1(tamper=True), trust=trust, now=NOW)
    assert failing_step(result) == ("signature", "signature_invalid")
    assert result.holder is None
    assert result.facts == ()


def _hc1_variants(signer: Signer) -> dict[str, tuple[str, type[e.VerificationError], Verdict]]:
    dcc_two_types = copy.deepcopy(VACCINATION) | {"t": [{"tg": "840539006"}]}
    return {
        "prefix": ("HC2:" + signer.hc1()[4:], e.PrefixInvalid, Verdict.INVALID),
        "base45": ("HC1:abc", e.Base45Invalid, Verdict.INVALID),
        "decompress": ("HC1:" + "NCF", e.DecompressFailed, Verdict.INVALID),
        "alg": (signer.hc1(alg=-35), e.AlgorithmNotAllowed, Verdict.INVALID),
        "tampered": (signer.hc1(tamper=True), e.SignatureInvalid, Verdict.INVALID),
        "expired": (
            signer.hc1(exp=NOW - timedelta(hours=1)),
            e.CertificateExpired,
            Verdict.INVALID,
        ),
        "future": (
            signer.hc1(iat=NOW + timedelta(hours=1)),
            e.CertificateNotYetValid,
            Verdict.INVALID,
        ),
        "after-dsc": (
            signer.hc1(exp=NOW + timedelta(days=1000)),
            e.SignerCertificateInvalid,
            Verdict.INVALID,
        ),
        "schema": (signer.hc1({"ver": "1.3.0", "v": [{}]}), e.SchemaInvalid, Verdict.INVALID),
        "two-types": (signer.hc1(dcc_two_types), e.SchemaInvalid, Verdict.INVALID),
    }


@pytest.mark.parametrize(
    "case",
    [
        "prefix",
        "base45",
        "decompress",
        "alg",
        "tampered",
        "expired",
        "future",
        "after-dsc",
        "schema",
        "two-types",
    ],
)
def test_each_failure_raises_its_own_error(
    signer: Signer, trust: InMemoryTrustStore, case: str
) -> None:
    qr, error, verdict = _hc1_variants(signer)[case]
    with pytest.raises(error) as raised:
        verify(qr, trust=trust, now=NOW)
    result = check(qr, trust=trust, now=NOW)
    assert result.verdict is verdict
    assert failing_step(result) == (raised.value.step, raised.value.code)
    assert isinstance(raised.value, e.VerificationError)


def test_unknown_kid_cannot_verify(signer: Signer) -> None:
    other = InMemoryTrustStore([make_signer().dsc])
    with pytest.raises(e.UnknownKid):
        verify(signer.hc1(), trust=other, now=NOW)
    assert check(signer.hc1(), trust=other, now=NOW).verdict is Verdict.CANNOT_VERIFY


def test_keys_sharing_a_kid_are_all_tried(signer: Signer) -> None:
    impostor = make_signer().dsc
    clash = type(impostor)(
        signer.dsc.kid, "TW", impostor.certificate_types, impostor.certificate, impostor.public_key
    )
    assert verify(signer.hc1(), trust=InMemoryTrustStore([clash, signer.dsc]), now=NOW).valid
    with pytest.raises(e.SignatureInvalid, match="1 key"):
        verify(signer.hc1(), trust=InMemoryTrustStore([clash]), now=NOW)


def test_ps256_verifies_and_algorithm_must_match_key_type() -> None:
    rsa_signer = make_signer(rsa_key=True)
    trust = InMemoryTrustStore([rsa_signer.dsc])
    assert verify(rsa_signer.hc1(), trust=trust, now=NOW).algorithm == "PS256"
    with pytest.raises(e.SignatureInvalid):
        verify(rsa_signer.hc1(alg=-7), trust=trust, now=NOW)


def test_kid_from_unprotected_header_is_reported(signer: Signer, trust: InMemoryTrustStore) -> None:
    qr = signer.hc1(protected={1: -7}, unprotected={4: signer.dsc.kid})
    result = verify(qr, trust=trust, now=NOW)
    assert result.kid_source == "unprotected"
    assert result.step(Step.SIGNATURE).message == "kid from unprotected header"


@pytest.mark.parametrize(
    ("eku", "allowed"),
    [
        (None, True),
        ([SPEC_EKU + "2"], True),
        (["1.3.6.1.4.1.0.1847.2021.1.2"], True),
        ([SPEC_EKU + "1"], False),
        (["1.3.6.1.5.5.7.3.4"], False),
    ],
    ids=["no-eku", "spec-spelling", "dot-zero-spelling", "test-only", "unrelated-eku-fails-closed"],
)
def test_key_usage(eku: list[str] | None, allowed: bool) -> None:
    signer = make_signer(eku=eku)
    result = check(signer.hc1(), trust=InMemoryTrustStore([signer.dsc]), now=NOW)
    assert result.valid is allowed
    if not allowed:
        assert failing_step(result) == ("key_usage", "key_usage_forbidden")


class Revoked:
    def __init__(self, uvci: str) -> None:
        self.uvci = uvci
        self.calls: list[dict[str, Any]] = []

    def is_revoked(self, *, kid: bytes, uvci: str, country: str, signature: bytes) -> bool:
        self.calls.append({"kid": kid, "uvci": uvci, "country": country, "signature": signature})
        return uvci == self.uvci


def test_revocation(signer: Signer, trust: InMemoryTrustStore) -> None:
    checker = Revoked(VACCINATION["v"][0]["ci"])
    with pytest.raises(e.CertificateRevoked):
        verify(signer.hc1(), trust=trust, now=NOW, policy=Policy(revocation=checker))
    assert checker.calls[0]["kid"] == signer.dsc.kid
    assert checker.calls[0]["country"] == "TW"
    assert len(checker.calls[0]["signature"]) == 64
    ok = verify(signer.hc1(), trust=trust, now=NOW, policy=Policy(revocation=Revoked("other")))
    assert ok.step(Step.REVOCATION).ok is True


def test_business_rules(signer: Signer, trust: InMemoryTrustStore) -> None:
    rules = RuleSet((Rule.from_json(EXAMPLE_RULE),))
    passing = verify(signer.hc1(), trust=trust, now=NOW, policy=Policy(country="XX", rules=rules))
    assert passing.rules is not None
    assert passing.rules.passed
    half = copy.deepcopy(VACCINATION)
    half["v"][0]["dn"] = 1
    result = check(signer.hc1(half), trust=trust, now=NOW, policy=Policy(country="XX", rules=rules))
    assert result.verdict is Verdict.RULES_FAILED
    assert result.holder is not None
    empty = check(signer.hc1(), trust=trust, now=NOW, policy=Policy(country="YY", rules=rules))
    assert empty.verdict is Verdict.CANNOT_VERIFY
    assert failing_step(empty) == ("rules", "rules_unavailable")


def test_input_errors(signer: Signer, trust: InMemoryTrustStore) -> None:
    with pytest.raises(InputError, match="timezone-aware"):
        check(signer.hc1(), trust=trust, now=datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(InputError, match="exactly one"):
        check(trust=trust, now=NOW)
    with pytest.raises(InputError, match="destination country"):
        Policy(rules=RuleSet(()))


def test_now_in_another_timezone_is_the_same_instant(
    signer: Signer, trust: InMemoryTrustStore
) -> None:
    taipei = NOW.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Taipei"))
    assert verify(signer.hc1(exp=NOW + timedelta(minutes=10)), trust=trust, now=taipei).valid
    assert taipei.tzinfo is not UTC
