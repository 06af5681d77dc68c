"""``vaxx issue``: sign a FHIR Bundle with the local keys, without the HTTP server.

The certificate enters the configured register like one issued over HTTP (so it can be
revoked and re-issued later); the ``HC1:`` string goes to stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from vaxx.cli import _context
from vaxx.clock import system_clock


def issue(
    bundle: Annotated[Path, typer.Argument(help="FHIR Bundle (JSON) per the Taiwan DCC IG")],
    png: Annotated[Path | None, typer.Option(help="Also write the QR code as PNG")] = None,
    pdf: Annotated[Path | None, typer.Option(help="Also write the paper certificate")] = None,
) -> None:
    """Issue a certificate and print its HC1 string."""
    from issuer import card, paper, qr, service
    from issuer.keys import open_store

    config = _context.settings()
    data = _read_bundle(bundle, config.max_body_bytes, config.max_json_depth)
    fonts = paper.find_fonts(config.issuer_pdf_font) if pdf else None
    ctx = service.Issuing(
        keys=open_store(config), settings=config, now=system_clock(), actor=_context.CLI_ACTOR
    )
    with _context.transaction(config) as session:
        certificate = service.issue(session, data, ctx)
    if png:
        png.write_bytes(qr.png(certificate.hc1))
    if pdf and fonts:
        fields = card.fields(certificate.payload, certificate.bundle)
        pdf.write_bytes(
            paper.render(
                kind=certificate.kind,
                fields=fields,
                hc1=certificate.hc1,
                fonts=fonts,
                created_at=certificate.issued_at,
            )
        )
    typer.echo(certificate.hc1)


def _read_bundle(path: Path, limit: int, max_depth: int) -> dict[str, Any]:
    """The Bundle as a JSON object; size- and depth-bounded like an HTTP body."""
    import orjson

    from issuer.errors import BadRequest
    from vaxx.middleware import json_depth_exceeds

    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise BadRequest(f"cannot read {path}: {exc.strerror}") from exc
    if len(raw) > limit:
        raise BadRequest(f"{path} is larger than {limit} bytes")
    if json_depth_exceeds(raw, max_depth):
        raise BadRequest(f"{path} nests deeper than {max_depth} levels")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"{path} is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise BadRequest(f"{path} must hold a JSON object (a FHIR Bundle)")
    return data
