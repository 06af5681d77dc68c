"""Errors the profiles package raises, rooted in the vaxx error tree.

``ProfileInvalid`` carries the whole FHIR OperationOutcome (every problem at once), so the
API's problem+json body can hand it to the clinic unchanged.
"""

from __future__ import annotations

from typing import Any

from vaxx.errors import InputError


class ProfileInvalid(InputError):
    """A Bundle (or DCC payload) breaks the Taiwan IG profiles; ``outcome`` lists why."""

    code = "profile_invalid"
    title = "FHIR resources do not meet the Taiwan DCC profiles"

    def __init__(self, detail: str, *, operation_outcome: dict[str, Any], **extra: Any) -> None:
        super().__init__(detail, operation_outcome=operation_outcome, **extra)
        self.outcome = operation_outcome


class DccInvalid(InputError):
    """A DCC JSON payload fails the EU DCC schema 1.3.x or its value sets."""

    code = "dcc_invalid"
    title = "DCC payload does not meet the EU DCC schema"

    def __init__(self, detail: str, *, problems: list[str], **extra: Any) -> None:
        super().__init__(detail, problems=problems, **extra)
        self.problems = problems
