"""Public booking endpoints (no token): find slots, check eligibility, book, look up, cancel.

Looking up or cancelling needs the booking reference and the birth date, and the two
failures are indistinguishable. The person's identifier is never echoed in full.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from booking import (
    appointments,
    eligibility,
    fhir,
    history,
    leftovers,
    rules,
    sites,
    slots,
)
from booking.enums import Channel, Funding, Session
from booking.errors import BookingInputError
from booking.models import Appointment, Site, Slot
from booking.schemas import (
    AppointmentLookup,
    AppointmentPublic,
    BookingCreate,
    EligibilityAnswer,
    PersonIn,
    Reschedule,
    SitePublic,
    SlotPublic,
)
from booking.taiwan import county, taipei_date
from vaxx import audit
from vaxx.auth import service as auth_service
from vaxx.auth.models import ApiClient
from vaxx.auth.scopes import Scope
from vaxx.deps import NowDep, SessionDep
from vaxx.errors import AuthError

router = APIRouter(prefix="/booking", tags=["booking"])


def _county(key: str | None) -> str | None:
    if key is None:
        return None
    try:
        return county(key).code
    except KeyError:
        raise BookingInputError(f"{key!r} is not a Taiwan county or city", field="county") from None


def _public(session: SessionDep, appointment: Appointment) -> AppointmentPublic:
    slot = session.get_one(Slot, appointment.slot_id)
    site = session.get_one(Site, slot.site_id)
    return AppointmentPublic(
        reference=appointment.reference,
        status=appointment.status,
        person=appointments.masked(appointment),
        dose_number=appointment.dose_number,
        channel=appointment.channel,
        slot=slots.public(slot, site),
    )


@router.get("/sites", summary="Vaccination sites by county and district")
def list_sites(
    session: SessionDep, county: str | None = None, district: str | None = None
) -> list[SitePublic]:
    return [
        sites.public(s) for s in sites.listing(session, county=_county(county), district=district)
    ]


@router.get("/slots", summary="Open slots with free places")
def search_slots(
    session: SessionDep,
    now: NowDep,
    county: str | None = None,
    district: str | None = None,
    site: Annotated[str | None, Query(description="A site's code: only its sessions")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    session_of_day: Annotated[Session | None, Query(alias="session")] = None,
    vaccine: str | None = None,
    funding: Funding | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[SlotPublic]:
    query = slots.SlotQuery(
        county=_county(county),
        district=district,
        site_code=site,
        day_from=date_from,
        day_to=date_to,
        session=session_of_day,
        vaccine_code=vaccine,
        funding=funding,
        limit=limit,
    )
    found = slots.search(session, query, today=taipei_date(now))
    return [slots.public(slot, site) for slot, site in found]


@router.get("/slots/{slot_id}", summary="One slot, full or closed ones too (the booking page)")
def get_slot(slot_id: int, session: SessionDep) -> SlotPublic:
    slot = slots.get(session, slot_id)
    return slots.public(slot, session.get_one(Site, slot.site_id))


@router.post("/eligibility", summary="May this person book this slot? (and why not)")
def check_eligibility(
    body: PersonIn, session: SessionDep, slot_id: Annotated[int, Query()]
) -> EligibilityAnswer:
    slot = slots.get(session, slot_id)
    person = history.person_key(body.id_type, body.id_value)
    history.require_birth_date(session, body.id_type, person, body.birth_date)
    plan = rules.plan_next_dose(
        history.prior_doses(session, body.id_type, person), slot.vaccine_code
    )
    decision = eligibility.decide(
        session, person, vaccine_code=slot.vaccine_code, day=slot.day, funding=Funding(slot.funding)
    )
    reasons = [r for r in [rules.interval_reason(plan, slot.day)] if r is not None]
    reasons.extend(decision.reasons)
    return EligibilityAnswer(
        eligible=not reasons,
        category=decision.category,
        dose_number=plan.dose_number,
        reasons=[{"code": r.code, "detail": r.detail} for r in reasons],
    )


_bearer = HTTPBearer(auto_error=False, description="Partners and staff: API client token")
_CHANNEL_SCOPES = {
    Channel.PARTNER: Scope.BOOKING_AGENT,
    Channel.KIOSK: Scope.BOOKING_AGENT,
    Channel.STAFF: Scope.BOOKING_STAFF,
}


def _require_channel(
    channel: Channel,
    session: SessionDep,
    now: NowDep,
    credentials: HTTPAuthorizationCredentials | None,
) -> ApiClient | None:
    """Anyone may book on the web; the partner, kiosk and staff channels need their token,
    so the channel recorded on an appointment is true."""
    scope = _CHANNEL_SCOPES.get(channel)
    if scope is None:
        return None
    if credentials is None:
        raise AuthError(f"booking through the {channel} channel needs a {scope} token")
    client = auth_service.authenticate(session, credentials.credentials, now=now)
    auth_service.require(client, scope)
    return client


@router.post("/appointments", status_code=status.HTTP_201_CREATED, summary="Book a place in a slot")
def book(
    body: BookingCreate,
    session: SessionDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AppointmentPublic:
    agent = _require_channel(body.channel, session, now, credentials)
    slot = slots.get(session, body.slot_id)
    appointment = appointments.book(session, slot, body, now=now)
    if agent is not None:
        audit.record(
            session,
            at=now,
            actor=f"client:{agent.id}",
            action="booking.appointment.book",
            target=appointment.reference,
            details={"channel": body.channel.value, "slot": slot.id},
        )
    session.commit()
    return _public(session, appointment)


@router.post("/appointments/lookup", summary="Your appointment (reference + birth date)")
def lookup(body: AppointmentLookup, session: SessionDep) -> AppointmentPublic:
    return _public(session, appointments.find(session, body.reference, body.birth_date))


@router.post("/appointments/cancel", summary="Cancel your appointment (reference + birth date)")
def cancel(body: AppointmentLookup, session: SessionDep, now: NowDep) -> AppointmentPublic:
    appointment = appointments.find(session, body.reference, body.birth_date)
    appointments.cancel(session, appointment, now=now)
    session.commit()
    return _public(session, appointment)


@router.post("/appointments/reschedule", summary="Move your appointment to another slot")
def reschedule(body: Reschedule, session: SessionDep, now: NowDep) -> AppointmentPublic:
    appointment = appointments.find(session, body.reference, body.birth_date)
    appointments.reschedule(session, appointment, slots.get(session, body.slot_id), now=now)
    session.commit()
    return _public(session, appointment)


@router.get("/leftovers", summary="Walk-in doses left in opened vials after today's sessions")
def leftover_doses(
    session: SessionDep, now: NowDep, county: str | None = None
) -> list[dict[str, Any]]:
    found = leftovers.today(session, taipei_date(now), county=_county(county))
    return [
        {
            "site": sites.public(item.site).model_dump(),
            "vaccine_code": item.vaccine_code,
            "funding": item.funding,
            "doses": item.doses,
        }
        for item in found
    ]


@router.get("/fhir/Location/{code}", summary="A site as FHIR Location")
def location(code: str, session: SessionDep) -> dict[str, Any]:
    return fhir.location(sites.get(session, code))


@router.get("/fhir/Schedule", summary="Each site's calendars (per vaccine and funding)")
def fhir_schedules(session: SessionDep, now: NowDep, county: str | None = None) -> dict[str, Any]:
    query = slots.SlotQuery(county=_county(county), available_only=False, limit=10_000)
    seen: dict[str, dict[str, Any]] = {}
    for slot, site in slots.search(session, query, today=taipei_date(now)):
        resource = fhir.schedule(site, slot.vaccine_code, slot.funding)
        seen.setdefault(resource["id"], resource)
    entries = [{"resource": resource} for resource in seen.values()]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


@router.post("/fhir/Appointment", summary="Your appointment as FHIR (reference + birth date)")
def fhir_appointment(body: AppointmentLookup, session: SessionDep) -> dict[str, Any]:
    appointment = appointments.find(session, body.reference, body.birth_date)
    slot = session.get_one(Slot, appointment.slot_id)
    return fhir.appointment(appointment, slot, session.get_one(Site, slot.site_id))


@router.get("/fhir/Slot", summary="Open slots as a FHIR searchset Bundle")
def fhir_slots(
    session: SessionDep, now: NowDep, county: str | None = None, vaccine: str | None = None
) -> dict[str, Any]:
    query = slots.SlotQuery(county=_county(county), vaccine_code=vaccine, available_only=False)
    found = slots.search(session, query, today=taipei_date(now))
    entries = [{"resource": fhir.slot(slot, site)} for slot, site in found]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}
