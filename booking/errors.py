"""Booking errors: each has a stable ``code`` that clients match on."""

from __future__ import annotations

from vaxx.errors import Conflict, InputError, NotFound


class BookingInputError(InputError):
    """A booking request that is malformed or breaks a rule the caller can fix."""

    code = "booking_invalid"


class SiteNotFound(NotFound):
    code = "site_not_found"


class LotNotFound(NotFound):
    code = "lot_not_found"


class SlotNotFound(NotFound):
    code = "slot_not_found"


class AppointmentNotFound(NotFound):
    """No appointment matches the reference and birth date (the two are never told apart)."""

    code = "appointment_not_found"


class CategoryNotFound(NotFound):
    code = "category_not_found"


class AlreadyExists(Conflict):
    code = "already_exists"


class SlotFull(Conflict):
    """Every place in the slot is taken; try another slot."""

    code = "slot_full"


class SlotClosed(Conflict):
    code = "slot_closed"


class InsufficientStock(Conflict):
    """Not enough doses (or vials) left for what was asked."""

    code = "insufficient_stock"


class NotEligible(Conflict):
    """The person may not book this vaccine on that date; ``reasons`` says why."""

    code = "not_eligible"


class DuplicateAppointment(Conflict):
    """The person already holds an active appointment (or a record) for this dose."""

    code = "duplicate_appointment"


class InvalidTransition(Conflict):
    """The appointment's status does not allow this action (e.g. cancelling a given dose)."""

    code = "invalid_status"


class LotUnusable(InputError):
    """A dose recorded with a lot that is unknown, expired, not at this site or used up."""

    code = "lot_unusable"


class EligibilityImportInvalid(InputError):
    """The eligibility CSV has bad rows; ``errors`` lists each one and nothing was imported."""

    code = "eligibility_import_invalid"
