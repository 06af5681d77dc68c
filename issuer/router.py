"""HTTP API of the issuer (scope ``issuer``). Signing and rendering are CPU work, so every
route is a plain ``def`` (FastAPI runs it in the thread pool)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Depends, FastAPI, Header, Query, Request, Response

from issuer import card, keys, paper, qr, service
from issuer.errors import BadRequest, BatchTooLarge
from issuer.keys import DccType, KeyStore, open_store
from issuer.models import IssuedCertificate
from issuer.schemas import (
    BatchRequest,
    BatchResponse,
    BatchResult,
    CertificateLinks,
    CertificatePublic,
    RevokeRequest,
)
from vaxx.deps import IssuerClient, NowDep, SessionDep, SettingsDep
from vaxx.problems import problem_body
from vaxx.settings import Settings
from vaxx.shared_state import SharedStateDep
from vaxx.shared_state.in_flight import idempotency_lock_key, in_flight
from wallet_api.issuance import claim_hook_for, claim_slip_of

router = APIRouter(prefix="/issuer/certificates", tags=["issuer"])
BundleBody = Annotated[dict[str, Any], Body(description="A FHIR Bundle per the Taiwan DCC IG")]
TypeQuery = Annotated[
    DccType | None,
    Query(
        alias="type",
        description="Default: what the Bundle holds; 'recovery' certifies "
        "recovery from a positive NAAT Observation",
    ),
]
MAX_IDEMPOTENCY_KEY = 200


def install(app: FastAPI) -> None:
    """Mount the routes, open the key store, and add the ``keys`` readiness check."""
    store = open_store(app.state.settings)
    app.state.issuer_keys = store

    def keys_ready() -> None:
        now = app.state.clock()
        _with_keys(app.state.settings, store, now).check(now)

    app.state.readiness_checks["keys"] = keys_ready
    app.include_router(router)


def _with_keys(settings: Settings, store: KeyStore, now: datetime) -> KeyStore:
    """The store, created first if this is a development app that has none yet (production
    raises: its keys come from ``vaxx keys init``)."""
    if not store.exists():
        keys.prepare(settings, now, store)
    return store


def _issuing(
    request: Request, client: IssuerClient, settings: SettingsDep, now: NowDep
) -> service.Issuing:
    store = _with_keys(settings, request.app.state.issuer_keys, now)
    return service.Issuing(
        keys=store,
        settings=settings,
        now=now,
        actor=f"client:{client.id}",
        on_issued=claim_hook_for(request, settings, now),
    )


IssuingDep = Annotated[service.Issuing, Depends(_issuing)]


def _public(request: Request, certificate: IssuedCertificate) -> CertificatePublic:
    def url(name: str) -> str:
        return str(request.url_for(name, certificate_id=certificate.id))

    links = CertificateLinks(
        qr_png=url("issuer_qr_png"),
        qr_svg=url("issuer_qr_svg"),
        pdf=url("issuer_pdf"),
        fhir=url("issuer_fhir"),
    )
    return CertificatePublic.of(certificate, links, claim_slip_of(request, certificate.id))


@router.post("", status_code=201, summary="Issue a certificate from a FHIR Bundle")
def issue(
    request: Request,
    response: Response,
    bundle: BundleBody,
    session: SessionDep,
    ctx: IssuingDep,
    client: IssuerClient,
    state: SharedStateDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    type_: TypeQuery = None,
) -> CertificatePublic:
    if idempotency_key is None:
        certificate = service.issue(session, bundle, ctx, kind=type_)
        session.commit()
    else:
        _check_key(idempotency_key)
        # Held until the commit: a duplicate on any replica meanwhile is a 409 to retry,
        # not a second signature thrown away at the insert.
        with in_flight(state, idempotency_lock_key("issue", client.id, idempotency_key)):
            certificate, fresh = service.issue_once(
                session, bundle, ctx, client_id=client.id, key=idempotency_key, kind=type_
            )
            response.headers["Idempotent-Replayed"] = "false" if fresh else "true"
            session.commit()
    response.headers["Location"] = str(request.url_for("issuer_get", certificate_id=certificate.id))
    return _public(request, certificate)


def _check_key(key: str, longest: int = MAX_IDEMPOTENCY_KEY) -> None:
    if not 0 < len(key) <= longest or not key.isascii() or not key.isprintable():
        raise BadRequest(f"Idempotency-Key must be 1-{longest} printable ASCII chars")


BATCH_DESCRIPTION = """Each Bundle is issued in its own transaction: a malformed item fails alone.

