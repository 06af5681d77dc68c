"""Vaccination booking: sites, vaccine stock, eligibility, slots, appointments and the
administered doses that feed the issuer.

Layers: the pure rules (:mod:`booking.rules`, :mod:`booking.taiwan`,
:mod:`booking.vaccines`) under the services (``sites``, ``stock``, ``slots``,
``eligibility``, ``appointments``, ``administration``, ``certificates``, ``registry``,
``reports``, ``leftovers``), the FHIR views (:mod:`booking.fhir`) and the HTTP routers
(``public_routes``, ``staff_routes``, ``registry_routes``). Stock and capacity are
enforced by the database (CHECK constraints and atomic conditional updates), so two
servers sharing one PostgreSQL never overbook a slot or take stock below zero.

Example (pure rules, no database)::

    >>> from datetime import date
    >>> from booking import rules, taiwan
    >>> taiwan.normalise_person_id(taiwan.IdType.NATIONAL_ID, "a123456789")
    'A123456789'
    >>> plan = rules.plan_next_dose([rules.PriorDose("CoV AZ", date(2021, 8, 2))], "CoV Moderna")
    >>> plan.dose_number, plan.earliest
    (2, datetime.date(2021, 9, 27))
"""

from booking import enums, rules, taiwan, vaccines

__all__ = ["enums", "rules", "taiwan", "vaccines"]
