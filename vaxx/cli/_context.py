"""What every CLI command needs: settings, a migrated database, the clock."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from vaxx import db
from vaxx.settings import Settings, get_settings

CLI_ACTOR = "cli"


def settings() -> Settings:
    return get_settings()


def migrated_sessionmaker(config: Settings) -> sessionmaker[Session]:
    """Apply pending migrations, then hand out sessions (the CLI may be the first to run)."""
    config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    url = config.resolved_database_url
    db.upgrade(url)
    return db.make_sessionmaker(db.make_engine(url))
