"""SMART Scheduling Links (smart-on-fhir/smart-scheduling-links, ``specification.md``).

Publishing: :mod:`~booking.smart_links.resources` turns booking rows into Location, Schedule
and Slot resources; :mod:`~booking.smart_links.publish` gathers them, keeps the change
ledger behind ``_since`` and renders the manifest and NDJSON files. Importing:
:mod:`~booking.smart_links.importer` reads another publisher's feed through a ``fetch``
function, with no database and no network of its own::

    >>> import json
    >>> from booking.smart_links import importer
    >>> files = {
    ...     "l": b'{"resourceType":"Location","id":"1","name":"Clinic"}',
    ...     "s": b'{"resourceType":"Schedule","id":"2","actor":[{"reference":"Location/1"}]}',
    ...     "t": b'{"resourceType":"Slot","id":"3","schedule":{"reference":"Schedule/2"},'
    ...          b'"status":"free","start":"2026-11-24T09:00:00+08:00",'
    ...          b'"end":"2026-11-24T12:00:00+08:00"}',
    ... }
    >>> manifest = json.dumps({"transactionTime": "2026-11-23T09:00:00Z", "output": [
    ...     {"type": "Location", "url": "l"}, {"type": "Schedule", "url": "s"},
    ...     {"type": "Slot", "url": "t"}]}).encode()
    >>> feed = importer.read(manifest, files.__getitem__)
    >>> [(slot.location_id, slot.status, slot.capacity) for slot in feed.slots]
    [('1', 'free', 1)]
"""

from booking.smart_links.importer import Feed, FileUnavailable, read
from booking.smart_links.publish import Links

__all__ = ["Feed", "FileUnavailable", "Links", "read"]
