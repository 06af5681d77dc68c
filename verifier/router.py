"""``POST /verifier/verify``: online verification for clients with the ``verifier`` scope.

Input: JSON ``{"qr": "HC1:...", "policy": "TW-booster"}`` (policy optional), or a
multipart form with an ``image`` file (PNG/JPEG) and an optional ``policy`` field. The
answer is always 200 with the result (verdict and per-step outcomes): a certificate
that fails is a normal answer, not an error. Malformed requests are 422 problems.
Scope rather than public-with-rate-limit, because results disclose a holder's name and
birth date. Verification is CPU work, so it runs in the thread pool.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from vaxx import metrics
from vaxx.deps import NowDep, SessionDep, VerifierClient
from vaxx.errors import InputError, NotFound
from verifier.pipeline import Policy, check
from verifier.policies import policy as shipped_policy
from verifier.service import ServerTrustCache

router = APIRouter(prefix="/verifier", tags=["verifier"])
MAX_QR_TEXT = 8 * 1024
_ASSETS = {"verify.js": "text/javascript", "verify.css": "text/css"}


@router.get("/", summary="The verifier web page (zh-TW / English)", include_in_schema=False)
def page() -> Response:
    """Static page; it holds no data and calls ``POST /verifier/verify`` with the user's token."""
    return Response(_asset("verify.html"), media_type="text/html; charset=utf-8")


@router.get("/assets/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    if name not in _ASSETS:
        raise NotFound(f"no asset {name!r}")
    return Response(_asset(name), media_type=f"{_ASSETS[name]}; charset=utf-8")


@cache
def _asset(name: str) -> bytes:
    return resources.files("verifier.static").joinpath(name).read_bytes()


@router.post("/verify", summary="Verify an HC1 QR code (text or picture)")
async def verify_certificate(
    request: Request, session: SessionDep, now: NowDep, _client: VerifierClient
) -> Response:
    qr, image, policy_name = await _read_request(request)
    policy = shipped_policy(policy_name) if policy_name else Policy()
    cache = _cache(request)

    def run() -> dict[str, Any]:
        trust = cache.get(session, now)
        active = Policy(policy.country, policy.rules, trust.revocations, policy.skew)
        result = check(qr, image=image, trust=trust.keys, now=now, policy=active)
        metrics.VERIFICATIONS.labels(result.verdict.value).inc()
        return result.to_dict()

    body = await run_in_threadpool(run)
    return Response(orjson.dumps(body), media_type="application/json")


def _cache(request: Request) -> ServerTrustCache:
    cache: ServerTrustCache | None = getattr(request.app.state, "verifier_trust", None)
    if cache is None:
        cache = ServerTrustCache()
        request.app.state.verifier_trust = cache
    return cache


async def _read_request(request: Request) -> tuple[str | None, bytes | None, str | None]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=4) as form:
            upload, policy = form.get("image"), form.get("policy")
            if upload is None or isinstance(upload, str):
                raise InputError("the form needs an 'image' file")
            return None, await upload.read(), _policy_name(policy)
    try:
        data = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise InputError('send JSON {"qr": "HC1:..."} or a multipart \'image\'') from None
    if not isinstance(data, dict) or not isinstance(data.get("qr"), str):
        raise InputError("JSON body must be an object with a string 'qr'")
    if len(data["qr"]) > MAX_QR_TEXT:
        raise InputError(f"qr longer than {MAX_QR_TEXT} characters")
    return data["qr"], None, _policy_name(data.get("policy"))


def _policy_name(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError("policy must be a string")
    return value
