"""FastAPI dependencies of the wallet: policy, notifier, certificate source, language, holder.

The notifier and source can be replaced per app (``app.state.wallet_notifier``,
``app.state.wallet_source``), which is how a deployment plugs in its SMS/email gateway.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from vaxx.deps import NowDep, SessionDep, SettingsDep
from wallet_api import sessions
from wallet_api.errors import HolderUnauthenticated
from wallet_api.i18n import Language, negotiate
from wallet_api.issuer_source import IssuerRegister
from wallet_api.limits import DatabaseLimiter
from wallet_api.notify import Notifier, OutboxNotifier
from wallet_api.policy import WalletPolicy
from wallet_api.source import CertificateSource

_bearer = HTTPBearer(auto_error=False, description="Holder token (`vxh_...`)")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_policy(settings: SettingsDep) -> WalletPolicy:
    return WalletPolicy.from_settings(settings)


def get_notifier(request: Request, settings: SettingsDep) -> Notifier:
    notifier: Notifier | None = getattr(request.app.state, "wallet_notifier", None)
    return notifier or OutboxNotifier(log_codes=settings.env == "development")


def get_source(request: Request, settings: SettingsDep) -> CertificateSource:
    source: CertificateSource | None = getattr(request.app.state, "wallet_source", None)
    return source or IssuerRegister(pdf_font=settings.issuer_pdf_font)


def get_language(request: Request) -> Language:
    return negotiate(request.headers.get("accept-language"))


def get_limiter(
    session: SessionDep, policy: Annotated[WalletPolicy, Depends(get_policy)]
) -> DatabaseLimiter:
    return DatabaseLimiter(session, policy.limits)


def client_address(request: Request) -> str:
    """The peer address (uvicorn's ``--forwarded-allow-ips`` makes it the real client behind
    a trusted proxy)."""
    return request.client.host if request.client else "unknown"


def holder_or_none(session: SessionDep, now: NowDep, credentials: Credentials) -> str | None:
    """The holder behind the bearer token; None without one; 401 for a bad one."""
    if credentials is None:
        return None
    if credentials.scheme.lower() != "bearer":
        raise HolderUnauthenticated("send the holder token as 'Authorization: Bearer <token>'")
    return sessions.authenticate(session, credentials.credentials, now=now)


def current_holder(holder: Annotated[str | None, Depends(holder_or_none)]) -> str:
    if holder is None:
        raise HolderUnauthenticated("send the holder token as 'Authorization: Bearer <token>'")
    return holder


PolicyDep = Annotated[WalletPolicy, Depends(get_policy)]
NotifierDep = Annotated[Notifier, Depends(get_notifier)]
SourceDep = Annotated[CertificateSource, Depends(get_source)]
LanguageDep = Annotated[Language, Depends(get_language)]
LimiterDep = Annotated[DatabaseLimiter, Depends(get_limiter)]
ClientAddress = Annotated[str, Depends(client_address)]
HolderDep = Annotated[str, Depends(current_holder)]
OptionalHolderDep = Annotated[str | None, Depends(holder_or_none)]
