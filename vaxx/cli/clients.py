"""``vaxx clients``: create, list and revoke API clients."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from vaxx.auth import service
from vaxx.auth.scopes import Scope
from vaxx.cli import _context
from vaxx.clock import system_clock

app = typer.Typer(help="API clients and their bearer tokens.", no_args_is_help=True)


@app.command()
def create(
    name: Annotated[str, typer.Option(help="Who the client is, e.g. a clinic's name")],
    scope: Annotated[list[Scope], typer.Option(help="Scope to grant; repeat for several")],
    expires_in_days: Annotated[
        int | None, typer.Option(min=1, help="Token lifetime; default never expires")
    ] = None,
    print_token: Annotated[
        bool, typer.Option("--print-token", help="Print only the token (for scripts)")
    ] = False,
) -> None:
    """Create a client; its token is printed once and never stored in clear."""
    config = _context.settings()
    now = system_clock()
    expires_at = now + timedelta(days=expires_in_days) if expires_in_days else None
    with _context.transaction(config) as session:
        new = service.create_client(
            session,
            name=name,
            scopes=scope,
            now=now,
            actor=_context.CLI_ACTOR,
            expires_at=expires_at,
        )
    if print_token:
        typer.echo(new.token)
        return
    typer.echo(
        f"created client {new.client.id} ({new.client.name}) scopes={','.join(new.client.scopes)}"
    )
    typer.echo(f"token (shown once): {new.token}")


@app.command("list")
def list_() -> None:
    """List clients (id, name, scopes, state); tokens are never shown."""
    config = _context.settings()
    now = system_clock()
    with _context.transaction(config) as session:
        for client in service.list_clients(session):
            state = "active" if client.is_active(now) else "inactive"
            typer.echo(
                f"{client.id}\t{client.name}\t{','.join(client.scopes)}\t{client.token_prefix}...\t{state}"
            )


@app.command()
def revoke(client_id: Annotated[str, typer.Argument(help="The client's id")]) -> None:
    """Revoke a client's token at once."""
    config = _context.settings()
    with _context.transaction(config) as session:
        client = service.revoke_client(
            session, client_id, now=system_clock(), actor=_context.CLI_ACTOR
        )
    typer.echo(f"revoked client {client.id} ({client.name})")
