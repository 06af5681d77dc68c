"""Alembic environment: the URL comes from the caller's config, else from vaxx settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import vaxx.models  # noqa: F401 - registers every table on Base.metadata
from vaxx.db import Base, make_engine
from vaxx.settings import get_settings

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("vaxx migrations run online only: use `vaxx db upgrade`")
run_migrations_online()
