"""The issuer's errors, each with a stable ``code`` (problem+json and CLI exit status)."""

from __future__ import annotations

from vaxx.errors import ConfigurationError, Conflict, InputError, NotFound, ServiceUnavailable


class KeysMissing(ServiceUnavailable):
    """No usable key store yet (``vaxx keys init`` has not run)."""

    code = "issuer_keys_missing"


class KeysUnusable(ConfigurationError):
    """Keys exist but must not or cannot be used (wrong passphrase, development keys in
    production, damaged manifest)."""

    code = "issuer_keys_unusable"


class NoSigningKey(ServiceUnavailable):
    """No active DSC may sign this certificate type at this time."""

    code = "issuer_no_signing_key"


class CertificateNotFound(NotFound):
    code = "certificate_not_found"


class CertificateNotValid(Conflict):
    """The certificate was already revoked or superseded."""

    code = "certificate_not_valid"


class IdempotencyKeyReused(Conflict):
    """The Idempotency-Key was used before with a different request body."""

    code = "idempotency_key_reused"


class BatchTooLarge(InputError):
    code = "batch_too_large"


class BadRequest(InputError):
    """Malformed input that is not a FHIR validation failure (bad JSON, wrong shape)."""

    code = "issuer_bad_request"


class RenderingUnavailable(ServiceUnavailable):
    """The paper certificate cannot be drawn (no CJK font installed)."""

    code = "issuer_rendering_unavailable"
