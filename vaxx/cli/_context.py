"""What every CLI command needs: settings and a migrated database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from vaxx import db
from vaxx.settings import Settings
from vaxx.shared_state.setup import watch_cli_writes

CLI_ACTOR = "cli"


def settings() -> Settings:
    """Read afresh on every command (the environment is the CLI's configuration)."""
    return Settings()


@contextmanager
def database(config: Settings) -> Iterator[sessionmaker[Session]]:
    """Apply pending migrations (the CLI may be the first to run), hand out sessions, and
    close every connection on the way out."""
    config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    url = config.resolved_database_url
    db.upgrade(url)
    engine = db.make_engine(url)
    factory = db.make_sessionmaker(engine)
    state = watch_cli_writes(factory, config)  # servers' caches see these writes at once
    try:
        yield factory
    finally:
        engine.dispose()
        if state is not None:
            state.close()


@contextmanager
def transaction(config: Settings) -> Iterator[Session]:
    """One committed-or-nothing session on the configured database."""
    with database(config) as factory, db.transaction(factory) as session:
        yield session
