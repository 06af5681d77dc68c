"""Tables of the server-side trust registry and of the published documents.

``trust_cscas`` and ``trust_dscs`` hold certificates as DER, already validated when
they were written; ``trust_revoked_dscs`` lists kids withdrawn from trust.
``trust_publications`` holds one row per published document (the trust list and the
revocation list): the signed bytes, their version, and the counters that say when the
registry changed after the last signing (see :mod:`trust_list.publication`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from vaxx.db import Base, UTCDateTime

_BigId = BigInteger().with_variant(Integer, "sqlite")


class Csca(Base):
    """A country signing CA that DSCs of its country must chain to (added by an operator)."""

    __tablename__ = "trust_cscas"

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    thumbprint: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(1000))
    der: Mapped[bytes] = mapped_column(LargeBinary)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrustedDsc(Base):
    """A document signer accepted after chain validation; ``source`` is issuer or import."""

    __tablename__ = "trust_dscs"

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    kid: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    thumbprint: Mapped[str] = mapped_column(String(64), unique=True)
    certificate_types: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(16))
    der: Mapped[bytes] = mapped_column(LargeBinary)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RevokedDsc(Base):
    """A kid withdrawn from trust: dropped from the list and named in ``revoked_kids``."""

    __tablename__ = "trust_revoked_dscs"

    kid: Mapped[str] = mapped_column(String(16), primary_key=True)
    reason: Mapped[str] = mapped_column(String(500))
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Publication(Base):
    """The latest signed form of one document and the counters that make it safe to share.

    ``generation`` is bumped (``generation + 1`` in SQL) in the transaction of every
    registry change; a document is stale when ``published_generation`` lags behind it or
    when it is close to ``expires_at``. Re-signing swaps the row with a compare-and-set on
    ``version``, so concurrent server processes never publish two documents under one
    version.
    """

    __tablename__ = "trust_publications"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    generation: Mapped[int] = mapped_column(BigInteger)
    published_generation: Mapped[int] = mapped_column(BigInteger)
    source_fingerprint: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    etag: Mapped[str | None] = mapped_column(String(80))
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
    building_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
