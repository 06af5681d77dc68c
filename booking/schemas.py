"""Request and response bodies of the booking API. Public responses never echo a
person's full identifier: it is masked (``A12****789``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from booking import taiwan
from booking.enums import AppointmentStatus, Channel, Funding, LotType, Session, SiteType
from booking.taiwan import IdType
from booking.vaccines import VACCINES

InstitutionCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]
VaccineCode = Annotated[str, Field(examples=["CoV AZ"], max_length=20)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _known_vaccine(code: str) -> str:
    if code not in VACCINES:
        raise ValueError(f"unknown vaccine code {code!r}; known: {', '.join(VACCINES)}")
    return code


def _known_county(key: str) -> str:
    try:
        return taiwan.county(key).code
    except KeyError:
        raise ValueError(f"{key!r} is not one of Taiwan's 22 counties and cities") from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SiteCreate(_Strict):
    code: InstitutionCode = Field(description="MOHW 10-digit institution code (醫事機構代碼)")
    name_zh: Text
    name_en: Text
    type: SiteType
    county: str = Field(description="County/city: MOI code, Chinese or English name")
    district: Text
    address: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    latitude: float | None = Field(default=None, ge=21.5, le=26.5)
    longitude: float | None = Field(default=None, ge=118.0, le=122.5)
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+#()\- ]{6,30}$")] | None = None
    sessions: list[Session] = Field(min_length=1, max_length=3)
    channels: list[Channel] = Field(min_length=1, max_length=4)
    issues_certificates: bool = Field(
        default=True, description="Sign the certificate as soon as a dose is recorded"
    )

    _county = field_validator("county")(_known_county)


class SitePublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    type: str
    county_code: str
    county_zh: str
    county_en: str
    district: str
    address: str
    latitude: float | None
    longitude: float | None
    phone: str | None
    sessions: list[str]
    channels: list[str]
    issues_certificates: bool


class LotCreate(_Strict):
    vaccine_code: VaccineCode
    lot_number: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9\-]{1,40}$")]
    lot_type: LotType
    manufacturer: Text | None = Field(default=None, description="Default: the product's MAH")
    expires_on: date
    doses_per_vial: int | None = Field(default=None, ge=1, le=50, description="Default: product")
    vials_total: int = Field(ge=1, le=10_000_000)

    _vaccine = field_validator("vaccine_code")(_known_vaccine)


class LotPublic(BaseModel):
    id: int
    vaccine_code: str
    lot_number: str
    lot_type: str
    manufacturer: str
    expires_on: date
    doses_per_vial: int
    vials_total: int
    vials_allocated: int


class CountyAllocation(_Strict):
    county: str
    vials: int = Field(ge=1, le=10_000_000)

    _county = field_validator("county")(_known_county)


class SiteDelivery(_Strict):
    site_code: InstitutionCode
    vials: int = Field(ge=1, le=1_000_000)


class StockPublic(BaseModel):
    site_code: str
    vaccine_code: str
    lot_number: str
    lot_type: str
    expires_on: date
    vials_received: int
    doses_received: int
    doses_given: int
    doses_wasted: int
    balance: int


class WastageCreate(_Strict):
    vaccine_code: VaccineCode
    lot_number: str = Field(max_length=40)
    doses: int = Field(ge=1, le=10_000)
    reason: Text


class SlotCreate(_Strict):
    day: date
    session: Session
    vaccine_code: VaccineCode
    funding: Funding = Funding.PUBLIC
    capacity: int = Field(ge=1, le=10_000)

    _vaccine = field_validator("vaccine_code")(_known_vaccine)


class SlotResize(_Strict):
    capacity: int = Field(ge=0, le=10_000)


class SlotPublic(BaseModel):
    id: int
    site_code: str
    site_name_zh: str
    site_name_en: str
    county_code: str
    district: str
    day: date
    session: str
    start: datetime
    end: datetime
    vaccine_code: str
    funding: str
    capacity: int
    booked: int
    available: int
    closed: bool


class PersonIn(_Strict):
    id_type: IdType
    id_value: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]
    birth_date: date


class BookingCreate(PersonIn):
    slot_id: int
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+\- ]{6,20}$")] | None = None
    channel: Channel = Channel.WEB


class AppointmentPublic(BaseModel):
    reference: str
    status: AppointmentStatus
    person: str = Field(description="The identifier, masked")
    dose_number: int
    channel: str
    slot: SlotPublic


class AppointmentLookup(_Strict):
    reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=16)]
    birth_date: date


class Reschedule(AppointmentLookup):
    slot_id: int


class CategoryCreate(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9\-]{1,20}$")]
    name_zh: Text
    name_en: Text
    vaccine_codes: list[VaccineCode] = Field(min_length=1, max_length=20)
    active_from: date
    active_until: date | None = None

    @field_validator("vaccine_codes")
    @classmethod
    def _vaccines(cls, codes: list[str]) -> list[str]:
        return [_known_vaccine(code) for code in codes]

    @model_validator(mode="after")
    def _window_ordered(self) -> CategoryCreate:
        if self.active_until is not None and self.active_until < self.active_from:
            raise ValueError("active_until is before active_from")
        return self


class EligibilityAnswer(BaseModel):
    eligible: bool
    category: str | None
    dose_number: int
    reasons: list[dict[str, str]]


class ImportResult(BaseModel):
    category: str
    week_start: date
    persons: int


class PatientName(_Strict):
    family_en: Annotated[str, StringConstraints(pattern=r"^[A-Za-z ,'\-]{1,80}$")]
    given_en: Annotated[str, StringConstraints(pattern=r"^[A-Za-z ,'\-]{1,80}$")]
    family_zh: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    given_zh: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    gender: Literal["male", "female", "other", "unknown"]
    passport_state: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = Field(
        default=None, description="ISO 3166 alpha-3 of the passport's issuing state"
    )

    @model_validator(mode="after")
    def _both_zh(self) -> PatientName:
        if (self.family_zh is None) != (self.given_zh is None):
            raise ValueError("give both family_zh and given_zh, or neither")
        return self


class Performer(_Strict):
    name: Text
    licence: Annotated[str, StringConstraints(max_length=40)] | None = None


class AdministrationCreate(_Strict):
    vaccine_code: VaccineCode
    lot_number: str = Field(max_length=40)
    patient: PatientName
    performer: Performer
    appointment_reference: str | None = Field(default=None, max_length=16)
    person: PersonIn | None = Field(default=None, description="For a walk-in (no appointment)")
    funding: Funding | None = Field(default=None, description="Walk-in only; default: lot's")


class AdministrationPublic(BaseModel):
    id: int
    site_code: str
    vaccine_code: str
    lot_number: str
    dose_number: int
    series_doses: int
    administered_at: datetime
    bundle: dict[str, object]
    certificate: dict[str, object] | None
    claim_code: str | None = Field(
        default=None,
        description="The holder's wallet claim code, in the answer that signed the "
        "certificate only (print it on the slip; it is stored only hashed)",
    )
    claim_code_expires_at: datetime | None = None


class ReportRow(BaseModel):
    date: date
    site_code: str
    vaccine_code: str
    lot_number: str
    lot_type: str
    stock_doses: int
    doses_given: int
    doses_wasted: int
    vials_consumed: int
    balance: int


class ExternalDoseCreate(PersonIn):
    """A dose given elsewhere. ``birth_date`` confirms who it is for the audit trail."""

    vaccine_code: str = Field(max_length=20, examples=["CoV AZ", "COVID19AZ"])
    given_on: str = Field(max_length=10, examples=["110/08/02", "2021-08-02"])
    lot_number: Annotated[str, StringConstraints(max_length=40)] | None = None
    institution_code: InstitutionCode | None = None


class BindingCreate(_Strict):
    """Exactly one of ``site_code`` (for site-staff) and ``county`` (for health-bureau)."""

    client_id: str = Field(max_length=32)
    site_code: InstitutionCode | None = None
    county: str | None = None

    @field_validator("county")
    @classmethod
    def _county(cls, key: str | None) -> str | None:
        return None if key is None else _known_county(key)

    @model_validator(mode="after")
    def _one_target(self) -> BindingCreate:
        if (self.site_code is None) == (self.county is None):
            raise ValueError("give exactly one of site_code and county")
        return self


class StaffProfile(BaseModel):
    """Who the token is and where it may act (the clinic page picks the site from this)."""

    client_id: str
    name: str
    national: bool = Field(description="National booking staff: every site")
    sites: list[SitePublic] = Field(description="The sites this client may act on (if bound)")
    counties: list[str] = Field(description="Counties a health bureau is bound to")


class LeftoverAnnounce(_Strict):
    vaccine_code: VaccineCode
    funding: Funding = Funding.PUBLIC
    doses: int = Field(ge=0, le=1_000, description="Walk-in doses left now; 0 withdraws")

    _vaccine = field_validator("vaccine_code")(_known_vaccine)


class LeftoverAnnouncementPublic(BaseModel):
    site_code: str
    day: date = Field(description="The day the announcement holds for (Asia/Taipei)")
    vaccine_code: str
    funding: Funding
    doses: int
    announced_at: datetime
