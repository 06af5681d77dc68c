"""Issuing, reading, revoking and re-issuing certificates against the register.

Functions take a session and leave the commit to the caller, so a request's certificate,
idempotency key and audit row commit together or not at all. :func:`issue_batch` is the
exception: it commits each item on its own so one bad Bundle never blocks the others.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import profiles
from issuer import hc1
from issuer._internal.uvci import new_uvci
from issuer.errors import (
    BadRequest,
    CertificateNotFound,
    CertificateNotValid,
    IdempotencyKeyReused,
)
from issuer.keys import DccType, KeyStore
from issuer.models import (
    STATUS_REVOKED,
    STATUS_SUPERSEDED,
    STATUS_VALID,
    IdempotencyKey,
    IssuedCertificate,
)
from vaxx import audit, metrics
from vaxx.errors import VaxxError
from vaxx.settings import Settings


@dataclass(frozen=True)
class Issuing:
    """Everything issuing needs besides the database: keys, settings, the clock, who asks.

    ``on_issued`` runs inside the issuing transaction for every newly signed certificate, so
    what it writes (the holder's claim code) commits or rolls back with the certificate.
    """

    keys: KeyStore
    settings: Settings
    now: datetime
    actor: str
    on_issued: Callable[[Session, IssuedCertificate], None] | None = None


def issue(
    session: Session, bundle: Mapping[str, Any], ctx: Issuing, *, kind: DccType | None = None
) -> IssuedCertificate:
    """Validate ``bundle`` (profiles), sign its DCC and add it to the register.

    ``kind`` defaults to what the Bundle holds; ``DccType.RECOVERY`` certifies recovery
    from a positive NAAT Observation.
    """
    today = ctx.now.astimezone(ZoneInfo(ctx.settings.issuer_timezone)).date()
    wanted = profiles.CertificateKind(kind.value) if kind else None
    record = profiles.parse_bundle(bundle, today=today, kind=wanted)
    kind = DccType(record.kind.value)
    signer = ctx.keys.signer_for(kind, ctx.now)
    uvci = _unused_uvci(session, ctx.settings.issuing_country)
    payload = profiles.to_dcc(record, uvci=uvci, issuer=ctx.settings.issuer_name)
    expires_at = hc1.expiry(kind, ctx.now, ctx.settings.issuer_validity_days, signer)
    signed = hc1.sign(
        payload,
        signer=signer,
        country=ctx.settings.issuing_country,
        issued_at=ctx.now,
        expires_at=expires_at,
    )
    certificate = IssuedCertificate(
        id=uuid.uuid4().hex,
        uvci=uvci,
        kind=kind.value,
        country=ctx.settings.issuing_country,
        kid=signed.kid,
        alg=signed.alg,
        issued_at=signed.issued_at,
        expires_at=signed.expires_at,
        issued_by=ctx.actor,
        status=STATUS_VALID,
        signature=signed.signature,
        payload_sha256=signed.payload_sha256,
        payload=payload,
        bundle=dict(record.bundle),
        hc1=signed.hc1,
    )
    session.add(certificate)
    _audit(session, ctx, "certificate.issue", certificate)
    metrics.count_on_commit(session, metrics.CERTIFICATES_ISSUED.labels(kind.value).inc)
    if ctx.on_issued is not None:
        session.flush()
        ctx.on_issued(session, certificate)
    return certificate


def _request_digest(request: list[Any]) -> str:
    """What an idempotency key is bound to; a body canonical JSON cannot hold (an integer
    beyond 64 bits, which no FHIR element allows either) is bad input, not a 500."""
    try:
        canonical = orjson.dumps(request, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError as exc:
        raise BadRequest(f"the body cannot be canonicalised: {exc}") from exc
    return hashlib.sha256(canonical).hexdigest()


def issue_once(
    session: Session,
    bundle: Mapping[str, Any],
    ctx: Issuing,
    *,
    client_id: str,
    key: str,
    kind: DccType | None = None,
) -> tuple[IssuedCertificate, bool]:
    """Issue at most once per (client, Idempotency-Key): (certificate, newly issued?).

    The same key with a different body is :class:`IdempotencyKeyReused`. Two racing
    requests with one key: the loser's insert fails on the primary key, it rolls back
    (its certificate is discarded) and answers with the winner's certificate. A replay
    runs ``on_issued`` again: the first answer (and its claim code, stored only hashed) may
    never have reached the clinic, so the replay hands out a fresh code, retiring the old.
    """
    digest = _request_digest([kind.value if kind else None, bundle])
    return _issue_once(session, bundle, ctx, client_id=client_id, key=key, digest=digest, kind=kind)


def _issue_once(
    session: Session,
    bundle: Mapping[str, Any],
    ctx: Issuing,
    *,
    client_id: str,
    key: str,
    digest: str,
    kind: DccType | None = None,
) -> tuple[IssuedCertificate, bool]:
    existing = _replay(session, client_id, key, digest)
    if existing is None:
        certificate = issue(session, bundle, ctx, kind=kind)
        session.flush()  # the key row refers to the certificate row: insert that first
        session.add(
            IdempotencyKey(
                client_id=client_id,
                key=key,
                request_sha256=digest,
                certificate_id=certificate.id,
                created_at=ctx.now,
            )
        )
        try:
            session.flush()
            return certificate, True
        except IntegrityError:
            session.rollback()
            existing = _replay(session, client_id, key, digest)
            if existing is None:
                raise
    if ctx.on_issued is not None:
        ctx.on_issued(session, existing)
    return existing, False


def _replay(session: Session, client_id: str, key: str, digest: str) -> IssuedCertificate | None:
    known = session.get(IdempotencyKey, (client_id, key))
    if known is None:
        return None
    if known.request_sha256 != digest:
        raise IdempotencyKeyReused("this Idempotency-Key was used with a different request body")
    return get(session, known.certificate_id)


@dataclass(frozen=True)
class BatchItem:
    """One Bundle's outcome: a certificate (``replayed`` when an earlier request with the
    same Idempotency-Key issued it) or the error that refused it."""

    index: int
    certificate: IssuedCertificate | None = None
    error: VaxxError | None = None
    replayed: bool = False


@dataclass(frozen=True)
class BatchKey:
    """A batch request's Idempotency-Key; item ``i`` is issued once under ``<key>#<i>``."""

    client_id: str
    key: str

    def item(self, index: int) -> str:
        return f"{self.key}#{index}"


