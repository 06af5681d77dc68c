"""HTTP API of the wallet: holder access (claim, national-ID login, logout, delegation),
the holder's certificates (``certificate_routes``) and the wallet page (``page``).

Refused attempts still commit: the failure count is the point of the limiter, and a
rollback would let a guesser reset their own counter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from vaxx import audit
from vaxx.deps import IssuerClient, NowDep, SessionDep
from wallet_api import delegations, login, page, service, sessions
from wallet_api._internal.localized import LocalizedRoute
from wallet_api.certificate_routes import router as certificate_router
from wallet_api.deps import (
    ClientAddress,
    Credentials,
    HolderDep,
    LanguageDep,
    LimiterDep,
    NotifierDep,
    OptionalHolderDep,
    PolicyDep,
    SourceDep,
)
from wallet_api.errors import CertificateNotFound, WalletError
from wallet_api.i18n import text
from wallet_api.schemas import (
    AcceptDelegationRequest,
    ClaimCodeCreated,
    ClaimCodeRequest,
    ClaimRequest,
    DelegationCreated,
    DelegationList,
    DelegationPublic,
    GrantPublic,
    LoginFinishRequest,
    LoginStartRequest,
    Notice,
)
from wallet_api.sessions import Grant

api = APIRouter(prefix="/wallet/api", tags=["wallet"], route_class=LocalizedRoute)


@contextmanager
def _counting_failures(session: Session) -> Iterator[None]:
    try:
        yield
    except WalletError:
        session.commit()
        raise
    session.commit()


def _public(grant: Grant) -> GrantPublic:
    return GrantPublic(
        token=grant.token, expires_at=grant.expires_at, certificate_ids=list(grant.certificate_ids)
    )


@api.post("/claim", summary="Claim code + birth date -> holder token")
def claim(
    body: ClaimRequest,
    session: SessionDep,
    now: NowDep,
    policy: PolicyDep,
    limiter: LimiterDep,
    client: ClientAddress,
    holder: OptionalHolderDep,
) -> GrantPublic:
    """With a holder token the certificate joins that wallet; without one, a new wallet."""
    with _counting_failures(session):
        grant = service.claim(
            session,
            code=body.code,
            birth_date=body.birth_date,
            client=client,
            now=now,
            policy=policy,
            limiter=limiter,
            holder_id=holder,
        )
    return _public(grant)


@api.post("/login/start", status_code=202, summary="National ID + birth date -> one-time code")
def login_start(
    body: LoginStartRequest,
    session: SessionDep,
    now: NowDep,
    policy: PolicyDep,
    limiter: LimiterDep,
    notifier: NotifierDep,
    client: ClientAddress,
    language: LanguageDep,
) -> Notice:
    """The same answer whether or not the person is known."""
    with _counting_failures(session):
        login.start_login(
            session,
            national_id=body.national_id,
            birth_date=body.birth_date,
            client=client,
            now=now,
            policy=policy,
            limiter=limiter,
            notifier=notifier,
        )
    return Notice(detail=text("login_sent", language))


@api.post("/login/finish", summary="National ID + birth date + one-time code -> holder token")
def login_finish(
    body: LoginFinishRequest,
    session: SessionDep,
    now: NowDep,
    policy: PolicyDep,
    limiter: LimiterDep,
    client: ClientAddress,
) -> GrantPublic:
    with _counting_failures(session):
        grant = login.finish_login(
            session,
            national_id=body.national_id,
            birth_date=body.birth_date,
            code=body.code,
            client=client,
            now=now,
            policy=policy,
            limiter=limiter,
        )
    return _public(grant)


@api.post("/logout", status_code=204, response_class=Response, summary="End this holder token")
def logout(_: HolderDep, credentials: Credentials, session: SessionDep, now: NowDep) -> Response:
    if credentials is not None:
        sessions.end_session(session, credentials.credentials, now=now)
    session.commit()
    return Response(status_code=204)


@api.post("/delegations", status_code=201, summary="Invite someone to see my certificates")
def create_delegation(
    holder: HolderDep, session: SessionDep, now: NowDep, policy: PolicyDep
) -> DelegationCreated:
    code, row = delegations.invite(session, grantor_id=holder, now=now, policy=policy)
    session.commit()
    return DelegationCreated(id=row.id, code=code, expires_at=row.invite_expires_at)


@api.post("/delegations/accept", summary="Accept an invitation with my own holder token")
def accept_delegation(
    body: AcceptDelegationRequest,
    holder: HolderDep,
    session: SessionDep,
    now: NowDep,
    policy: PolicyDep,
    limiter: LimiterDep,
    client: ClientAddress,
) -> DelegationPublic:
    with _counting_failures(session):
        row = delegations.accept(
            session,
            grantee_id=holder,
            code=body.code,
            client=client,
            now=now,
            policy=policy,
            limiter=limiter,
        )
    return DelegationPublic(
        id=row.id,
        role="grantee",
        accepted=True,
        created_at=row.created_at,
        accepted_at=row.accepted_at,
    )


@api.get("/delegations", summary="Delegations I granted or received")
def list_delegations(holder: HolderDep, session: SessionDep) -> DelegationList:
    return DelegationList(
        delegations=[
            DelegationPublic(
                id=row.id,
                role="grantor" if row.grantor_id == holder else "grantee",
                accepted=row.accepted_at is not None,
                created_at=row.created_at,
                accepted_at=row.accepted_at,
            )
            for row in delegations.involving(session, holder)
        ]
    )


@api.delete("/delegations/{delegation_id}", status_code=204, response_class=Response)
def revoke_delegation(
    delegation_id: str, holder: HolderDep, session: SessionDep, now: NowDep
) -> Response:
    delegations.revoke(session, holder_id=holder, delegation_id=delegation_id, now=now)
    session.commit()
    return Response(status_code=204)


@api.post("/claim-codes", status_code=201, summary="(issuer scope) A new claim code")
def new_claim_code(
    body: ClaimCodeRequest,
    client: IssuerClient,
    session: SessionDep,
    now: NowDep,
    policy: PolicyDep,
    notifier: NotifierDep,
    source: SourceDep,
) -> ClaimCodeCreated:
    """For the clinic counter: a replacement slip when the holder lost theirs. The new code
    retires the certificate's unused ones."""
    certificate = source.get(session, body.certificate_id)
    if certificate is None:
        raise CertificateNotFound(f"no certificate {body.certificate_id!r}")
    code = service.create_claim_for_certificate(
        session, certificate, now=now, notifier=notifier, policy=policy
    )
    audit.record(
        session,
        at=now,
        actor=f"client:{client.id}",
        action="wallet.claim_code",
        target=certificate.id,
    )
    session.commit()
    return ClaimCodeCreated(
        certificate_id=certificate.id, claim_code=code, expires_at=now + policy.claim_lifetime
    )


router = APIRouter()
router.include_router(api)
router.include_router(certificate_router)
router.include_router(page.router)
