"""``vaxx rules``: tools for business-rule authors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Business rules (CertLogic) for verifiers.", no_args_is_help=True)


@app.command("test")
def test(
    directories: Annotated[
        list[Path], typer.Argument(help="Rule sets laid out as <SET>/<RULE-ID>/rule.json + tests/")
    ],
) -> None:
    """Run every rule's own tests; print each failure and end with 'N passed, M failed'."""
    from verifier.rule_tests import run_rule_tests

    report = run_rule_tests(directories)
    for failure in report.failed:
        typer.echo(f"FAIL {failure.rule} {failure.test}: {failure.detail}")
    typer.echo(f"{report.passed} passed, {len(report.failed)} failed")
    if report.failed or not report.results:
        raise typer.Exit(1)
