"""``vaxx db``: schema migrations."""

from __future__ import annotations

import typer

from vaxx import db
from vaxx.cli import _context

app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("heads", help="Target revision")) -> None:
    """Apply migrations up to REVISION (default: the newest of every domain branch)."""
    config = _context.settings()
    config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    db.upgrade(config.resolved_database_url, revision)
    typer.echo(f"database at {revision}")
