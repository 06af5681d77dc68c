"""``vaxx trust``: the trust registry (CSCAs, DSCs, revoked kids) and the signing keys."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trust_list import keys, service, sources
from trust_list.errors import TrustListImportInvalid
from vaxx import audit
from vaxx.cli import _context
from vaxx.clock import system_clock
from vaxx.errors import Conflict

app = typer.Typer(
    help="Trusted signing certificates and the signed trust list.", no_args_is_help=True
)

ExistingFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


def _read(path: Path, limit: int) -> bytes:
    if path.stat().st_size > limit:
        raise TrustListImportInvalid(f"{path} is larger than {limit} bytes")
    return path.read_bytes()


@app.command("add-csca")
def add_csca(
    pem: ExistingFile,
    country: Annotated[str | None, typer.Option(help="Override the subject's C=")] = None,
) -> None:
    """Trust a country signing CA (PEM or DER); DSCs of its country must chain to it."""
    config = _context.settings()
    with _context.transaction(config) as session:
        csca = service.add_csca(
            session,
            _read(pem, 64 * 1024),
            now=system_clock(),
            actor=_context.CLI_ACTOR,
            country=country,
        )
    typer.echo(f"trusted CSCA {csca.country} {csca.subject} sha256={csca.thumbprint}")


@app.command("import")
def import_(file: ExistingFile) -> None:
    """Import the DSCs of an EU gateway-style trust list; each must chain to a stored CSCA."""
    config = _context.settings()
    from trust_list.gateway import MAX_IMPORT_BYTES

    with _context.transaction(config) as session:
        report = service.import_gateway_list(
            session, _read(file, MAX_IMPORT_BYTES), now=system_clock(), actor=_context.CLI_ACTOR
        )
    for kid, reason in report.rejected.items():
        typer.echo(f"rejected {kid}: {reason}", err=True)
    typer.echo(
        f"accepted {len(report.accepted)}, unchanged {len(report.unchanged)}, "
        f"skipped (not DSC) {len(report.skipped)}, rejected {len(report.rejected)}"
    )


@app.command("revoke-dsc")
def revoke_dsc(
    kid: Annotated[str, typer.Argument(help="The DSC's kid, base64")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log)")] = "unspecified",
) -> None:
    """Withdraw trust from a DSC: it leaves the list and its kid is listed as revoked."""
    config = _context.settings()
    with _context.transaction(config) as session:
        service.revoke_dsc(
            session, kid, reason=reason, now=system_clock(), actor=_context.CLI_ACTOR
        )
    typer.echo(f"revoked DSC {kid}")


@app.command("list")
def list_() -> None:
    """List CSCAs, trusted DSCs (kid, country, types, validity, source) and revoked kids."""
    config = _context.settings()
    with _context.transaction(config) as session:
        for csca in service.all_cscas(session):
            typer.echo(
                f"CSCA\t{csca.country}\t{csca.thumbprint[:16]}\t{csca.not_after:%Y-%m-%d}\t{csca.subject}"
            )
        for dsc in service.trusted_dscs(session):
            types = ",".join(dsc.certificate_types)
            typer.echo(
                f"DSC\t{dsc.country}\t{dsc.kid}\t{types}\t{dsc.not_before:%Y-%m-%d}..{dsc.not_after:%Y-%m-%d}\t{dsc.source}"
            )
        for kid in service.revoked_kids(session):
            typer.echo(f"REVOKED\t{kid}")


@app.command("sync-issuer")
def sync_issuer() -> None:
    """Trust the issuer's own CSCA and DSCs (also done at every server start)."""
    config = _context.settings()
    with _context.transaction(config) as session:
        added = sources.sync_issuer_keys(
            session, config, now=system_clock(), actor=_context.CLI_ACTOR
        )
    typer.echo(
        f"added {len(added)} DSC(s) of the issuer" + (": " + ", ".join(added) if added else "")
    )


@app.command("init-keys")
def init_keys(
    force: Annotated[bool, typer.Option(help="Replace an existing signer and anchor")] = False,
) -> None:
    """Create the trust-list anchor and signing key; prints the anchor verifiers must pin."""
    config = _context.settings()
    if (keys.key_dir(config) / "signer.key.pem").exists() and not force:
        raise Conflict(f"trust-list keys already exist in {keys.key_dir(config)} (use --force)")
    keys.generate_keys(config, system_clock())
    typer.echo(f"anchor to pin: {keys.key_dir(config) / 'anchor.pem'}")


@app.command("rotate-signer")
def rotate_signer() -> None:
    """Replace the trust-list signing key under the same anchor; restart servers afterwards."""
    config = _context.settings()
    signer = keys.rotate_signer(config, system_clock())
    with _context.transaction(config) as session:
        service.force_resign(session)
        audit.record(
            session,
            at=system_clock(),
            actor=_context.CLI_ACTOR,
            action="trust.signer_rotated",
            target=signer.subject.rfc4514_string(),
        )
    until = f"{signer.not_valid_after_utc:%Y-%m-%d}"
    typer.echo(f"new signer {signer.subject.rfc4514_string()} valid until {until}")
