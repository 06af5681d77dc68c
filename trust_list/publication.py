"""Publishing the signed documents: built on read, re-signed when stale, safe across processes.

There is no background thread. A read finds the stored signed bytes and serves them if
they are current: the registry has not changed since (``published_generation ==
generation``, or for revocations the recent tail of the issuer's register is unchanged)
and more than ``resign_before`` is left before ``expires_at``. Otherwise it builds and
signs version ``v + 1`` and stores it with ``UPDATE ... WHERE version = v``: when two
server processes race, one wins and the other re-reads the winner's document. Every
re-signing, including a refresh of the expiry alone, increases the version. While one
process holds the build lease, the others serve the current document if it has not
expired, so a large rebuild is not repeated by every process at once.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from trust_list import envelope, gateway, service
from trust_list.envelope import Signer
from trust_list.models import Publication
from trust_list.revocation import RevokedCertificate, bloom_by_kid, group_by_kid
from vaxx.errors import ServiceUnavailable
from vaxx.settings import Settings

MAX_ATTEMPTS = 5
BLOOM_FP_RATE = 0.001
"""One false "revoked" in a thousand checks per hash probed; confirm with the exact list."""
BUILD_LEASE = timedelta(minutes=2)
"""Longer than the slowest build measured (the 1M-hash Bloom form, about 20 s)."""
TAIL_OVERLAP = timedelta(minutes=10)
"""How far back a revocation may be stamped before it commits and still be noticed."""

RevocationSource = Callable[[Session, datetime | None], Iterable[RevokedCertificate]]


@dataclass(frozen=True, slots=True)
class Policy:
    lifetime: timedelta
    resign_before: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            lifetime=timedelta(hours=settings.trust_list_lifetime_hours),
            resign_before=timedelta(hours=settings.trust_list_resign_hours),
        )


@dataclass(frozen=True, slots=True)
class Published:
    version: int
    etag: str
    document: bytes
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class _Built:
    content: dict[str, Any]
    generation: int
    fingerprint: str | None = None


def trust_list(session: Session, *, signer: Signer, now: datetime, policy: Policy) -> Published:
    """The current signed trust list, re-signed first when stale or close to expiry."""
    return _current(
        session,
        service.TRUST_LIST,
        envelope.TRUST_LIST,
        signer=signer,
        now=now,
        policy=policy,
        fresh=lambda row: row.published_generation == row.generation,
        build=lambda row: _Built(_trust_list_content(session), row.generation),
    )


def revocations(
    session: Session, *, signer: Signer, now: datetime, policy: Policy, source: RevocationSource
) -> Published:
    """The current signed revocation list (all revoked certificates, grouped by kid)."""
    return _revocation_document(
        session,
        service.REVOCATIONS,
        envelope.REVOCATIONS,
        signer=signer,
        now=now,
        policy=policy,
        source=source,
        content=lambda entries: {"hash_bytes": 16, "kids": group_by_kid(entries)},
    )


def revocations_bloom(
    session: Session, *, signer: Signer, now: datetime, policy: Policy, source: RevocationSource
) -> Published:
    """The same revocations as per-kid Bloom filters, false-positive rate stated."""
    return _revocation_document(
        session,
        service.REVOCATIONS_BLOOM,
        envelope.REVOCATIONS_BLOOM,
        signer=signer,
        now=now,
        policy=policy,
        source=source,
        content=lambda entries: {
            "fp_rate": BLOOM_FP_RATE,
            "kids": bloom_by_kid(entries, BLOOM_FP_RATE),
        },
    )


def _revocation_document(
    session: Session,
    name: str,
    kind: str,
    *,
    signer: Signer,
    now: datetime,
    policy: Policy,
    source: RevocationSource,
    content: Callable[[list[RevokedCertificate]], dict[str, Any]],
) -> Published:
    def fresh(row: Publication) -> bool:
        assert row.issued_at is not None  # noqa: S101 - only asked of a published row
        return row.source_fingerprint == _tail_fingerprint(session, source, row.issued_at)

    def build(row: Publication) -> _Built:
        fingerprint = _tail_fingerprint(session, source, now)
        live = [e for e in source(session, None) if e.expires_at is None or e.expires_at > now]
        return _Built(content(live), row.generation, fingerprint)

    return _current(
        session, name, kind, signer=signer, now=now, policy=policy, fresh=fresh, build=build
    )


def revocations_delta(
    session: Session,
    since: datetime,
    *,
    signer: Signer,
    now: datetime,
    published: Published,
    source: RevocationSource,
) -> bytes:
    """A signed delta: certificates revoked after ``since``, stamped with the full
    list's version (so a client knows which full list it extends)."""
    document = {
        "type": envelope.REVOCATIONS,
        "version": published.version,
        "issued_at": _iso(now),
        "expires_at": _iso(published.expires_at),
        "since": _iso(since),
        "hash_bytes": 16,
        "kids": group_by_kid(source(session, since)),
    }
    return envelope.seal(document, envelope.REVOCATIONS, signer)


