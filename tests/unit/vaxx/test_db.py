"""Timezone-aware datetimes on every backend, and the SQLite file created owner-only."""

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from booking.models import Slot
from vaxx import db
from vaxx.audit import AuditEvent


def test_utc_datetime_refuses_naive() -> None:
    column = db.UTCDateTime()
    with pytest.raises(ValueError, match="naive"):
        column.process_bind_param(datetime(2026, 1, 1), None)  # noqa: DTZ001 - the point of the test


def test_utc_datetime_restores_utc() -> None:
    column = db.UTCDateTime()
    restored = column.process_result_value(datetime(2026, 1, 1), None)  # noqa: DTZ001
    assert restored == datetime(2026, 1, 1, tzinfo=UTC)


def test_sqlite_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "state.sqlite3"
    db.upgrade(f"sqlite:///{path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_get_by_id_treats_an_id_the_key_cannot_hold_as_no_row(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'ids.sqlite3'}")
    db.upgrade(f"sqlite:///{tmp_path / 'ids.sqlite3'}")
    with db.make_sessionmaker(engine)() as session:
        assert db.get_by_id(session, AuditEvent, db.ROW_ID_MAX + 1) is None
        assert db.get_by_id(session, AuditEvent, -db.ROW_ID_MAX - 2) is None
        assert db.get_by_id(session, AuditEvent, db.ROW_ID_MAX) is None  # in range, absent
        assert db.get_by_id(session, Slot, 2**31) is None  # an INTEGER key: 32-bit on PostgreSQL
    engine.dispose()