def issue_batch(
    factory: sessionmaker[Session],
    bundles: Sequence[Any],
    ctx: Issuing,
    *,
    idempotency: BatchKey | None = None,
) -> list[BatchItem]:
    """Issue each Bundle in its own transaction; a refused item leaves nothing behind.

    With ``idempotency``, each item is issued at most once under its own key, bound to the
    whole batch: a retry after a crash or a lost answer replays the items already issued
    and issues exactly the missing ones. The same key with another batch is
    :class:`IdempotencyKeyReused` before anything is issued.
    """
    digest = None
    if idempotency is not None:
        digest = _request_digest(["batch", list(bundles)])
        with factory() as session:
            _refuse_another_batch(session, idempotency, digest, len(bundles))
    results = []
    for index, bundle in enumerate(bundles):
        try:
            if not isinstance(bundle, Mapping):
                raise BadRequest("a batch item must be a JSON object (a FHIR Bundle)")
            # Not db.transaction: losing an item's key race rolls back inside _issue_once.
            with factory() as session:
                if idempotency is None or digest is None:
                    certificate, fresh = issue(session, bundle, ctx), True
                else:
                    certificate, fresh = _issue_once(
                        session,
                        bundle,
                        ctx,
                        client_id=idempotency.client_id,
                        key=idempotency.item(index),
                        digest=_item_digest(digest, index),
                    )
                session.commit()
            results.append(BatchItem(index, certificate=certificate, replayed=not fresh))
        except VaxxError as exc:
            results.append(BatchItem(index, error=exc))
    return results


def _item_digest(batch_digest: str, index: int) -> str:
    """An item's key is bound to the whole batch, so a retry with any change is refused."""
    return hashlib.sha256(f"{batch_digest}#{index}".encode()).hexdigest()


def _refuse_another_batch(session: Session, idempotency: BatchKey, digest: str, size: int) -> None:
    """Refuse a batch whose key already issued items of a different batch (a different body,
    order or size), before it issues anything."""
    prefix = idempotency.item(0)[:-1]
    issued = session.scalars(
        select(IdempotencyKey).where(
            IdempotencyKey.client_id == idempotency.client_id,
            IdempotencyKey.key.startswith(prefix, autoescape=True),
        )
    )
    for row in issued:
        suffix = row.key[len(prefix) :]
        if not (suffix.isascii() and suffix.isdigit()):
            continue  # another key that merely starts alike ("<key>#1#0")
        index = int(suffix)
        if index >= size or row.request_sha256 != _item_digest(digest, index):
            raise IdempotencyKeyReused(
                "this Idempotency-Key was used with a different batch of Bundles"
            )


def get(session: Session, certificate_id: str) -> IssuedCertificate:
    certificate = session.get(IssuedCertificate, certificate_id)
    if certificate is None:
        raise CertificateNotFound(f"no certificate {certificate_id!r}")
    return certificate


def revoke(session: Session, certificate_id: str, reason: str, ctx: Issuing) -> IssuedCertificate:
    """Revoke a valid certificate; trust_list publishes it from :func:`revocations_since`."""
    certificate = _valid(session, certificate_id)
    certificate.status = STATUS_REVOKED
    certificate.revoked_at = ctx.now
    certificate.revocation_reason = reason
    _audit(session, ctx, "certificate.revoke", certificate, reason=reason)
    return certificate


def reissue(
    session: Session, certificate_id: str, bundle: Mapping[str, Any], ctx: Issuing
) -> IssuedCertificate:
    """Issue a corrected certificate (new UVCI, same type) and supersede (revoke) the old."""
    old = _valid(session, certificate_id)
    new = issue(session, bundle, ctx, kind=DccType(old.kind))
    session.flush()  # old.superseded_by refers to the new row: insert it first
    old.status = STATUS_SUPERSEDED
    old.revoked_at = ctx.now
    old.superseded_by = new.id
    old.revocation_reason = f"superseded by {new.id}"
    _audit(session, ctx, "certificate.supersede", old, superseded_by=new.id)
    return new


def _valid(session: Session, certificate_id: str) -> IssuedCertificate:
    certificate = get(session, certificate_id)
    if certificate.status != STATUS_VALID:
        raise CertificateNotValid(f"certificate {certificate_id} is already {certificate.status}")
    return certificate


def _unused_uvci(session: Session, country: str) -> str:
    """A fresh UVCI; 129 random bits make a clash unheard of, but the register decides."""
    while True:
        uvci = new_uvci(country)
        if session.scalar(select(IssuedCertificate.id).where(IssuedCertificate.uvci == uvci)):
            continue
        return uvci


def _audit(
    session: Session, ctx: Issuing, action: str, certificate: IssuedCertificate, **details: Any
) -> None:
    """The audit row names the certificate by id, never by UVCI or content (personal data)."""
    details = {"kind": certificate.kind, "kid": certificate.kid.hex(), **details}
    audit.record(
        session, at=ctx.now, actor=ctx.actor, action=action, target=certificate.id, details=details
    )
