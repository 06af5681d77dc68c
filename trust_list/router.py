"""``/trust-list``: the signed trust list, its EU gateway shape, and the revocation list.

These routes are public (no token): a trust list is meant to be copied, and its JWS
signature, not the channel, is what a verifier trusts. Each answer carries an ETag and
Cache-Control; ``If-None-Match`` with the current ETag gives 304 and no body.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from trust_list import publication, service
from trust_list.deps import PolicyDep, RevocationSourceDep, SignerDep
from trust_list.models import Publication
from vaxx.deps import NowDep, SessionDep, SettingsDep
from vaxx.errors import InputError
from vaxx.shared_state import SharedStateDep, cache
from vaxx.shared_state.invalidation import TRUST_LIST

router = APIRouter(prefix="/trust-list", tags=["trust list"])

JWS_MEDIA_TYPE = "application/jose+json"
IfNoneMatch = Annotated[str | None, Header()]


def _held(if_none_match: str | None, etag: str) -> bool:
    return etag in {tag.strip() for tag in (if_none_match or "").split(",")}


def _answer(
    body: bytes | None, etag: str, media_type: str, max_age: int, if_none_match: str | None
) -> Response:
    """200 with ``body``, or 304 when the client holds ``etag`` (``body`` None: it does)."""
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}, no-transform"}
    if body is None or _held(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


@dataclass(frozen=True, slots=True)
class _Head:
    version: int
    generation: int
    etag: str | None
    """The stored document's ETag, or None when it must be (re)built on this read."""


def _head(session: Session, now: datetime, policy: publication.Policy) -> _Head:
    """The trust list's publication row without its document: one small read that says
    whether the stored document is current (as :func:`publication.trust_list` decides)."""
    row = session.execute(
        select(
            Publication.version,
            Publication.generation,
            Publication.published_generation,
            Publication.expires_at,
            Publication.etag,
        ).where(Publication.name == service.TRUST_LIST)
    ).one()
    session.rollback()
    current = (
        row.generation == row.published_generation
        and row.expires_at is not None
        and row.expires_at - now > policy.resign_before
    )
    return _Head(row.version, row.generation, row.etag if current else None)


@router.get(
    "",
    response_class=Response,
    responses={200: {"content": {JWS_MEDIA_TYPE: {}}, "description": "The signed trust list"}},
)
def get_trust_list(
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    signer: SignerDep,
    policy: PolicyDep,
    state: SharedStateDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The signed trust list (JWS, flattened JSON; see docs/trust-list.md).

    The database says which version is current (a small read without the document); a
    client holding it gets 304 from that alone, and the document itself comes from the
    shared cache, keyed by its version, so every replica signs and loads it once."""
    max_age = settings.trust_list_cache_seconds
    head = _head(session, now, policy)
    if head.etag is not None and _held(if_none_match, head.etag):
        return _answer(None, head.etag, JWS_MEDIA_TYPE, max_age, if_none_match)

    def compute() -> cache.Representation:
        published = publication.trust_list(session, signer=signer, now=now, policy=policy)
        return cache.Representation(published.document, published.etag, JWS_MEDIA_TYPE)

    if head.etag is None:  # built or re-signed now (or by a racing replica): not cached
        item = compute()
    else:
        key = f"trust-list@{head.version}"
        item = cache.cached(state, TRUST_LIST, key, ttl_seconds=max_age, now=now, compute=compute)
    return _answer(item.body, item.etag, JWS_MEDIA_TYPE, max_age, if_none_match)


@router.get("/eu", response_class=Response, responses={200: {"content": {"application/json": {}}}})
def get_gateway_trust_list(
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    policy: PolicyDep,
    state: SharedStateDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Our trusted DSCs in the EU gateway's trust-list shape (a JSON array of items),
    cached by the trust list's generation (every change of the trusted keys bumps it)."""
    max_age = settings.trust_list_cache_seconds

    def compute() -> cache.Representation:
        body = orjson.dumps(publication.gateway_shape(session))
        session.rollback()
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        return cache.Representation(body, etag, "application/json")

    item = cache.cached(
        state,
        TRUST_LIST,
        f"trust-list/eu@{_head(session, now, policy).generation}",
        ttl_seconds=max_age,
        now=now,
        compute=compute,
        held=(lambda etag: _held(if_none_match, etag)) if if_none_match else None,
    )
    return _answer(item.body, item.etag, "application/json", max_age, if_none_match)


@router.get(
    "/revocations",
    response_class=Response,
    responses={200: {"content": {JWS_MEDIA_TYPE: {}}, "description": "Signed revocation list"}},
)
def get_revocations(
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    signer: SignerDep,
    policy: PolicyDep,
    source: RevocationSourceDep,
    since: Annotated[
        datetime | None, Query(description="Only revocations after this instant")
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The signed revocation list: hashes of revoked certificates grouped by kid."""
    published = publication.revocations(
        session, signer=signer, now=now, policy=policy, source=source
    )
    if since is None:
        return _answer(
            published.document,
            published.etag,
            JWS_MEDIA_TYPE,
            settings.trust_list_cache_seconds,
            if_none_match,
        )
    if since.tzinfo is None:
        raise InputError("since must carry a timezone, e.g. 2026-11-23T00:00:00Z")
    delta = publication.revocations_delta(
        session, since, signer=signer, now=now, published=published, source=source
    )
    session.rollback()
    etag = f'"{published.version}-since-{hashlib.sha256(delta).hexdigest()[:16]}"'
    return Response(
        content=delta,
        media_type=JWS_MEDIA_TYPE,
        headers={"ETag": etag, "Cache-Control": "public, max-age=60, no-transform"},
    )


@router.get(
    "/revocations/bloom",
    response_class=Response,
    responses={200: {"content": {JWS_MEDIA_TYPE: {}}, "description": "Signed Bloom filters"}},
)
def get_revocation_bloom(
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    signer: SignerDep,
    policy: PolicyDep,
    source: RevocationSourceDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The revocations as one Bloom filter per kid (``fp_rate`` stated in the document):
    no false "not revoked"; confirm a hit with ``/trust-list/revocations``."""
    published = publication.revocations_bloom(
        session, signer=signer, now=now, policy=policy, source=source
    )
    return _answer(
        published.document,
        published.etag,
        JWS_MEDIA_TYPE,
        settings.trust_list_cache_seconds,
        if_none_match,
    )
