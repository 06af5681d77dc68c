"""The holder's certificates: list, one certificate, its HC1 text, QR PNG/SVG, bilingual PDF,
Taiwan IG FHIR Bundle and current status. Every route first asks the access rule
(:func:`wallet_api.sessions.require_visible`); anything else is a 404 problem. Rendering
is CPU work, so the routes are plain ``def``."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Request, Response

from vaxx.deps import NowDep, SessionDep
from wallet_api import sessions
from wallet_api._internal.localized import LocalizedRoute
from wallet_api.deps import HolderDep, LanguageDep, SourceDep
from wallet_api.errors import CertificateNotFound
from wallet_api.i18n import Language, text
from wallet_api.schemas import (
    CertificateLinks,
    CertificateList,
    CertificatePublic,
    FieldPublic,
    StatusPublic,
)
from wallet_api.source import CertificateSource, HeldCertificate

router = APIRouter(prefix="/wallet/api/certificates", tags=["wallet"], route_class=LocalizedRoute)
PRIVATE = {"Cache-Control": "private, no-store"}
"""A holder's certificate must not sit in shared caches; the page's service worker keeps
its own copy on the device."""


def _visible(
    certificate_id: str, holder: HolderDep, session: SessionDep, source: SourceDep
) -> HeldCertificate:
    sessions.require_visible(session, holder, certificate_id)
    certificate = source.get(session, certificate_id)
    if certificate is None:
        raise CertificateNotFound(f"no certificate {certificate_id!r} in this wallet")
    return certificate


Visible = Annotated[HeldCertificate, Depends(_visible)]


def _links(request: Request, certificate_id: str) -> CertificateLinks:
    def url(name: str) -> str:
        return str(request.app.url_path_for(name, certificate_id=certificate_id))

    return CertificateLinks(
        self=url("wallet_certificate"),
        hc1=url("wallet_hc1"),
        qr_png=url("wallet_qr_png"),
        qr_svg=url("wallet_qr_svg"),
        pdf=url("wallet_pdf"),
        fhir=url("wallet_fhir"),
        status=url("wallet_status"),
    )


def _public(
    request: Request,
    certificate: HeldCertificate,
    *,
    source: CertificateSource,
    language: Language,
    now: NowDep,
    held: str,
) -> CertificatePublic:
    status = certificate.status(now)
    fields = [
        FieldPublic(label=zh if language == "zh-TW" else en, value=value)
        for zh, en, value in source.fields(certificate)
    ]
    return CertificatePublic(
        id=certificate.id,
        uvci=certificate.uvci,
        type=certificate.kind,
        type_label=text(f"kind_{certificate.kind}", language),
        status=status.value,
        status_label=text(f"status_{status.value}", language),
        held="own" if held == "own" else "delegated",
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        hc1=certificate.hc1,
        fields=fields,
        links=_links(request, certificate.id),
    )


@router.get("", name="wallet_certificates", summary="My certificates (and delegated ones)")
def list_certificates(
    request: Request,
    response: Response,
    holder: HolderDep,
    session: SessionDep,
    source: SourceDep,
    language: LanguageDep,
    now: NowDep,
) -> CertificateList:
    own = set(sessions.visible_certificate_ids(session, holder, own_only=True))
    listed = []
    for certificate_id in sessions.visible_certificate_ids(session, holder):
        certificate = source.get(session, certificate_id)
        if certificate is not None:
            held = "own" if certificate_id in own else "delegated"
            listed.append(
                _public(request, certificate, source=source, language=language, now=now, held=held)
            )
    response.headers.update(PRIVATE)
    return CertificateList(certificates=listed)


@router.get("/{certificate_id}", name="wallet_certificate", summary="One certificate")
def get_certificate(
    request: Request,
    response: Response,
    certificate: Visible,
    holder: HolderDep,
    session: SessionDep,
    source: SourceDep,
    language: LanguageDep,
    now: NowDep,
) -> CertificatePublic:
    own = certificate.id in sessions.visible_certificate_ids(session, holder, own_only=True)
    response.headers.update(PRIVATE)
    held = "own" if own else "delegated"
    return _public(request, certificate, source=source, language=language, now=now, held=held)


@router.get("/{certificate_id}/hc1", name="wallet_hc1", response_class=Response)
def hc1(certificate: Visible) -> Response:
    return Response(certificate.hc1, media_type="text/plain; charset=utf-8", headers=PRIVATE)


@router.get("/{certificate_id}/qr.png", name="wallet_qr_png", response_class=Response)
def qr_png(certificate: Visible, source: SourceDep) -> Response:
    return Response(source.qr_png(certificate), media_type="image/png", headers=PRIVATE)


@router.get("/{certificate_id}/qr.svg", name="wallet_qr_svg", response_class=Response)
def qr_svg(certificate: Visible, source: SourceDep) -> Response:
    return Response(source.qr_svg(certificate), media_type="image/svg+xml", headers=PRIVATE)


@router.get("/{certificate_id}/pdf", name="wallet_pdf", response_class=Response)
def pdf(certificate: Visible, source: SourceDep) -> Response:
    """The bilingual paper certificate (Traditional Chinese and English on one page)."""
    disposition = f'attachment; filename="certificate-{certificate.id}.pdf"'
    headers = {**PRIVATE, "Content-Disposition": disposition}
    return Response(source.pdf(certificate), media_type="application/pdf", headers=headers)


@router.get("/{certificate_id}/fhir", name="wallet_fhir", response_class=Response)
def fhir(certificate: Visible, source: SourceDep) -> Response:
    """The Taiwan IG FHIR Bundle the certificate was issued from."""
    body = orjson.dumps(source.fhir(certificate))
    return Response(body, media_type="application/fhir+json", headers=PRIVATE)


@router.get("/{certificate_id}/status", name="wallet_status", summary="Current status")
def status(
    response: Response,
    certificate: Visible,
    holder: HolderDep,
    session: SessionDep,
    language: LanguageDep,
    now: NowDep,
) -> StatusPublic:
    current = certificate.status(now)
    successor = certificate.superseded_by
    if successor and successor not in sessions.visible_certificate_ids(session, holder):
        successor = None
    response.headers.update(PRIVATE)
    return StatusPublic(
        id=certificate.id,
        status=current.value,
        label=text(f"status_{current.value}", language),
        expires_at=certificate.expires_at,
        superseded_by=successor,
    )
