"""Holder sessions and the one access rule: a holder sees what they hold, plus what the
holders who delegated to them hold (one step, never transitively)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wallet_api._internal.codes import hash_token, new_holder_token, new_id
from wallet_api.errors import CertificateNotFound, HolderUnauthenticated
from wallet_api.models import Delegation, Holder, HolderSession, Holding
from wallet_api.policy import WalletPolicy


@dataclass(frozen=True)
class Grant:
    """A new holder token: the only time it exists in clear."""

    holder_id: str
    token: str
    expires_at: datetime
    certificate_ids: tuple[str, ...]
    """The certificates this claim or login added to the wallet."""


def new_holder(session: Session, *, now: datetime, subject_mac: str | None = None) -> Holder:
    holder = Holder(id=new_id(), created_at=now, subject_mac=subject_mac)
    session.add(holder)
    session.flush()
    return holder


def hold(session: Session, holder_id: str, certificate_id: str, *, now: datetime) -> bool:
    """Put a certificate in a wallet; False when it is already there."""
    existing = session.scalar(
        select(Holding.id).where(
            Holding.holder_id == holder_id, Holding.certificate_id == certificate_id
        )
    )
    if existing is not None:
        return False
    session.add(Holding(holder_id=holder_id, certificate_id=certificate_id, added_at=now))
    return True


def open_session(
    session: Session,
    holder_id: str,
    *,
    now: datetime,
    policy: WalletPolicy,
    certificate_ids: tuple[str, ...] = (),
) -> Grant:
    token = new_holder_token()
    expires_at = now + policy.session_lifetime
    session.add(
        HolderSession(
            id=new_id(),
            holder_id=holder_id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=expires_at,
            revoked_at=None,
        )
    )
    return Grant(holder_id, token, expires_at, certificate_ids)


def authenticate(session: Session, token: str, *, now: datetime) -> str:
    """The holder id behind a live token; one error for unknown, expired and revoked."""
    row = session.scalar(select(HolderSession).where(HolderSession.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or now >= row.expires_at:
        raise HolderUnauthenticated("the holder token is unknown, expired or revoked")
    return row.holder_id


def end_session(session: Session, token: str, *, now: datetime) -> None:
    row = session.scalar(select(HolderSession).where(HolderSession.token_hash == hash_token(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now


def grantors_of(session: Session, holder_id: str) -> list[str]:
    query = select(Delegation.grantor_id).where(
        Delegation.grantee_id == holder_id, Delegation.revoked_at.is_(None)
    )
    return list(session.scalars(query))


def visible_certificate_ids(
    session: Session, holder_id: str, *, own_only: bool = False
) -> list[str]:
    """Own holdings first (oldest first), then delegated ones; no duplicates."""
    owners = [holder_id] if own_only else [holder_id, *grantors_of(session, holder_id)]
    rows = session.execute(
        select(Holding.holder_id, Holding.certificate_id)
        .where(Holding.holder_id.in_(owners))
        .order_by(Holding.added_at, Holding.id)
    )
    ordered = sorted(rows, key=lambda row: row.holder_id != holder_id)
    return list(dict.fromkeys(row.certificate_id for row in ordered))


def require_visible(session: Session, holder_id: str, certificate_id: str) -> None:
    """404 (never 403) for anything the holder may not see, so ids reveal nothing."""
    owners = [holder_id, *grantors_of(session, holder_id)]
    found = session.scalar(
        select(Holding.id).where(
            Holding.holder_id.in_(owners), Holding.certificate_id == certificate_id
        )
    )
    if found is None:
        raise CertificateNotFound(f"no certificate {certificate_id!r} in this wallet")
