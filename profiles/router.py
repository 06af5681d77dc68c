"""HTTP routes of the profiles package: check a Bundle before issuing, preview its DCC.

No authentication: both routes are pure functions of the request body (nothing stored,
nothing logged, nothing returned that the caller did not send), bounded by the app's body
size and JSON depth limits. Clinic systems can check their Bundles while they integrate,
before they hold an issuer token; issuing itself stays behind the issuer scope.
Plain ``def`` routes: validation is CPU work and runs in the thread pool.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from profiles.dates import TAIPEI
from profiles.dcc import to_dcc
from profiles.record import CertificateKind
from profiles.schemas import PREVIEW_UVCI, TAIWAN_CDC, DccPreview
from profiles.service import parse_bundle, validate
from vaxx.deps import NowDep

router = APIRouter(prefix="/profiles", tags=["profiles"])

BundleBody = Annotated[dict[str, Any], Body(description="A Taiwan DCC IG Bundle (FHIR JSON)")]
KindQuery = Annotated[
    CertificateKind | None,
    Query(description="Certificate kind; by default what the Bundle holds"),
]


@router.post("/validate", summary="Validate a Bundle against the Taiwan DCC profiles")
def validate_bundle(bundle: BundleBody, now: NowDep, kind: KindQuery = None) -> dict[str, Any]:
    """Every problem as a FHIR OperationOutcome (200 even when the Bundle is invalid, like
    FHIR's ``$validate``); a valid Bundle gets one "information" issue."""
    return validate(bundle, today=now.astimezone(TAIPEI).date(), kind=kind)


@router.post("/dcc", summary="Preview the EU DCC payload of a valid Bundle")
def preview_dcc(
    bundle: BundleBody,
    now: NowDep,
    kind: KindQuery = None,
    issuer: Annotated[str, Query(max_length=80)] = TAIWAN_CDC,
) -> DccPreview:
    """The DCC payload the issuer would sign, with the placeholder UVCI
    ``URN:UVCI:01:TW:PREVIEW``; an invalid Bundle is a 422 ``profile_invalid`` problem whose
    ``operation_outcome`` lists every problem."""
    today = now.astimezone(TAIPEI).date()
    record = parse_bundle(bundle, today=today, kind=kind)
    warnings = [
        i for i in validate(bundle, today=today, kind=kind)["issue"] if i["severity"] == "warning"
    ]
    payload = to_dcc(record, uvci=PREVIEW_UVCI, issuer=issuer)
    return DccPreview(kind=record.kind, payload=payload, warnings=warnings)
