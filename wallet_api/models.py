"""The wallet's tables: holders, what they hold, how they got in, and who may act for whom.

Certificate ids are the issuer register's ids, kept without a foreign key so the wallet's
migration branch does not depend on the issuer's. Secrets (claim codes, one-time codes,
birth dates, national IDs, invite codes) are only ever stored as keyed digests
(``wallet_api/_internal/codes.py`` says why); holder tokens as SHA-256.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vaxx.db import Base, UTCDateTime

_BIGINT = BigInteger().with_variant(Integer, "sqlite")


class Holder(Base):
    """A person's wallet: the certificates claimed into it and the sessions that open it."""

    __tablename__ = "wallet_holders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    subject_mac: Mapped[str | None] = mapped_column(String(64), unique=True)
    """Set for a wallet opened by national-ID login, so the next login finds it again."""


class Holding(Base):
    __tablename__ = "wallet_holdings"
    __table_args__ = (UniqueConstraint("holder_id", "certificate_id"),)

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    holder_id: Mapped[str] = mapped_column(ForeignKey("wallet_holders.id"), index=True)
    certificate_id: Mapped[str] = mapped_column(String(64), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ClaimCode(Base):
    """The code handed out at issuance; single-use, expiring, bound to the birth date."""

    __tablename__ = "wallet_claim_codes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    certificate_id: Mapped[str] = mapped_column(String(64), index=True)
    code_mac: Mapped[str] = mapped_column(String(64), unique=True)
    birth_date_mac: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by: Mapped[str | None] = mapped_column(String(32))


class Subject(Base):
    """Who a certificate is about, for the national-ID login: digests plus where to send
    the one-time code (the contact comes from the Patient's telecom at issuance)."""

    __tablename__ = "wallet_subjects"

    certificate_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_mac: Mapped[str] = mapped_column(String(64), index=True)
    birth_date_mac: Mapped[str] = mapped_column(String(64))
    contact_channel: Mapped[str | None] = mapped_column(String(16))
    contact_address: Mapped[str | None] = mapped_column(String(320))


class LoginCode(Base):
    __tablename__ = "wallet_login_codes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject_mac: Mapped[str] = mapped_column(String(64), index=True)
    code_mac: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HolderSession(Base):
    __tablename__ = "wallet_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder_id: Mapped[str] = mapped_column(ForeignKey("wallet_holders.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Delegation(Base):
    """``grantor`` lets ``grantee`` see the grantor's own certificates (not transitively).

    Created as an invitation (a one-time code the grantor passes on); the grantee accepts
    it with their own holder token. Either side may revoke it.
    """

    __tablename__ = "wallet_delegations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    grantor_id: Mapped[str] = mapped_column(ForeignKey("wallet_holders.id"), index=True)
    grantee_id: Mapped[str | None] = mapped_column(ForeignKey("wallet_holders.id"), index=True)
    invite_mac: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    invite_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AttemptCounter(Base):
    """Failures per key (a claim code, a person, a client address) for the database limiter."""

    __tablename__ = "wallet_attempts"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxMessage(Base):
    """A notification waiting for (or, in development, instead of) an SMS/email gateway."""

    __tablename__ = "wallet_outbox"

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str | None] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(320))
    certificate_id: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
