"""Staff endpoints of the national-registry upload queue (scope ``booking-staff``)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from booking import registry
from booking.models import RegistryUpload
from booking.staff_access import StaffDep
from vaxx import audit
from vaxx.deps import NowDep, SessionDep, SettingsDep
from vaxx.settings import Settings

router = APIRouter(prefix="/booking/staff/registry", tags=["booking staff"])


class UploadPublic(BaseModel):
    id: int
    administration_id: int
    state: str
    attempts: int
    reason: str | None
    registry_id: str | None
    updated_at: datetime

    @classmethod
    def of(cls, upload: RegistryUpload) -> UploadPublic:
        return cls.model_validate(upload, from_attributes=True)


def adapter(settings: Settings) -> registry.Registry:
    """The FHIR registry when a URL is configured, else the file outbox."""
    if settings.booking_registry_url:
        return registry.FhirRegistry(settings.booking_registry_url)
    return registry.FileRegistry(settings.booking_registry_outbox or settings.data_dir / "registry")


@router.post("/run", summary="Upload pending doses and collect the registry's verdicts")
def run(
    client: StaffDep, session: SessionDep, settings: SettingsDep, now: NowDep
) -> dict[str, int]:
    client.require_national()
    counts = registry.run(session, adapter(settings), now=now)
    audit.record(
        session, at=now, actor=f"client:{client.id}", action="booking.registry.run", details=counts
    )
    session.commit()
    return counts


@router.get("/rejected", summary="Doses the registry rejected, with its reason")
def rejected(client: StaffDep, session: SessionDep) -> list[UploadPublic]:
    client.require_national()
    return [UploadPublic.of(upload) for upload in registry.rejected(session)]


@router.post("/{upload_id}/resend", summary="Queue a rejected dose again once fixed")
def resend(upload_id: int, client: StaffDep, session: SessionDep, now: NowDep) -> UploadPublic:
    client.require_national()
    upload = registry.resend(session, upload_id, now=now, actor=f"client:{client.id}")
    session.commit()
    return UploadPublic.of(upload)
