"""``/trust-list``: the signed trust list, its EU gateway shape, and the revocation list.

These routes are public (no token): a trust list is meant to be copied, and its JWS
signature, not the channel, is what a verifier trusts. Each answer carries an ETag and
Cache-Control; ``If-None-Match`` with the current ETag gives 304 and no body.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Query, Response

from trust_list import publication
from trust_list.deps import PolicyDep, RevocationSourceDep, SignerDep
from vaxx.deps import NowDep, SessionDep, SettingsDep
from vaxx.errors import InputError

router = APIRouter(prefix="/trust-list", tags=["trust list"])

JWS_MEDIA_TYPE = "application/jose+json"
IfNoneMatch = Annotated[str | None, Header()]


def _answer(
    body: bytes, etag: str, media_type: str, max_age: int, if_none_match: str | None
) -> Response:
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}, no-transform"}
    if if_none_match and etag in {tag.strip() for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


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
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The signed trust list (JWS, flattened JSON; see docs/trust-list.md)."""
    published = publication.trust_list(session, signer=signer, now=now, policy=policy)
    return _answer(
        published.document,
        published.etag,
        JWS_MEDIA_TYPE,
        settings.trust_list_cache_seconds,
        if_none_match,
    )


@router.get("/eu", response_class=Response, responses={200: {"content": {"application/json": {}}}})
def get_gateway_trust_list(
    session: SessionDep, settings: SettingsDep, if_none_match: IfNoneMatch = None
) -> Response:
    """Our trusted DSCs in the EU gateway's trust-list shape (a JSON array of items)."""
    body = orjson.dumps(publication.gateway_shape(session))
    session.rollback()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return _answer(body, etag, "application/json", settings.trust_list_cache_seconds, if_none_match)


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
