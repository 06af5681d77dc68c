"""``vaxx demo``: a realistic data set so a new user sees the whole flow at once."""

from __future__ import annotations

import typer

from booking import demo as booking_demo
from vaxx.cli import _context
from vaxx.clock import system_clock

app = typer.Typer(help="Demo data.", no_args_is_help=True)


@app.command()
def load() -> None:
    """Load the demo data set: 12 sites, stock, 7 days of slots, eligibility, appointments."""
    config = _context.settings()
    with _context.transaction(config) as session:
        summary = booking_demo.load(session, system_clock())
    typer.echo(
        f"loaded {summary.sites} sites, {summary.slots} slots, "
        f"{summary.appointments} appointments and {summary.doses} doses given today; "
        "try GET /booking/slots?county=臺北市"
    )
