"""Errors of the verifier: one class per pipeline step, each with a stable ``code``.

Every failure the verifier reports on purpose is a :class:`VerificationError`; the
``step`` names the pipeline step that failed and ``verdict`` says how a checker should
read it: ``invalid`` (the certificate is bad), ``cannot_verify`` (we could not decide,
e.g. the signing key is not in the trust list or the picture was unreadable) or
``rules_failed`` (authentic, but this country's rules refuse it).

Rule-language problems (a malformed CertLogic expression or rule file) are
:class:`CertLogicError` / :class:`RuleSetError`: input errors of whoever wrote the rule.
"""

from __future__ import annotations

from typing import ClassVar

from vaxx.errors import InputError, VaxxError


class VerificationError(VaxxError):
    """A certificate did not pass one step of verification."""

    code = "verification_failed"
    status = 422
    title = "Certificate not valid"
    exit_code = 1
    step: ClassVar[str] = "unknown"
    verdict: ClassVar[str] = "invalid"


class PictureUnreadable(VerificationError):
    code = "picture_unreadable"
    title = "No QR code found in the picture"
    step = "picture"
    verdict = "cannot_verify"


class PrefixInvalid(VerificationError):
    code = "prefix_invalid"
    title = "Not an HC1 certificate"
    step = "prefix"


class Base45Invalid(VerificationError):
    code = "base45_invalid"
    title = "Malformed Base45 text"
    step = "base45"


class DecompressFailed(VerificationError):
    code = "decompress_failed"
    title = "Malformed or oversized compressed data"
    step = "decompress"


class CoseInvalid(VerificationError):
    code = "cose_invalid"
    title = "Malformed COSE_Sign1 / CWT structure"
    step = "cose"


class AlgorithmNotAllowed(VerificationError):
    code = "algorithm_not_allowed"
    title = "Signature algorithm not allowed"
    step = "signature"


class UnknownKid(VerificationError):
    code = "kid_unknown"
    title = "Signing key not in the trust list"
    step = "signature"
    verdict = "cannot_verify"


class SignatureInvalid(VerificationError):
    code = "signature_invalid"
    title = "Signature does not verify"
    step = "signature"


class KeyUsageForbidden(VerificationError):
    code = "key_usage_forbidden"
    title = "Signing key may not sign this certificate type"
    step = "key_usage"


class CertificateExpired(VerificationError):
    code = "certificate_expired"
    title = "Certificate expired"
    step = "expiry"


class CertificateNotYetValid(VerificationError):
    code = "certificate_not_yet_valid"
    title = "Certificate issued in the future"
    step = "expiry"


class SignerCertificateInvalid(VerificationError):
    code = "dsc_validity"
    title = "Certificate outside its signing certificate's validity"
    step = "expiry"


class SchemaInvalid(VerificationError):
    code = "schema_invalid"
    title = "Payload does not match the DCC schema"
    step = "schema"


class CertificateRevoked(VerificationError):
    code = "certificate_revoked"
    title = "Certificate revoked"
    step = "revocation"


class RuleFailed(VerificationError):
    code = "rules_failed"
    title = "Business rules refuse this certificate"
    step = "rules"
    verdict = "rules_failed"


class RulesUnavailable(VerificationError):
    code = "rules_unavailable"
    title = "No business rules for this destination"
    step = "rules"
    verdict = "cannot_verify"


class CertLogicError(InputError):
    """A CertLogic expression is malformed, or its evaluation hit a type error or a bound."""

    code = "certlogic_invalid"
    title = "Invalid CertLogic expression"


class RuleSetError(InputError):
    """A business-rule file or rule set could not be read (bad JSON, schema, logic)."""

    code = "rule_set_invalid"
    title = "Invalid business rule"
