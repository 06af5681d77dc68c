"""Reporting each administered dose to the national immunisation registry.

The clinic manual's flow made explicit: a dose is queued (``pending``) in the same
transaction that records it; a run uploads pending doses (``sent``, or at once
``accepted``/``rejected``) and later collects the registry's verdict on sent ones. A
rejection keeps the registry's reason (an unknown lot, a malformed record) for staff,
who fix the cause and resend. Uploads are idempotent: the Immunization carries the
dose's own identifier, so a retry never creates a second registry record.

Adapters are the I/O seam: :class:`FileRegistry` (an outbox directory, for testing and
for sites that upload files) and :class:`FhirRegistry` (FHIR ``POST Immunization`` with
``If-None-Exist``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.errors import BookingInputError, InvalidTransition
from booking.models import Administration, RegistryUpload
from vaxx import audit
from vaxx.db import get_by_id
from vaxx.errors import ConfigurationError

IDENTIFIER_SYSTEM = "urn:vaxx:administration"
MAX_RESPONSE_BYTES = 64 * 1024


class UploadState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Verdict:
    state: UploadState
    reason: str | None = None
    registry_id: str | None = None


class Registry(Protocol):
    def submit(self, key: str, immunization: dict[str, Any]) -> Verdict: ...

    def status(self, key: str) -> Verdict: ...


class FileRegistry:
    """Writes ``<key>.json`` into an outbox; the registry's answer is ``<key>.result.json``
    (``{"state": "accepted"}`` or ``{"state": "rejected", "reason": "..."}``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def submit(self, key: str, immunization: dict[str, Any]) -> Verdict:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / f"{key}.json").write_text(json.dumps(immunization, ensure_ascii=False))
        return Verdict(UploadState.SENT)

    def status(self, key: str) -> Verdict:
        result = self.directory / f"{key}.result.json"
        if not result.is_file() or result.stat().st_size > MAX_RESPONSE_BYTES:
            return Verdict(UploadState.SENT)
        answer = json.loads(result.read_text("utf-8"))
        state = UploadState(answer.get("state", "sent"))
        return Verdict(state, answer.get("reason"), answer.get("id"))


class FhirRegistry:
    """FHIR R4 ``POST [base]/Immunization`` with conditional create on the dose identifier."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        # urlopen would also open file: and custom schemes; the registry is only ever http(s).
        if urlsplit(base_url).scheme not in {"http", "https"}:
            raise ConfigurationError(f"the registry URL must be http(s), not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def submit(self, key: str, immunization: dict[str, Any]) -> Verdict:
        request = urllib.request.Request(  # noqa: S310 - the URL is operator configuration
            f"{self.base_url}/Immunization",
            data=json.dumps(immunization).encode(),
            method="POST",
            headers={
                "Content-Type": "application/fhir+json",
                "If-None-Exist": f"identifier={IDENTIFIER_SYSTEM}|{key}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310  # scheme checked in __init__
                location = response.headers.get("Location", "")
                return Verdict(UploadState.ACCEPTED, registry_id=location or None)
        except urllib.error.HTTPError as exc:
            if exc.code >= 500:
                return Verdict(UploadState.PENDING, f"registry error {exc.code}")
            body = exc.read(MAX_RESPONSE_BYTES).decode("utf-8", "replace")
            return Verdict(UploadState.REJECTED, _outcome_text(body) or f"HTTP {exc.code}")
        except (urllib.error.URLError, TimeoutError) as exc:
            return Verdict(UploadState.PENDING, f"registry unreachable: {exc}")

    def status(self, key: str) -> Verdict:
        return Verdict(UploadState.ACCEPTED)


def _outcome_text(body: str) -> str | None:
    """The diagnostics of a FHIR OperationOutcome, if the body is one."""
    try:
        outcome = json.loads(body)
        issues = outcome.get("issue", [])
        return "; ".join(
            i.get("diagnostics") or i.get("details", {}).get("text", "") for i in issues
        )
    except (ValueError, AttributeError):
        return None


def enqueue(session: Session, record: Administration, now: datetime) -> None:
    session.add(
        RegistryUpload(
            administration_id=record.id, state=UploadState.PENDING.value, attempts=0, updated_at=now
        )
    )


def immunization_for_registry(record: Administration) -> dict[str, Any]:
    """The dose's Immunization with its stable identifier (what makes retries idempotent)."""
    immunization = dict(record.bundle["entry"][-1]["resource"])
    immunization["identifier"] = [{"system": IDENTIFIER_SYSTEM, "value": str(record.id)}]
    return immunization


def run(session: Session, registry: Registry, *, now: datetime, limit: int = 500) -> dict[str, int]:
    """Upload pending doses and collect verdicts on sent ones; counts per resulting state.

    Rows are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two runs at once
    never upload the same dose twice.
    """
    query = (
        select(RegistryUpload, Administration)
        .join(Administration, Administration.id == RegistryUpload.administration_id)
        .where(RegistryUpload.state.in_([UploadState.PENDING, UploadState.SENT]))
        .order_by(RegistryUpload.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=RegistryUpload)
    )
    counts = {state.value: 0 for state in UploadState}
    for upload, record in session.execute(query):
        key = str(record.id)
        if upload.state == UploadState.PENDING:
            upload.attempts += 1
            verdict = registry.submit(key, immunization_for_registry(record))
        else:
            verdict = registry.status(key)
        upload.state = verdict.state.value
        upload.reason = verdict.reason[:500] if verdict.reason else None
        upload.registry_id = verdict.registry_id or upload.registry_id
        upload.updated_at = now
        counts[verdict.state.value] += 1
    return counts


def rejected(session: Session) -> list[RegistryUpload]:
    query = select(RegistryUpload).where(RegistryUpload.state == UploadState.REJECTED)
    return list(session.scalars(query.order_by(RegistryUpload.id)))


def resend(session: Session, upload_id: int, *, now: datetime, actor: str) -> RegistryUpload:
    """Queue a rejected dose again once its cause is fixed."""
    upload = get_by_id(session, RegistryUpload, upload_id)
    if upload is None:
        raise BookingInputError(f"no registry upload has id {upload_id}")
    if upload.state != UploadState.REJECTED:
        raise InvalidTransition(f"only a rejected upload is resent, this one is {upload.state}")
    upload.state, upload.updated_at = UploadState.PENDING.value, now
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.registry.resend",
        target=str(upload.id),
        details={"reason": upload.reason},
    )
    return upload