With an `Idempotency-Key` header, item *i* is issued at most once under the key
`<Idempotency-Key>#<i>` (so the header may be at most 200 characters minus the `#` and the
digits of the largest index the configured batch size allows). Retrying the same request
after a timeout or a server crash replays the certificates already issued (`replayed: true`,
each with a fresh claim code) and issues exactly the missing ones. The key is bound to the
whole batch: reusing it with any other batch (other Bundles, order or count) is a 409
`idempotency_key_reused`, and nothing is issued. While a request with the key is still being
carried out (on any replica), another is a 409 `idempotency_key_in_flight` with
`Retry-After: 1`."""


@router.post(
    "/batch",
    summary="Issue up to the configured number of certificates at once (idempotent with a key)",
    description=BATCH_DESCRIPTION,
)
def issue_batch(
    request: Request,
    body: BatchRequest,
    settings: SettingsDep,
    ctx: IssuingDep,
    client: IssuerClient,
    state: SharedStateDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> BatchResponse:
    if len(body.bundles) > settings.issuer_batch_max:
        raise BatchTooLarge(
            f"{len(body.bundles)} bundles in one batch; at most {settings.issuer_batch_max}"
        )
    factory = request.app.state.sessionmaker
    if idempotency_key is None:
        items = service.issue_batch(factory, body.bundles, ctx)
    else:
        suffix = len(f"#{max(settings.issuer_batch_max - 1, 0)}")
        _check_key(idempotency_key, MAX_IDEMPOTENCY_KEY - suffix)
        batch_key = service.BatchKey(client_id=client.id, key=idempotency_key)
        # As for one certificate: a duplicate while this batch runs is a 409 to retry (each
        # item's key would still settle a race, but only after signing it twice).
        with in_flight(state, idempotency_lock_key("batch", client.id, idempotency_key)):
            items = service.issue_batch(factory, body.bundles, ctx, idempotency=batch_key)
    results = [_batch_result(request, item) for item in items]
    issued = sum(1 for item in items if item.certificate is not None)
    replayed = sum(1 for item in items if item.replayed)
    return BatchResponse(
        issued=issued, replayed=replayed, failed=len(items) - issued, results=results
    )


def _batch_result(request: Request, item: service.BatchItem) -> BatchResult:
    if item.certificate is not None:
        return BatchResult(
            index=item.index,
            status=201,
            replayed=item.replayed,
            certificate=_public(request, item.certificate),
        )
    assert item.error is not None  # noqa: S101 - a BatchItem holds one or the other
    error = item.error
    problem = problem_body(
        status=error.status, code=error.code, title=error.title, detail=error.detail, **error.extra
    )
    return BatchResult(index=item.index, status=error.status, problem=problem)


@router.get("/{certificate_id}", name="issuer_get", summary="A certificate from the register")
def get(
    request: Request, certificate_id: str, session: SessionDep, _: IssuerClient
) -> CertificatePublic:
    return _public(request, service.get(session, certificate_id))


@router.get("/{certificate_id}/qr.png", name="issuer_qr_png", response_class=Response)
def qr_png(certificate_id: str, session: SessionDep, _: IssuerClient) -> Response:
    certificate = service.get(session, certificate_id)
    return Response(qr.png(certificate.hc1), media_type="image/png")


@router.get("/{certificate_id}/qr.svg", name="issuer_qr_svg", response_class=Response)
def qr_svg(certificate_id: str, session: SessionDep, _: IssuerClient) -> Response:
    certificate = service.get(session, certificate_id)
    return Response(qr.svg(certificate.hc1), media_type="image/svg+xml")


@router.get("/{certificate_id}/pdf", name="issuer_pdf", response_class=Response)
def pdf(
    certificate_id: str, session: SessionDep, settings: SettingsDep, _: IssuerClient
) -> Response:
    certificate = service.get(session, certificate_id)
    document = paper.render(
        kind=certificate.kind,
        fields=card.fields(certificate.payload, certificate.bundle),
        hc1=certificate.hc1,
        fonts=paper.find_fonts(settings.issuer_pdf_font),
        created_at=certificate.issued_at,
    )
    disposition = f'inline; filename="certificate-{certificate.id}.pdf"'
    headers = {"Content-Disposition": disposition}
    return Response(document, media_type="application/pdf", headers=headers)


@router.get("/{certificate_id}/fhir", name="issuer_fhir", response_class=Response)
def fhir(certificate_id: str, session: SessionDep, _: IssuerClient) -> Response:
    """The source FHIR Bundle, as the clinic sent it."""
    certificate = service.get(session, certificate_id)
    return Response(orjson.dumps(certificate.bundle), media_type="application/fhir+json")


@router.post("/{certificate_id}/revoke", summary="Revoke a certificate")
def revoke(
    request: Request,
    certificate_id: str,
    body: RevokeRequest,
    session: SessionDep,
    ctx: IssuingDep,
) -> CertificatePublic:
    certificate = service.revoke(session, certificate_id, body.reason, ctx)
    session.commit()
    return _public(request, certificate)


@router.post("/{certificate_id}/reissue", status_code=201, summary="Re-issue a corrected record")
def reissue(
    request: Request, certificate_id: str, bundle: BundleBody, session: SessionDep, ctx: IssuingDep
) -> CertificatePublic:
    """Issue from the corrected Bundle (new UVCI); the old certificate becomes superseded."""
    certificate = service.reissue(session, certificate_id, bundle, ctx)
    session.commit()
    return _public(request, certificate)