def gateway_shape(session: Session) -> list[dict[str, Any]]:
    """Our trusted DSCs in the EU gateway's trust-list item shape."""
    return [
        gateway.gateway_item(row.kid, row.country, row.der, row.added_at)
        for row in service.trusted_dscs(session)
    ]


def _current(
    session: Session,
    name: str,
    kind: str,
    *,
    signer: Signer,
    now: datetime,
    policy: Policy,
    fresh: Callable[[Publication], bool],
    build: Callable[[Publication], _Built],
) -> Published:
    for _ in range(MAX_ATTEMPTS):
        row = session.scalars(
            select(Publication)
            .where(Publication.name == name)
            .execution_options(populate_existing=True)
        ).one()
        if _usable(row, now, policy) and fresh(row):
            return _serve(session, row)
        if _servable(row, now) and not _claim(session, name, now):
            return _serve(session, row)  # another process is rebuilding; this one is valid
        built = build(row)
        candidate = _sign(kind, row.version + 1, built.content, signer, now, policy)
        result = session.execute(
            update(Publication)
            .where(Publication.name == name, Publication.version == row.version)
            .values(
                version=candidate.version,
                published_generation=built.generation,
                source_fingerprint=built.fingerprint,
                issued_at=candidate.issued_at,
                expires_at=candidate.expires_at,
                etag=candidate.etag,
                document=candidate.document,
                building_until=None,
            )
        )
        session.commit()
        if result.rowcount == 1:  # type: ignore[attr-defined]
            return candidate
    raise ServiceUnavailable(f"the {name} document is being re-signed concurrently; retry")


def _serve(session: Session, row: Publication) -> Published:
    published = _published(row)
    session.rollback()
    return published


def _servable(row: Publication, now: datetime) -> bool:
    """Still valid to hand out while a fresher one is being built."""
    return row.document is not None and row.expires_at is not None and row.expires_at > now


def _claim(session: Session, name: str, now: datetime) -> bool:
    """Take the build lease (or find it held by another process that has not timed out)."""
    result = session.execute(
        update(Publication)
        .where(
            Publication.name == name,
            or_(Publication.building_until.is_(None), Publication.building_until < now),
        )
        .values(building_until=now + BUILD_LEASE)
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _usable(row: Publication, now: datetime, policy: Policy) -> bool:
    return (
        row.document is not None
        and row.expires_at is not None
        and row.expires_at - now > policy.resign_before
    )


def _published(row: Publication) -> Published:
    if row.document is None or row.etag is None or row.issued_at is None or row.expires_at is None:
        raise ServiceUnavailable(f"publication {row.name} is incomplete")
    return Published(row.version, row.etag, row.document, row.issued_at, row.expires_at)


def _sign(
    kind: str, version: int, content: dict[str, Any], signer: Signer, now: datetime, policy: Policy
) -> Published:
    expires_at = now + policy.lifetime
    document = {
        "type": kind,
        "version": version,
        "issued_at": _iso(now),
        "expires_at": _iso(expires_at),
        **content,
    }
    sealed = envelope.seal(document, kind, signer)
    etag = f'"{version}-{hashlib.sha256(sealed).hexdigest()[:16]}"'
    return Published(version, etag, sealed, now, expires_at)


def _trust_list_content(session: Session) -> dict[str, Any]:
    cscas = [
        {
            "country": c.country,
            "thumbprint": c.thumbprint,
            "raw_data": base64.b64encode(c.der).decode(),
        }
        for c in service.all_cscas(session)
    ]
    return {
        "cscas": cscas,
        "certificates": service.as_items(service.trusted_dscs(session)),
        "revoked_kids": service.revoked_kids(session),
    }


def _tail_fingerprint(session: Session, source: RevocationSource, issued_at: datetime) -> str:
    """A digest of the register's recent tail: it changes when a revocation is added."""
    digest = hashlib.sha256()
    tail = source(session, issued_at - TAIL_OVERLAP)
    for line in sorted(f"{e.kid.hex()}:{e.signature.hex()}:{e.uvci}" for e in tail):
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
