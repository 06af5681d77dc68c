"""The verification pipeline: eleven numbered steps, one error class each.

Order follows HCERT spec section 6 and the standards README section 3: decode with
bounded decoders (1-5), check the signature before trusting any content (6), then key
usage (7), time (8), schema (9), revocation (10) and business rules (11). The first
failing step stops the run; later steps are reported as not run. The clock is read
once by the caller and passed in as ``now``; every decision in one run uses it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from vaxx.errors import InputError
from verifier import schema
from verifier._internal import base45, cose, cwt, inflate, picture
from verifier.errors import (
    AlgorithmNotAllowed,
    CertificateExpired,
    CertificateNotYetValid,
    CertificateRevoked,
    KeyUsageForbidden,
    PrefixInvalid,
    SignatureInvalid,
    SignerCertificateInvalid,
    UnknownKid,
    VerificationError,
)
from verifier.result import Holder, Step, StepOutcome, Verdict, VerificationResult
from verifier.rules import External, RuleSet, RulesReport
from verifier.trust import PublicKey, RevocationChecker, TrustedKey, TrustStore

PREFIX = "HC1:"
ALGORITHMS = {-7: "ES256", -37: "PS256"}
TYPE_NAMES = {"v": "vaccination", "t": "test", "r": "recovery"}
DEFAULT_SKEW = timedelta(minutes=5)
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


@dataclass(frozen=True, slots=True)
class Policy:
    """What to check beyond authenticity: destination rules, revocation, clock skew."""

    country: str | None = None
    rules: RuleSet | None = None
    revocation: RevocationChecker | None = None
    skew: timedelta = DEFAULT_SKEW

    def __post_init__(self) -> None:
        if self.rules is not None and not self.country:
            raise InputError("business rules need a destination country")


@dataclass
class _Run:
    """Mutable scratchpad of one run; frozen into a VerificationResult at the end."""

    trust: TrustStore
    policy: Policy
    now: datetime
    outcomes: list[StepOutcome] = field(default_factory=list)
    sign1: cose.Sign1 | None = None
    claims: cwt.Claims | None = None
    key: TrustedKey | None = None
    type_key: str | None = None
    rules: RulesReport | None = None

    def passed(self, step: Step, code: str = "ok", message: str = "") -> None:
        self.outcomes.append(StepOutcome(step, True, code, message))


def check(
    qr: str | None = None,
    *,
    image: bytes | None = None,
    trust: TrustStore,
    now: datetime,
    policy: Policy | None = None,
) -> VerificationResult:
    """Verify a QR text or picture and return the result; never raises for a bad certificate."""
    return _execute(qr, image, trust, now, policy or Policy())[0]


def verify(
    qr: str | None = None,
    *,
    image: bytes | None = None,
    trust: TrustStore,
    now: datetime,
    policy: Policy | None = None,
) -> VerificationResult:
    """Like :func:`check`, but raise the failing step's :class:`VerificationError`."""
    result, error = _execute(qr, image, trust, now, policy or Policy())
    if error is not None:
        raise error
    return result


def _execute(
    qr: str | None, image: bytes | None, trust: TrustStore, now: datetime, policy: Policy
) -> tuple[VerificationResult, VerificationError | None]:
    if now.tzinfo is None or now.utcoffset() is None:
        raise InputError("the validation time must be timezone-aware")
    if (qr is None) == (image is None):
        raise InputError("give exactly one of a QR text or a picture")
    run = _Run(trust, policy, now)
    try:
        _steps(run, qr, image)
    except VerificationError as error:
        run.outcomes.append(StepOutcome(Step(error.step), False, error.code, error.detail))
        return _result(run, Verdict(error.verdict)), error
    return _result(run, Verdict.VALID), None


