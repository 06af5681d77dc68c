"""verifier: decode and check any EU DCC (``HC1:`` QR), offline, with business rules.

The pipeline has eleven numbered steps (picture, prefix, base45, decompress, cose,
signature, key_usage, expiry, schema, revocation, rules). :func:`check` returns an
immutable :class:`VerificationResult` with the verdict and every step's outcome;
:func:`verify` raises the failing step's :class:`VerificationError` instead. Trust
comes from a :class:`TrustStore` (``keys_for(kid)``); ``trust_list`` provides one over
signed trust lists, :class:`InMemoryTrustStore` is built from DSC certificates.

>>> from datetime import UTC, datetime
>>> from pathlib import Path
>>> import verifier
>>> samples = Path("../shared/standards/taiwan-ig/tw-dcc-samples")
>>> dsc = (samples / "TW-TST-DSC.pem").read_bytes()
>>> trust = verifier.InMemoryTrustStore.from_certificates([dsc])
>>> qr = (samples / "VAC.hc1.txt").read_text().strip()
>>> result = verifier.check(qr, trust=trust, now=datetime(2022, 3, 1, tzinfo=UTC))
>>> result.verdict, result.certificate_type
(<Verdict.VALID: 'valid'>, 'vaccination')
"""

from verifier.errors import CertLogicError, RuleSetError, VerificationError
from verifier.pipeline import Policy, check, verify
from verifier.result import Holder, Step, StepOutcome, Verdict, VerificationResult
from verifier.rules import External, Rule, RuleSet
from verifier.trust import (
    InMemoryTrustStore,
    RevocationChecker,
    TrustedDsc,
    TrustedKey,
    TrustStore,
    permitted_types,
)

__all__ = [
    "CertLogicError",
    "External",
    "Holder",
    "InMemoryTrustStore",
    "Policy",
    "RevocationChecker",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "Step",
    "StepOutcome",
    "TrustStore",
    "TrustedDsc",
    "TrustedKey",
    "Verdict",
    "VerificationError",
    "VerificationResult",
    "check",
    "permitted_types",
    "verify",
]
