"""Staff endpoints (scope ``booking-staff``): sites, stock, slots, eligibility lists,
check-in, administered doses, wastage and the nightly report. Each action writes an
audit row in the same transaction as the change."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking import (
    administration,
    appointments,
    certificates,
    clinic,
    eligibility,
    fhir,
    history,
    reports,
    sites,
    slots,
    staff_access,
    stock,
)
from booking.enums import Funding
from booking.errors import BookingInputError
from booking.models import Administration, Lot, Site, Slot
from booking.schemas import (
    AdministrationCreate,
    AdministrationPublic,
    BindingCreate,
    CategoryCreate,
    CountyAllocation,
    ExternalDoseCreate,
    ImportResult,
    LeftoverAnnounce,
    LeftoverAnnouncementPublic,
    LotCreate,
    LotPublic,
    ReportRow,
    SiteCreate,
    SiteDelivery,
    SitePublic,
    SlotCreate,
    SlotPublic,
    SlotResize,
    StaffProfile,
    StockPublic,
    WastageCreate,
)
from booking.staff_access import StaffAccess, StaffDep
from booking.taiwan import IdType, taipei_date
from vaxx import audit
from vaxx.deps import NowDep, SessionDep, SettingsDep
from vaxx.errors import ServiceUnavailable
from wallet_api.issuance import claim_hook_for, claim_slip_of

router = APIRouter(prefix="/booking/staff", tags=["booking staff"])


def _actor(client: StaffAccess) -> str:
    return f"client:{client.id}"


def _slot_of(session: Session, client: StaffAccess, slot_id: int) -> Slot:
    slot = slots.get(session, slot_id)
    client.require_site(session.get_one(Site, slot.site_id))
    return slot


def _lot_public(lot: Lot) -> LotPublic:
    return LotPublic.model_validate(lot, from_attributes=True)


@router.put(
    "/bindings", summary="Bind a site-staff client to a site or a health bureau to a county"
)
def bind(body: BindingCreate, client: StaffDep, session: SessionDep, now: NowDep) -> BindingCreate:
    client.require_national()
    site = sites.get(session, body.site_code) if body.site_code else None
    staff_access.bind(session, body.client_id, site, body.county, now=now, actor=_actor(client))
    session.commit()
    return body


@router.post("/sites", status_code=status.HTTP_201_CREATED, summary="Add a site")
def create_site(body: SiteCreate, client: StaffDep, session: SessionDep, now: NowDep) -> SitePublic:
    client.require_county(body.county)
    site = sites.create(session, body, now=now, actor=_actor(client))
    session.commit()
    return sites.public(site)


@router.put("/sites/{code}", summary="Replace a site's details")
def update_site(
    code: str, body: SiteCreate, client: StaffDep, session: SessionDep, now: NowDep
) -> SitePublic:
    client.require_site(sites.get(session, code))
    client.require_county(body.county)
    site = sites.update(session, code, body, now=now, actor=_actor(client))
    session.commit()
    return sites.public(site)


@router.get("/sites/{code}/stock", summary="A site's lots and balances")
def site_stock(code: str, client: StaffDep, session: SessionDep) -> list[StockPublic]:
    site = sites.get(session, code)
    client.require_site(site)
    return stock.site_stock(session, site)


@router.post("/lots", status_code=status.HTTP_201_CREATED, summary="Register a vaccine lot")
def register_lot(body: LotCreate, client: StaffDep, session: SessionDep, now: NowDep) -> LotPublic:
    client.require_national()
    lot = stock.register_lot(session, body, now=now, actor=_actor(client))
    session.commit()
    return _lot_public(lot)


@router.post("/lots/{lot_id}/allocations", summary="Allocate vials to a county (CDC -> county)")
def allocate(
    lot_id: int,
    body: CountyAllocation,
    client: StaffDep,
    session: SessionDep,
    now: NowDep,
) -> LotPublic:
    client.require_national()
    lot = stock.get_lot(session, lot_id)
    stock.allocate_to_county(session, lot, body.county, body.vials, now=now, actor=_actor(client))
    session.commit()
    session.refresh(lot)
    return _lot_public(lot)


@router.post("/lots/{lot_id}/deliveries", summary="A site receives vials (county -> site)")
def deliver(
    lot_id: int, body: SiteDelivery, client: StaffDep, session: SessionDep, now: NowDep
) -> list[StockPublic]:
    lot, site = stock.get_lot(session, lot_id), sites.get(session, body.site_code)
    client.require_county(site.county_code)
    stock.deliver_to_site(session, lot, site, body.vials, now=now, actor=_actor(client))
    session.commit()
    return stock.site_stock(session, site)


@router.post("/sites/{code}/wastage", status_code=status.HTTP_201_CREATED, summary="Record wastage")
def waste(
    code: str, body: WastageCreate, client: StaffDep, session: SessionDep, now: NowDep
) -> list[StockPublic]:
    site = sites.get(session, code)
    client.require_site(site)
    lot = stock.find_lot(session, body.vaccine_code, body.lot_number)
    stock.record_wastage(
        session, site, lot, body.lot_number, body.doses, body.reason, now=now, actor=_actor(client)
    )
    session.commit()
    return stock.site_stock(session, site)


@router.post("/sites/{code}/slots", status_code=status.HTTP_201_CREATED, summary="Open a slot")
def open_slot(
    code: str, body: SlotCreate, client: StaffDep, session: SessionDep, now: NowDep
) -> SlotPublic:
    site = sites.get(session, code)
    client.require_site(site)
    slot = slots.open_slot(session, site, body, now=now, actor=_actor(client))
    session.commit()
    return slots.public(slot, site)


@router.patch("/slots/{slot_id}", summary="Change a slot's capacity")
def resize_slot(
    slot_id: int, body: SlotResize, client: StaffDep, session: SessionDep, now: NowDep
) -> SlotPublic:
    slot = _slot_of(session, client, slot_id)
    slot = slots.resize(session, slot, body.capacity, now=now, actor=_actor(client))
    session.commit()
    return slots.public(slot, session.get_one(Site, slot.site_id))


@router.post("/slots/{slot_id}/close", summary="End a session: no-shows, release doses")
def close_slot(slot_id: int, client: StaffDep, session: SessionDep, now: NowDep) -> dict[str, int]:
    slot = _slot_of(session, client, slot_id)
    no_shows = slots.close(session, slot, now=now, actor=_actor(client))
    session.commit()
    return {"no_shows": no_shows}


@router.put("/categories/{code}", summary="Create or change a priority category")
def upsert_category(
    code: str, body: CategoryCreate, client: StaffDep, session: SessionDep, now: NowDep
) -> CategoryCreate:
    client.require_national()
    if body.code != code:
        raise BookingInputError("the body's code differs from the path's")
    eligibility.upsert_category(session, body, now=now, actor=_actor(client))
    session.commit()
    return body


@router.put(
    "/eligibility/{category}/{week_start}",
    summary="Replace a category's eligible-person list for a week (CSV, national_id column)",
)
def import_eligibility(
    category: str,
    week_start: date,
    csv_body: Annotated[bytes, Body(media_type="text/csv")],
    client: StaffDep,
    session: SessionDep,
    now: NowDep,
) -> ImportResult:
    client.require_national()
    try:
        text = csv_body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BookingInputError("the CSV must be UTF-8") from None
    listing = eligibility.import_list(
        session, category, week_start, text, now=now, actor=_actor(client)
    )
    session.commit()
    return ImportResult(category=category, week_start=week_start, persons=listing.person_count)


@router.post("/appointments/{reference}/check-in", summary="The person has arrived")
def check_in(reference: str, client: StaffDep, session: SessionDep, now: NowDep) -> dict[str, str]:
    appointment = appointments.by_reference(session, reference)
    _slot_of(session, client, appointment.slot_id)
    appointments.check_in(session, appointment, now=now)
    audit.record(
        session,
        at=now,
        actor=_actor(client),
        action="booking.appointment.check-in",
        target=appointment.reference,
    )
    session.commit()
    return {"reference": appointment.reference, "status": appointment.status}


def _administration_public(
    session: Session, record: Administration, request: Request | None = None
) -> AdministrationPublic:
    """The dose as staff see it; ``request`` carries the claim code of a certificate this
    very request signed (printed on the holder's slip, never stored in clear)."""
    lot = session.get_one(Lot, record.lot_id)
    site = session.get_one(Site, record.site_id)
    slip = (
        claim_slip_of(request, str(record.certificate["id"]))
        if request is not None and record.certificate
        else None
    )
    return AdministrationPublic(
        id=record.id,
        site_code=site.code,
        vaccine_code=lot.vaccine_code,
        lot_number=lot.lot_number,
        dose_number=record.dose_number,
        series_doses=record.series_doses,
        administered_at=record.administered_at,
        bundle=record.bundle,
        certificate=record.certificate,
        claim_code=slip.code if slip else None,
        claim_code_expires_at=slip.expires_at if slip else None,
    )


def _issue(
    request: Request, settings: SettingsDep, now: NowDep, client: StaffDep
) -> administration.Issue | None:
    """The issuer, when the app runs one (it mounts its key store on ``app.state``)."""
    keys = getattr(request.app.state, "issuer_keys", None)
    if keys is None:
        return None
    hook = claim_hook_for(request, settings, now)
    return certificates.issuer(keys, settings, now=now, actor=_actor(client), on_issued=hook)


IssueDep = Annotated[administration.Issue | None, Depends(_issue)]


@router.post(
    "/sites/{code}/administrations",
    status_code=status.HTTP_201_CREATED,
    summary="Record an administered dose (Immunization Bundle; certificate by site setting)",
)
def administer(
    request: Request,
    code: str,
    body: AdministrationCreate,
    client: StaffDep,
    session: SessionDep,
    now: NowDep,
    issue: IssueDep,
) -> AdministrationPublic:
    site = sites.get(session, code)
    client.require_site(site)
    record = administration.administer(
        session,
        site,
        body,
        now=now,
        actor=_actor(client),
        issue=issue if site.issues_certificates else None,
    )
    session.commit()
    return _administration_public(session, record, request)


@router.post(
    "/administrations/{administration_id}/certificate",
    summary="Sign the certificate of a dose recorded without one",
)
def issue_certificate(
    request: Request,
    administration_id: int,
    client: StaffDep,
    session: SessionDep,
    now: NowDep,
    issue: IssueDep,
) -> AdministrationPublic:
    if issue is None:
        raise ServiceUnavailable("this server runs no issuer")
    record = certificates.get_administration(session, administration_id)
    client.require_site(session.get_one(Site, record.site_id))
    certificates.issue_later(session, record, issue, now=now, actor=_actor(client))
    session.commit()
    return _administration_public(session, record, request)


@router.get(
    "/persons/{id_type}/{id_value}/immunizations",
    summary="A person's earlier doses (FHIR Immunization searchset)",
)
def immunizations(
    id_type: IdType, id_value: str, client: StaffDep, session: SessionDep
) -> dict[str, Any]:
    person = history.person_key(id_type, id_value)
    entries = []
    for dose, _lot in history.doses(session, id_type, person):
        resource = dose.bundle["entry"][-1]
        entries.append({"fullUrl": resource["fullUrl"], "resource": resource["resource"]})
    for other in history.external(session, id_type, person):
        entries.append({"resource": fhir.external_immunization(other)})
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


@router.post(
    "/persons/history",
    status_code=status.HTTP_201_CREATED,
    summary="Enter a dose given elsewhere (ROC dates and CDC codes accepted)",
)
def record_external_dose(
    body: ExternalDoseCreate, client: StaffDep, session: SessionDep, now: NowDep
) -> dict[str, Any]:
    dose = history.record_external(session, body, now=now, actor=_actor(client))
    session.commit()
    return fhir.external_immunization(dose)


@router.get(
    "/reports/daily",
    summary="Nightly report: doses given, vials, balance per lot",
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def daily_report(
    client: StaffDep,
    session: SessionDep,
    now: NowDep,
    day: Annotated[date | None, Query(alias="date")] = None,
    site: str | None = None,
    format: Literal["json", "csv"] = "json",
) -> Any:
    if site is not None:
        client.require_site(sites.get(session, site))
    elif not client.national:
        raise BookingInputError("give site=<institution code>: you may see only your sites")
    rows: list[ReportRow] = reports.daily(session, day or taipei_date(now), site_code=site)
    if format == "csv":
        return Response(reports.to_csv(rows), media_type="text/csv; charset=utf-8")
    return rows


# The clinic quick-update page (booking/pages): see the site's sessions, then one tap each.
UPCOMING_DAYS = 14


@router.get("/me", summary="Who this token is and which sites it may act on")
def me(client: StaffDep, session: SessionDep) -> StaffProfile:
    reach = Site.id.in_(client.site_ids) | Site.county_code.in_(client.counties)
    found: list[Site] = []
    if not client.national:
        found = list(session.scalars(select(Site).where(reach).order_by(Site.code)))
    return StaffProfile(
        client_id=client.id,
        name=client.client.name,
        national=client.national,
        sites=[sites.public(site) for site in found],
        counties=sorted(client.counties),
    )


@router.get("/sites/{code}/slots", summary="A site's sessions, full and closed ones included")
def site_slots(
    code: str,
    client: StaffDep,
    session: SessionDep,
    now: NowDep,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[SlotPublic]:
    site = sites.get(session, code)
    client.require_site(site)
    first = date_from or taipei_date(now)
    last = date_to or first + timedelta(days=UPCOMING_DAYS - 1)
    if last < first or (last - first).days >= 62:
        raise BookingInputError("date_to must not be before date_from, nor 62 days after it")
    return [slots.public(slot, site) for slot in clinic.site_slots(session, site, first, last)]


@router.post("/slots/{slot_id}/full", summary="Mark a session full: no more bookings")
def mark_full(slot_id: int, client: StaffDep, session: SessionDep, now: NowDep) -> SlotPublic:
    slot = _slot_of(session, client, slot_id)
    slot = clinic.mark_full(session, slot, now=now, actor=_actor(client))
    session.commit()
    return slots.public(slot, session.get_one(Site, slot.site_id))


@router.put("/sites/{code}/leftovers", summary="Announce walk-in doses left now (0 withdraws)")
def announce_leftovers(
    code: str, body: LeftoverAnnounce, client: StaffDep, session: SessionDep, now: NowDep
) -> LeftoverAnnouncementPublic:
    site = sites.get(session, code)
    client.require_site(site)
    row = clinic.announce_leftovers(
        session, site, body.vaccine_code, body.funding, body.doses, now=now, actor=_actor(client)
    )
    session.commit()
    return LeftoverAnnouncementPublic(
        site_code=site.code,
        day=row.day,
        vaccine_code=row.vaccine_code,
        funding=Funding(row.funding),
        doses=row.doses,
        announced_at=row.announced_at,
    )
