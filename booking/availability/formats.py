"""JSON or CSV for the same rows: ``?format=csv`` or ``Accept: text/csv`` picks CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel

from booking.availability.errors import AvailabilityInputError


def wants_csv(format_param: str | None, accept: str | None) -> bool:
    if format_param is not None:
        if format_param not in {"csv", "json"}:
            raise AvailabilityInputError("format must be csv or json", field="format")
        return format_param == "csv"
    return "text/csv" in (accept or "")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def to_csv(model: type[BaseModel], rows: Sequence[BaseModel]) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs read the Chinese names) and a header row
    named as the JSON fields."""
    names = list(model.model_fields)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in names])
    return ("\ufeff" + buffer.getvalue()).encode()


def to_json(rows: Sequence[BaseModel]) -> bytes:
    return json.dumps([row.model_dump(mode="json") for row in rows], ensure_ascii=False).encode()