def _steps(run: _Run, qr: str | None, image: bytes | None) -> None:
    """Steps 1-9 (decode, authenticity, validity), then the policy steps 10-11."""
    if image is not None:
        qr = picture.read_qr(image)  # 1
        run.passed(Step.PICTURE)
    else:
        run.outcomes.append(StepOutcome(Step.PICTURE, None, "not_run", "text input"))
    if qr is None or not qr.startswith(PREFIX):  # 2
        raise PrefixInvalid(f"QR text does not start with {PREFIX}")
    run.passed(Step.PREFIX)
    compressed = base45.decode(qr[len(PREFIX) :])  # 3
    run.passed(Step.BASE45)
    message = inflate.inflate(compressed)  # 4
    run.passed(Step.DECOMPRESS)
    run.sign1 = sign1 = cose.parse(message)  # 5
    run.claims = claims = cwt.parse_claims(sign1.payload)
    run.passed(Step.COSE)
    run.key = key = _check_signature(run.trust, sign1)  # 6
    run.passed(Step.SIGNATURE, message=f"kid from {sign1.kid_source} header")
    _check_key_usage(key, claims.dcc)  # 7
    run.passed(Step.KEY_USAGE)
    _check_expiry(claims, key, run.now, run.policy.skew)  # 8
    run.passed(Step.EXPIRY)
    run.type_key = schema.validate_dcc(claims.dcc)  # 9
    run.passed(Step.SCHEMA)
    _policy_steps(run, sign1, claims, key, run.type_key)


def _policy_steps(
    run: _Run, sign1: cose.Sign1, claims: cwt.Claims, key: TrustedKey, type_key: str
) -> None:
    """Steps 10-11, each reported as not configured when the policy has nothing for it."""
    if run.policy.revocation is None:  # 10
        run.outcomes.append(StepOutcome(Step.REVOCATION, None, "not_configured"))
    else:
        entry = claims.dcc[type_key][0]
        _check_revocation(run.policy.revocation, key.kid, entry, sign1.signature)
        run.passed(Step.REVOCATION)
    rules, country = run.policy.rules, run.policy.country
    if rules is None or country is None:  # 11
        run.outcomes.append(StepOutcome(Step.RULES, None, "not_configured"))
        return
    external = External(
        validation_clock=run.now,
        country_code=country,
        exp=claims.expires_at,
        iat=claims.issued_at,
        issuer_country_code=claims.issuer,
        kid=base64.b64encode(key.kid).decode(),
    )
    run.rules = rules.evaluate(claims.dcc, external, type_key)
    run.rules.require_passed()
    run.passed(Step.RULES, message=f"{len(run.rules.outcomes)} rule(s) passed for {country}")


def _check_signature(trust: TrustStore, sign1: cose.Sign1) -> TrustedKey:
    """Step 6: allow-listed alg, a trusted key for the kid, and a signature that verifies."""
    if sign1.alg not in ALGORITHMS:
        raise AlgorithmNotAllowed(f"COSE alg {sign1.alg} is not ES256 (-7) or PS256 (-37)")
    if sign1.kid is None:
        raise UnknownKid("the message carries no kid")
    keys = trust.keys_for(sign1.kid)
    if not keys:
        raise UnknownKid(f"no trusted key for kid {base64.b64encode(sign1.kid).decode()}")
    signed = sign1.to_be_signed()
    for key in keys:
        if _signature_valid(sign1.alg, key.public_key, sign1.signature, signed):
            return key
    raise SignatureInvalid(f"signature does not verify with any of {len(keys)} key(s) for the kid")


def _signature_valid(alg: int, key: PublicKey, signature: bytes, signed: bytes) -> bool:
    try:
        if alg == -7 and isinstance(key, ec.EllipticCurvePublicKey):
            if len(signature) != 64 or not isinstance(key.curve, ec.SECP256R1):
                return False
            r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256()))
            return True
        if alg == -37 and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed, _PSS, hashes.SHA256())
            return True
    except (InvalidSignature, ValueError):
        return False
    return False


def _check_key_usage(key: TrustedKey, dcc: dict[str, Any]) -> None:
    """Step 7: the DSC's extended key usage permits every certificate type present."""
    present = [TYPE_NAMES[k] for k in TYPE_NAMES if dcc.get(k) is not None]
    forbidden = [name for name in present if name not in key.certificate_types]
    if forbidden or not present:
        allowed = ", ".join(sorted(key.certificate_types)) or "no DCC type"
        wanted = ", ".join(present) or "no certificate type"
        raise KeyUsageForbidden(f"the signing key may sign {allowed}, not {wanted}")


