"""Vaccination booking: sites, vaccine stock, eligibility, slots, appointments and the
administered doses that feed the issuer.

Stock and capacity are enforced by the database (CHECK constraints and atomic
conditional updates), so two servers sharing one PostgreSQL never overbook a slot.

Example (pure rules, no database)::

    >>> from booking.taiwan import IdType, normalise_person_id
    >>> normalise_person_id(IdType.NATIONAL_ID, "a123456789")
    'A123456789'
"""

__all__: list[str] = []
