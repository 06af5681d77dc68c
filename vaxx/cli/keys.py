"""``vaxx keys``: the issuer's signing keys (CSCA and DSCs). Private keys are never printed."""

from __future__ import annotations

import base64
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vaxx.cli import _context
from vaxx.clock import system_clock

if TYPE_CHECKING:
    from issuer.keys import DccType, DscInfo

app = typer.Typer(help="Signing keys: CSCA and document signers (DSCs).", no_args_is_help=True)


class Alg(StrEnum):
    ES256 = "ES256"
    PS256 = "PS256"


class CertType(StrEnum):
    vaccination = "vaccination"
    test = "test"
    recovery = "recovery"


AlgOption = Annotated[Alg, typer.Option(help="ES256 (P-256, advised) or PS256 (RSA-PSS)")]
TypeOption = Annotated[
    list[CertType] | None,
    typer.Option("--type", help="Certificate type the DSC may sign; repeat; default all"),
]


def _types(types: list[CertType] | None) -> list[DccType] | None:
    from issuer.keys import DccType

    return [DccType(t.value) for t in types] if types else None


@app.command()
def init(alg: AlgOption = Alg.ES256, type_: TypeOption = None) -> None:
    """Create the CSCA and a first DSC (development keys when VAXX_ENV=development)."""
    from issuer.keys import open_store

    config = _context.settings()
    config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    store = open_store(config)
    dsc = store.init(
        country=config.issuing_country,
        now=system_clock(),
        development=config.env == "development",
        alg=alg.value,
        types=_types(type_),
    )
    kind = "development" if store.development else "production"
    typer.echo(f"created {kind} key store in {store.directory}")
    typer.echo(_line(dsc, system_clock()))


@app.command()
def rotate(alg: AlgOption = Alg.ES256, type_: TypeOption = None) -> None:
    """Add a DSC; the one it replaces is retired (kept for verification until it expires)."""
    from issuer.keys import open_store

    dsc = open_store(_context.settings()).rotate(
        now=system_clock(), alg=alg.value, types=_types(type_)
    )
    typer.echo(f"new document signer\n{_line(dsc, system_clock())}")


@app.command("list")
def list_() -> None:
    """Every DSC: kid, algorithm, types, validity, state."""
    from issuer.keys import open_store

    store = open_store(_context.settings())
    typer.echo(f"CSCA\t{store.csca_certificate.subject.rfc4514_string()}")
    now = system_clock()
    for dsc in store.dscs():
        typer.echo(_line(dsc, now))


@app.command("export-public")
def export_public(
    output: Annotated[Path | None, typer.Option(help="Write to this file, not stdout")] = None,
) -> None:
    """PEM of the CSCA and every DSC (certificates only; what verifiers need)."""
    from issuer.keys import open_store

    pem = open_store(_context.settings()).export_public_pem()
    if output is None:
        typer.echo(pem, nl=False)
    else:
        output.write_text(pem)


def _line(dsc: DscInfo, now: datetime) -> str:
    kid = base64.b64encode(dsc.kid).decode()
    types = ",".join(t.value for t in dsc.types)
    period = f"{dsc.not_before:%Y-%m-%d}..{dsc.not_after:%Y-%m-%d}"
    state = "expired" if now >= dsc.not_after else dsc.status
    return f"DSC\tkid={kid}\t{dsc.alg}\t{types}\t{period}\t{state}"
