"""Admin endpoints: API clients and the audit log (scope ``admin``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from vaxx import audit
from vaxx.auth import service
from vaxx.auth.models import ApiClient
from vaxx.auth.scopes import Scope
from vaxx.db import ROW_ID_MAX
from vaxx.deps import AdminClient, NowDep, SessionDep

router = APIRouter(prefix="/admin", tags=["admin"])


class ClientCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Taipei City Hospital"])
    scopes: list[Scope] = Field(min_length=1, examples=[["issuer"]])
    expires_at: datetime | None = None


class ClientPublic(BaseModel):
    id: str
    name: str
    scopes: list[str]
    token_prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, client: ApiClient) -> ClientPublic:
        return cls(
            id=client.id,
            name=client.name,
            scopes=client.scopes,
            token_prefix=client.token_prefix,
            created_at=client.created_at,
            expires_at=client.expires_at,
            revoked_at=client.revoked_at,
        )


class ClientCreated(ClientPublic):
    token: str = Field(description="The bearer token. Shown this once; only its hash is stored.")


class AuditEventPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]


def _actor(client: ApiClient) -> str:
    return f"client:{client.id}"


@router.post("/clients", status_code=status.HTTP_201_CREATED, summary="Create an API client")
def create_client(
    body: ClientCreate, admin: AdminClient, session: SessionDep, now: NowDep
) -> ClientCreated:
    new = service.create_client(
        session,
        name=body.name,
        scopes=body.scopes,
        now=now,
        actor=_actor(admin),
        expires_at=body.expires_at,
    )
    session.commit()
    return ClientCreated(**ClientPublic.of(new.client).model_dump(), token=new.token)


@router.get("/clients", summary="List API clients (never their tokens)")
def list_clients(admin: AdminClient, session: SessionDep) -> list[ClientPublic]:
    return [ClientPublic.of(client) for client in service.list_clients(session)]


@router.post("/clients/{client_id}/revoke", summary="Revoke an API client's token")
def revoke_client(
    client_id: str, admin: AdminClient, session: SessionDep, now: NowDep
) -> ClientPublic:
    client = service.revoke_client(session, client_id, now=now, actor=_actor(admin))
    session.commit()
    return ClientPublic.of(client)


@router.get("/audit", summary="Read the audit log, newest first")
def read_audit(
    admin: AdminClient,
    session: SessionDep,
    limit: int = Query(100, ge=1, le=1000),
    before_id: int | None = Query(None, ge=1, le=ROW_ID_MAX),
    action: str | None = Query(None, max_length=100),
) -> list[AuditEventPublic]:
    events = audit.recent(session, limit=limit, before_id=before_id, action=action)
    return [
        AuditEventPublic(
            id=e.id, at=e.at, actor=e.actor, action=e.action, target=e.target, details=e.details
        )
        for e in events
    ]
