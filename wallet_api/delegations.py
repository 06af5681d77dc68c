"""Delegation: a holder lets another holder (a parent, a carer) see their certificates.

The grantor creates an invitation code and passes it on by hand; the grantee accepts it
while logged in to their own wallet. Only the grantor's own holdings are shared (not what
others delegated to the grantor). Either side can end it at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from vaxx import audit
from wallet_api._internal.codes import mac, new_claim_code, new_id, normalize_claim_code
from wallet_api.errors import DelegationInvalid, DelegationNotFound
from wallet_api.limits import Limiter
from wallet_api.models import Delegation
from wallet_api.policy import WalletPolicy


def invite(
    session: Session, *, grantor_id: str, now: datetime, policy: WalletPolicy
) -> tuple[str, Delegation]:
    """A pending delegation and its code (in clear only here)."""
    code = new_claim_code()
    row = Delegation(
        id=new_id(),
        grantor_id=grantor_id,
        grantee_id=None,
        invite_mac=mac(policy.secret, "invite", normalize_claim_code(code) or ""),
        created_at=now,
        invite_expires_at=now + policy.invite_lifetime,
    )
    session.add(row)
    audit.record(
        session,
        at=now,
        actor=f"holder:{grantor_id}",
        action="wallet.delegation.invite",
        target=row.id,
    )
    return code, row


def accept(
    session: Session,
    *,
    grantee_id: str,
    code: str,
    client: str,
    now: datetime,
    policy: WalletPolicy,
    limiter: Limiter,
) -> Delegation:
    address_key = f"addr:{client}"
    limiter.check(address_key, now=now)
    normalized = normalize_claim_code(code)
    row = None
    if normalized is not None:
        invite_mac = mac(policy.secret, "invite", normalized)
        row = session.scalar(select(Delegation).where(Delegation.invite_mac == invite_mac))
    usable = (
        row is not None
        and row.accepted_at is None
        and row.revoked_at is None
        and now < row.invite_expires_at
        and row.grantor_id != grantee_id
    )
    if row is None or not usable:
        limiter.failure(address_key, now=now)
        raise DelegationInvalid("wrong, expired or used delegation code")
    row.grantee_id, row.accepted_at = grantee_id, now
    audit.record(
        session,
        at=now,
        actor=f"holder:{grantee_id}",
        action="wallet.delegation.accept",
        target=row.id,
    )
    return row


def involving(session: Session, holder_id: str) -> list[Delegation]:
    """Delegations this holder granted or received, live ones only."""
    query = (
        select(Delegation)
        .where(
            or_(Delegation.grantor_id == holder_id, Delegation.grantee_id == holder_id),
            Delegation.revoked_at.is_(None),
        )
        .order_by(Delegation.created_at, Delegation.id)
    )
    return list(session.scalars(query))


def revoke(session: Session, *, holder_id: str, delegation_id: str, now: datetime) -> None:
    row = session.get(Delegation, delegation_id)
    if row is None or holder_id not in (row.grantor_id, row.grantee_id):
        raise DelegationNotFound(f"no delegation {delegation_id!r} for this holder")
    if row.revoked_at is None:
        row.revoked_at = now
        audit.record(
            session,
            at=now,
            actor=f"holder:{holder_id}",
            action="wallet.delegation.revoke",
            target=row.id,
        )