def _check_expiry(claims: cwt.Claims, key: TrustedKey, now: datetime, skew: timedelta) -> None:
    """Step 8: iat <= now < exp (with skew), issued and expiring inside the DSC validity."""
    if claims.expires_at is None or claims.issued_at is None:
        raise CertificateExpired("the certificate has no exp or iat claim")
    if claims.issued_at > now + skew:
        raise CertificateNotYetValid(f"issued at {claims.issued_at.isoformat()}, in the future")
    if claims.expires_at <= now - skew:
        raise CertificateExpired(f"expired at {claims.expires_at.isoformat()}")
    certificate = key.certificate
    not_before, not_after = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    if not not_before - skew <= claims.issued_at <= not_after:
        raise SignerCertificateInvalid("issued outside the signing certificate's validity")
    if claims.expires_at > not_after + skew:
        raise SignerCertificateInvalid("expires after the signing certificate")


def _check_revocation(
    checker: RevocationChecker, kid: bytes, entry: dict[str, Any], signature: bytes
) -> None:
    """Step 10: UVCI / country+UVCI / signature hashes against the revocation list."""
    uvci, country = str(entry.get("ci", "")), str(entry.get("co", ""))
    if checker.is_revoked(kid=kid, uvci=uvci, country=country, signature=signature):
        raise CertificateRevoked("the certificate is on the revocation list")


def _result(run: _Run, verdict: Verdict) -> VerificationResult:
    recorded = {outcome.step: outcome for outcome in run.outcomes}
    steps = [recorded.get(step) or StepOutcome(step, None, "not_run") for step in Step]
    disclosed = run.key is not None and run.claims is not None
    claims = run.claims if disclosed else None
    sign1 = run.sign1
    return VerificationResult(
        verdict=verdict,
        steps=tuple(steps),
        certificate_type=_type_name(claims.dcc) if claims else None,
        holder=_holder(claims.dcc) if claims else None,
        facts=_facts(claims.dcc) if claims else (),
        issuer_country=claims.issuer if claims else None,
        issued_at=claims.issued_at.isoformat() if claims and claims.issued_at else None,
        expires_at=claims.expires_at.isoformat() if claims and claims.expires_at else None,
        kid=base64.b64encode(sign1.kid).decode() if sign1 and sign1.kid else None,
        kid_source=sign1.kid_source if sign1 else None,
        algorithm=ALGORITHMS.get(sign1.alg or 0) if sign1 else None,
        rules=run.rules,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _type_name(dcc: dict[str, Any]) -> str | None:
    present = [TYPE_NAMES[key] for key in TYPE_NAMES if dcc.get(key)]
    return present[0] if len(present) == 1 else None


def _holder(dcc: dict[str, Any]) -> Holder:
    name = dcc.get("nam") if isinstance(dcc.get("nam"), dict) else {}
    assert isinstance(name, dict)  # noqa: S101 - narrowed above
    return Holder(
        family_name=_text(name.get("fn")),
        given_name=_text(name.get("gn")),
        family_name_transliterated=_text(name.get("fnt")),
        given_name_transliterated=_text(name.get("gnt")),
        date_of_birth=_text(dcc.get("dob")),
    )


_FACTS = {
    "v": {"tg": "disease", "mp": "product", "dt": "date", "co": "country"},
    "t": {"tg": "disease", "tt": "test_type", "sc": "sampled_at", "tr": "result", "co": "country"},
    "r": {
        "tg": "disease",
        "fr": "first_positive",
        "df": "valid_from",
        "du": "valid_until",
        "co": "country",
    },
}


def _facts(dcc: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    for key, labels in _FACTS.items():
        entries = dcc.get(key)
        if isinstance(entries, list) and entries and isinstance(entries[0], dict):
            entry = entries[0]
            facts = [
                (label, str(entry[field])) for field, label in labels.items() if field in entry
            ]
            if key == "v" and "dn" in entry and "sd" in entry:
                facts.insert(0, ("dose", f"{entry['dn']}/{entry['sd']}"))
            return tuple(facts)
    return ()
