"""Errors the wallet raises; each has a stable ``code`` and a zh-TW/en message.

Access failures on a certificate are 404, never 403: telling a stranger "this id exists
but is not yours" would already leak that someone holds it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from vaxx.errors import AuthError, Conflict, InputError, NotFound, VaxxError


class WalletError(VaxxError):
    """Root of the wallet's errors. ``message_key`` names the localized text (see i18n)."""

    code: ClassVar[str] = "wallet_error"
    message_key: ClassVar[str] = "wallet_error"


class ClaimInvalid(WalletError, AuthError):
    """Wrong code or wrong birth date (deliberately not said which)."""

    code = "claim_invalid"
    status = 401
    title = "Claim refused"
    message_key = "claim_invalid"


class ClaimExpired(WalletError, AuthError):
    code = "claim_expired"
    status = 401
    title = "Claim code expired"
    message_key = "claim_expired"


class ClaimUsed(WalletError, Conflict):
    code = "claim_used"
    title = "Claim code already used"
    message_key = "claim_used"


class LoginInvalid(WalletError, AuthError):
    """Wrong one-time code, national ID or birth date for the national-ID login."""

    code = "login_invalid"
    title = "Login refused"
    message_key = "login_invalid"


class HolderUnauthenticated(WalletError, AuthError):
    code = "holder_unauthenticated"
    title = "Holder token required"
    message_key = "holder_unauthenticated"


class CertificateNotFound(WalletError, NotFound):
    code = "certificate_not_found"
    title = "Certificate not found"
    message_key = "certificate_not_found"


class DelegationNotFound(WalletError, NotFound):
    code = "delegation_not_found"
    title = "Delegation not found"
    message_key = "delegation_not_found"


class DelegationInvalid(WalletError, InputError):
    code = "delegation_invalid"
    title = "Delegation refused"
    message_key = "delegation_invalid"


class WalletInputError(WalletError, InputError):
    code = "wallet_invalid_input"
    message_key = "invalid_input"


class RateLimited(WalletError):
    """Too many failures for this code, person or client address: locked for a while."""

    code = "rate_limited"
    status = 429
    title = "Too many attempts"
    exit_code = 8
    message_key = "rate_limited"

    def __init__(self, detail: str, *, retry_after: int, **extra: Any) -> None:
        super().__init__(detail, retry_after=retry_after, **extra)
        self.retry_after = retry_after
