"""Create, list, revoke and authenticate API clients (shared by the CLI and the API)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vaxx import audit
from vaxx.auth.models import ApiClient
from vaxx.auth.scopes import Scope
from vaxx.auth.tokens import display_prefix, hash_token, new_token
from vaxx.errors import AuthError, Forbidden, InputError, NotFound


@dataclass(frozen=True)
class NewClient:
    """A just-created client with its token: the only time the token exists in clear."""

    client: ApiClient
    token: str


def create_client(
    session: Session,
    *,
    name: str,
    scopes: list[Scope],
    now: datetime,
    actor: str,
    expires_at: datetime | None = None,
) -> NewClient:
    name = name.strip()
    if not name or len(name) > 200:
        raise InputError("client name must be 1-200 characters")
    if not scopes:
        raise InputError("a client needs at least one scope")
    if expires_at is not None and expires_at <= now:
        raise InputError("expires_at must be in the future")
    token = new_token()
    client = ApiClient(
        id=secrets.token_hex(8),
        name=name,
        scopes=sorted({scope.value for scope in scopes}),
        token_hash=hash_token(token),
        token_prefix=display_prefix(token),
        created_at=now,
        expires_at=expires_at,
        revoked_at=None,
    )
    session.add(client)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="client.create",
        target=client.id,
        details={"name": client.name, "scopes": client.scopes},
    )
    return NewClient(client=client, token=token)


def list_clients(session: Session) -> list[ApiClient]:
    return list(session.scalars(select(ApiClient).order_by(ApiClient.created_at, ApiClient.id)))


def revoke_client(session: Session, client_id: str, *, now: datetime, actor: str) -> ApiClient:
    client = session.get(ApiClient, client_id)
    if client is None:
        raise NotFound(f"no API client {client_id!r}")
    if client.revoked_at is None:
        client.revoked_at = now
        audit.record(session, at=now, actor=actor, action="client.revoke", target=client.id)
    return client


def authenticate(session: Session, token: str, *, now: datetime) -> ApiClient:
    client = session.scalar(select(ApiClient).where(ApiClient.token_hash == hash_token(token)))
    if client is None or not client.is_active(now):
        raise AuthError("the bearer token is unknown, expired or revoked")
    return client


def require(client: ApiClient, scope: Scope) -> None:
    if scope.value not in client.scopes:
        raise Forbidden(f"this client lacks the {scope.value!r} scope")
