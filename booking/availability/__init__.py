"""Public availability: open data on doses, places and slots, and partner ingestion.

Open data needs no token and is cached by ETag, in JSON or CSV. Partner booking systems
push their availability with an ``availability-source`` token; it is republished next to
vaxx's own, every record with its source, the time it was true, and a ``stale`` flag.
The pure helpers work without a server::

    >>> from datetime import datetime
    >>> from booking.availability import session_of
    >>> session_of(datetime.fromisoformat("2026-11-24T18:30:00+08:00")).value
    'evening'
"""

from booking.availability.open_data import Filters, session_of
from booking.availability.schemas import AvailabilityRow, DosesRow, LeftoverRow, PartnerPush

__all__ = ["AvailabilityRow", "DosesRow", "Filters", "LeftoverRow", "PartnerPush", "session_of"]
