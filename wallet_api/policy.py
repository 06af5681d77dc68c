"""The knobs of holder access, read once from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from vaxx.settings import Settings
from wallet_api.limits import LimitPolicy


@dataclass(frozen=True)
class WalletPolicy:
    secret: bytes = field(repr=False)
    """HMAC key for stored codes; from ``VAXX_WALLET_SECRET``, never stored in the database."""
    claim_lifetime: timedelta = timedelta(days=30)
    session_lifetime: timedelta = timedelta(days=30)
    login_code_lifetime: timedelta = timedelta(minutes=10)
    invite_lifetime: timedelta = timedelta(days=7)
    limits: LimitPolicy = field(default_factory=LimitPolicy)

    @classmethod
    def from_settings(cls, settings: Settings) -> WalletPolicy:
        lockout = timedelta(minutes=settings.wallet_lockout_minutes)
        return cls(
            secret=settings.wallet_secret.get_secret_value().encode("utf-8"),
            claim_lifetime=timedelta(days=settings.wallet_claim_days),
            session_lifetime=timedelta(hours=settings.wallet_session_hours),
            limits=LimitPolicy(
                max_failures=settings.wallet_max_failures, window=lockout, lockout=lockout
            ),
        )
