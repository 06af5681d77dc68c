"""The shipped Taiwan policies: their own rule tests, and the golden QRs through them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from verifier import InMemoryTrustStore, Verdict, check
from verifier.errors import RuleSetError
from verifier.policies import POLICIES, policy, policy_dir
from verifier.rule_tests import run_rule_tests


def test_every_shipped_rule_passes_its_tests() -> None:
    report = run_rule_tests([policy_dir(name) for name in POLICIES])
    assert not report.failed, report.failed
    assert report.passed >= 40


def test_unknown_policy() -> None:
    with pytest.raises(RuleSetError, match="unknown policy"):
        policy("TW-anything-goes")


@pytest.mark.parametrize(
    ("sample", "name", "verdict", "failed_rule"),
    [
        ("VAC", "TW-fully-vaccinated", Verdict.VALID, None),
        ("VAC", "TW-booster", Verdict.VALID, None),
        ("VAC", "TW-vaccinated-or-tested", Verdict.VALID, None),
        ("TEST", "TW-fully-vaccinated", Verdict.RULES_FAILED, "GR-TW-0001"),
        ("TEST", "TW-vaccinated-or-tested", Verdict.RULES_FAILED, "TR-TW-0002"),
    ],
)
def test_taiwan_samples_under_each_policy(
    shared_dir: Path, sample: str, name: str, verdict: Verdict, failed_rule: str | None
) -> None:
    samples = shared_dir / "standards/taiwan-ig/tw-dcc-samples"
    trust = InMemoryTrustStore.from_certificates([(samples / "TW-TST-DSC.pem").read_bytes()])
    qr = (samples / f"{sample}.hc1.txt").read_text().strip()
    result = check(qr, trust=trust, now=datetime(2022, 3, 1, tzinfo=UTC), policy=policy(name))
    assert result.verdict is verdict
    assert result.rules is not None
    assert [o.identifier for o in result.rules.failed] == ([failed_rule] if failed_rule else [])
