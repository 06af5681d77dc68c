"""Availability errors, each with a stable ``code``."""

from __future__ import annotations

from vaxx.errors import Conflict, InputError, NotFound


class AvailabilityInputError(InputError):
    """A malformed open-data, feed or ingestion request."""

    code = "availability_invalid"


class FeedInvalid(InputError):
    """A SMART Scheduling Links feed that cannot be read (manifest or file)."""

    code = "feed_invalid"


class FeedFileNotFound(NotFound):
    code = "feed_file_not_found"


class SourceNotFound(NotFound):
    code = "availability_source_not_found"


class SourceConflict(Conflict):
    code = "availability_source_exists"
