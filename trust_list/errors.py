"""Errors raised by the trust_list package, each with a stable machine ``code``.

Two families: problems with a certificate or chain offered to the server registry
(:class:`ChainInvalid`, an :class:`~vaxx.errors.InputError`), and problems with a
trust document seen by a verifier (:class:`TrustListError` and its children), which
always mean "do not trust this document" and fail closed.
"""

from __future__ import annotations

from vaxx.errors import ConfigurationError, Conflict, InputError, NotFound, VaxxError


class CertificateMalformed(InputError):
    """Bytes that are not one bounded, parseable X.509 certificate."""

    code = "certificate_malformed"


class ChainInvalid(InputError):
    """A DSC or CSCA that fails one named check (``check`` in the problem body)."""

    code = "chain_invalid"

    def __init__(self, detail: str, *, check: str) -> None:
        super().__init__(detail, check=check)
        self.check = check


class TrustListImportInvalid(InputError):
    """An EU gateway-style trust list file that cannot be read."""

    code = "trust_list_import_invalid"


class UnknownKid(NotFound):
    code = "unknown_kid"


class DscConflict(Conflict):
    code = "dsc_conflict"


class SigningKeyMissing(ConfigurationError):
    """The trust-list signing key or its certificate is absent or unreadable."""

    code = "trust_list_signing_key_missing"


class TrustListError(VaxxError):
    """A trust document that a verifier must not use."""

    code = "trust_list_error"
    status = 502
    title = "Trust list rejected"
    exit_code = 8


class Unsigned(TrustListError):
    """The signature is missing, malformed, uses a refused algorithm or does not verify."""

    code = "trust_list_signature_invalid"


class WrongSigner(TrustListError):
    """The signing certificate does not chain to the pinned trust anchor."""

    code = "trust_list_wrong_signer"


class Expired(TrustListError):
    code = "trust_list_expired"


class Rollback(TrustListError):
    """A version lower than or equal to the one already trusted."""

    code = "trust_list_rollback"


class Oversize(TrustListError):
    code = "trust_list_oversize"


class Malformed(TrustListError):
    """Signed, but not the document shape this client understands."""

    code = "trust_list_malformed"


class NotCached(TrustListError):
    """No trusted document has ever been stored (download one first)."""

    code = "trust_list_not_cached"


class FetchFailed(TrustListError):
    code = "trust_list_fetch_failed"
