"""``vaxx availability``: the SMART Scheduling Links feeds vaxx aggregates."""

from __future__ import annotations

from datetime import datetime

import typer
from sqlalchemy import select

from booking.availability.models import Source
from booking.smart_links import pull
from booking.smart_links.fetch import HttpFetcher
from vaxx.cli import _context
from vaxx.clock import system_clock

app = typer.Typer(help="Aggregated availability (other publishers' feeds).", no_args_is_help=True)


@app.command("add-feed")
def add_feed(name: str, url: str) -> None:
    """Register another publisher's $bulk-publish URL under NAME."""
    config = _context.settings()
    with _context.transaction(config) as session:
        pull.add_feed(session, name, url, now=system_clock())
    typer.echo(
        f"feed {name!r} added; vaxx serve pulls it every VAXX_AVAILABILITY_PULL_SECONDS "
        "(or now: 'vaxx availability pull')"
    )


@app.command("pull")
def pull_feeds(name: str | None = typer.Option(None, help="Only this feed")) -> None:
    """Fetch every registered feed (or one) and replace its stored slots."""
    config = _context.settings()
    with _context.transaction(config) as session:
        results = pull.pull_all(session, HttpFetcher(), now=system_clock(), name=name)
    for result in results:
        typer.echo(f"{result.source}: {result.slots} slots, {len(result.problems)} problems")
        for problem in result.problems[:20]:
            typer.echo(f"  {problem}")


@app.command("feeds")
def feeds() -> None:
    """List the registered feeds: last successful pull, the data's own time, last failure."""
    config = _context.settings()
    with _context.transaction(config) as session:
        query = select(Source).where(Source.kind == "smart-feed").order_by(Source.name)
        for source in session.scalars(query):
            typer.echo(
                f"{source.name}: {source.url}\n"
                f"  last pulled: {_when(source.fetched_at)}, data as of {_when(source.as_of)}"
            )
            if source.last_error is not None:
                typer.echo(f"  last failure ({_when(source.last_error_at)}): {source.last_error}")


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else moment.isoformat(timespec="seconds")
