"""The wallet's part of an HTTP request that signs certificates (the issuer's and booking's).

Each certificate the request signs gets a claim code through the issuer's ``on_issued``
hook; the codes are kept on ``request.state`` (never stored in clear) so the answer that
signed a certificate can show its code once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import Request
from sqlalchemy.orm import Session

from vaxx.settings import Settings
from wallet_api.service import ClaimSlip, IssuedLike, claim_code_hook


def claim_hook_for(
    request: Request, settings: Settings, now: datetime
) -> Callable[[Session, IssuedLike], None]:
    """The ``on_issued`` hook for this request (the app's notifier, else the outbox)."""
    request.state.claim_slips = {}
    return claim_code_hook(
        request.state.claim_slips,
        settings=settings,
        now=now,
        notifier=getattr(request.app.state, "wallet_notifier", None),
    )


def claim_slip_of(request: Request, certificate_id: str) -> ClaimSlip | None:
    """The claim code this request made for ``certificate_id``, if it signed it."""
    slips: dict[str, ClaimSlip] = getattr(request.state, "claim_slips", {})
    return slips.get(certificate_id)
