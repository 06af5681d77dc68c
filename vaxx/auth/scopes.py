"""The scopes a client may hold; each protects one family of endpoints."""

from enum import StrEnum


class Scope(StrEnum):
    ADMIN = "admin"
    """Manage API clients and read the audit log."""
    ISSUER = "issuer"
    """Issue, re-issue and revoke certificates."""
    VERIFIER = "verifier"
    """Use the online verification endpoint."""
    BOOKING_STAFF = "booking-staff"
    """National (CDC) booking staff: every site, lots, allocations, eligibility lists."""
    SITE_STAFF = "site-staff"
    """Staff of the vaccination sites the client is bound to (booking bindings)."""
    HEALTH_BUREAU = "health-bureau"
    """A county health bureau: the sites of the counties the client is bound to."""
    BOOKING_AGENT = "booking-agent"
    """Partners booking for people: pharmacies and convenience-store kiosks."""
    AVAILABILITY_SOURCE = "availability-source"
    """Partner systems pushing their own availability."""
