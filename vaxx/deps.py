"""FastAPI dependencies shared by every router (settings, database session, clock, auth)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from vaxx.auth import service as auth_service
from vaxx.auth.models import ApiClient
from vaxx.auth.scopes import Scope
from vaxx.errors import AuthError
from vaxx.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; the route commits what it means to keep."""
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as session:
        yield session


def get_now(request: Request) -> datetime:
    """The request's one reading of the clock."""
    now: datetime = request.app.state.clock()
    return now


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
NowDep = Annotated[datetime, Depends(get_now)]

_bearer = HTTPBearer(auto_error=False, description="API client token (`vx_...`)")


def require_scope(scope: Scope) -> Callable[..., ApiClient]:
    """A dependency that admits only clients holding ``scope`` (401 without a token, 403 without
    the scope)."""

    def dependency(
        session: SessionDep,
        now: NowDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> ApiClient:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise AuthError("send an API client token as 'Authorization: Bearer <token>'")
        client = auth_service.authenticate(session, credentials.credentials, now=now)
        auth_service.require(client, scope)
        return client

    dependency.__name__ = f"require_{scope.value.replace('-', '_')}"
    # The scopes this guard admits, read by the authorisation matrix test.
    dependency.admitted_scopes = frozenset({scope})  # type: ignore[attr-defined]
    return dependency


AdminClient = Annotated[ApiClient, Depends(require_scope(Scope.ADMIN))]
IssuerClient = Annotated[ApiClient, Depends(require_scope(Scope.ISSUER))]
VerifierClient = Annotated[ApiClient, Depends(require_scope(Scope.VERIFIER))]
BookingStaffClient = Annotated[ApiClient, Depends(require_scope(Scope.BOOKING_STAFF))]
