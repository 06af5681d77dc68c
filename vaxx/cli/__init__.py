"""The ``vaxx`` command: one sub-command group per module (serve, db, clients, ...).

Errors print one line to stderr and exit with the error's ``exit_code``; never a
traceback for a problem the user can fix.
"""

from __future__ import annotations

import sys

import typer

from vaxx.cli import availability, clients, db, demo, issue, keys, rules, serve, trust, verify
from vaxx.errors import VaxxError

app = typer.Typer(
    name="vaxx",
    help="Issue and verify signed FHIR vaccination and test certificates.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("serve")(serve.serve)
app.command("verify")(verify.verify)
app.command("issue")(issue.issue)
app.add_typer(db.app, name="db")
app.add_typer(keys.app, name="keys")
app.add_typer(clients.app, name="clients")
app.add_typer(demo.app, name="demo")
app.add_typer(availability.app, name="availability")
app.add_typer(rules.app, name="rules")
app.add_typer(trust.app, name="trust")


def main() -> None:
    try:
        app()
    except VaxxError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        sys.exit(exc.exit_code)
