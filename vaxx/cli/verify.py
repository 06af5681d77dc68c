"""``vaxx verify``: check an HC1 QR (text, @file or picture) offline, for people and scripts.

Exit status: 0 valid (every input valid, for ``--batch``), 1 not valid, 2 usage error.
Trust comes from ``--trust-cert`` DSC files for this run; the trust data is loaded once
and reused for every line of a batch. Imports of the verifier are lazy so that
``vaxx --help`` stays fast (``cryptography.x509`` alone takes about 0.1 s to import).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vaxx.clock import system_clock
from vaxx.errors import InputError

if TYPE_CHECKING:
    from verifier import Policy, RevocationChecker, TrustStore, VerificationResult

MAX_INPUT_FILE = 16 * 1024 * 1024
_MARKS = {True: "ok  ", False: "FAIL", None: "-   "}


def verify(
    qr: Annotated[
        str | None, typer.Argument(help="QR text (HC1:...), @FILE holding it, or a PNG/JPEG path")
    ] = None,
    trust_list: Annotated[
        Path | None,
        typer.Option(
            "--trust-list",
            help="Cached signed trust list (trust-list.jws, revocations.jws beside it, or"
            " their folder), verified against --trust-anchor",
        ),
    ] = None,
    trust_anchor: Annotated[
        Path | None, typer.Option("--trust-anchor", help="Pinned trust-list anchor (PEM)")
    ] = None,
    trust_cert: Annotated[
        list[Path] | None, typer.Option("--trust-cert", help="Trust this DSC (PEM/DER); repeat")
    ] = None,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="Rule file or folder (EU rule format)")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Destination country for --rules (default: the rules')")
    ] = None,
    policy_name: Annotated[
        str | None,
        typer.Option(
            "--policy",
            help="Shipped policy: TW-fully-vaccinated, TW-booster, TW-vaccinated-or-tested",
        ),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Validation time, ISO 8601 with offset")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    batch: Annotated[
        Path | None, typer.Option(help="One QR text per line; JSON Lines out, in input order")
    ] = None,
) -> None:
    """Verify an EU DCC; print each step's outcome and the verdict."""
    if (qr is None) == (batch is None):
        raise InputError("give one QR text / @FILE / picture, or --batch FILE")
    now = _validation_time(at)
    trust, revocation = _trust(trust_list, trust_anchor, trust_cert, now)
    policy = _policy(rules, country, policy_name)
    if revocation is not None:
        policy = replace(policy, revocation=revocation)
    if batch is not None:
        all_valid = _run_batch(batch, trust, policy, now)
        raise typer.Exit(0 if all_valid else 1)
    assert qr is not None  # noqa: S101 - checked above
    result = _check_one(qr, trust, policy, now)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_human(result)
    raise typer.Exit(0 if result.valid else 1)


def _validation_time(at: str | None) -> datetime:
    if at is None:
        return system_clock()
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--at is not an ISO 8601 time: {at!r}") from None
    if moment.tzinfo is None:
        raise InputError("--at needs a time zone offset (e.g. Z or +08:00)")
    return moment


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_INPUT_FILE:
            raise InputError(f"{path}: larger than {MAX_INPUT_FILE} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _trust(
    trust_list: Path | None, anchor: Path | None, certificates: list[Path] | None, now: datetime
) -> tuple[TrustStore, RevocationChecker | None]:
    """Trust for this run: a verified cached trust list (with revocations) or given DSCs."""
    if (trust_list is None) == (not certificates):
        raise InputError("give --trust-list (with --trust-anchor) or --trust-cert DSC.pem")
    if certificates:
        from verifier import InMemoryTrustStore

        return InMemoryTrustStore.from_certificates(_read(path) for path in certificates), None
    if trust_list is None or anchor is None:
        raise InputError("--trust-list needs --trust-anchor ANCHOR.pem to check its signature")
    from trust_list import TrustListClient, load_certificate

    folder = trust_list if trust_list.is_dir() else trust_list.parent
    data = TrustListClient("offline:", load_certificate(_read(anchor)), folder).load(now)
    return data, data


def _policy(paths: list[Path] | None, country: str | None, name: str | None) -> Policy:
    from verifier import Policy, RuleSet
    from verifier.policies import policy

    if name is not None and paths:
        raise InputError("give --policy or --rules, not both")
    if name is not None:
        return policy(name)
    if not paths:
        return Policy()
    rule_set = RuleSet.from_paths(paths)
    countries = {rule.country for rule in rule_set.rules}
    if country is None and len(countries) != 1:
        raise InputError(f"--rules hold rules for {sorted(countries)}; choose one with --country")
    return Policy(country=country or countries.pop(), rules=rule_set)


def _check_one(qr: str, trust: TrustStore, policy: Policy, now: datetime) -> VerificationResult:
    from verifier import check

    if qr.startswith("@"):
        return check(
            _read(Path(qr[1:])).decode("utf-8", "replace").strip(),
            trust=trust,
            now=now,
            policy=policy,
        )
    if not qr.startswith("HC1:") and _is_file(qr):
        return check(image=_read(Path(qr)), trust=trust, now=now, policy=policy)
    return check(qr.strip(), trust=trust, now=now, policy=policy)


def _is_file(text: str) -> bool:
    """Whether a command-line argument names a picture file (long or odd text is not a path)."""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _run_batch(batch: Path, trust: TrustStore, policy: Policy, now: datetime) -> bool:
    from verifier import check

    all_valid = True
    for line in _read(batch).decode("utf-8", "replace").splitlines():
        result = check(line.strip(), trust=trust, now=now, policy=policy)
        all_valid = all_valid and result.valid
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    return all_valid


def _print_human(result: VerificationResult) -> None:
    for number, outcome in enumerate(result.steps, 1):
        detail = f" {outcome.message}" if outcome.message else ""
        typer.echo(
            f"{number:2}. {_MARKS[outcome.ok]} {outcome.step.value:<10} {outcome.code}{detail}"
        )
    typer.echo(f"verdict: {result.verdict.value}")
    if result.holder is not None:
        holder: Any = result.holder
        name = " ".join(filter(None, (holder.family_name, holder.given_name)))
        typer.echo(f"holder: {name} (born {holder.date_of_birth or '?'})")
        typer.echo(f"{result.certificate_type}: " + ", ".join(f"{k} {v}" for k, v in result.facts))
