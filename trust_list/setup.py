"""First-start work for trust_list, called from :func:`vaxx.bootstrap.prepare`."""

from __future__ import annotations

from datetime import datetime

from trust_list import keys, sources
from vaxx import db
from vaxx.settings import Settings

BOOTSTRAP_ACTOR = "bootstrap"


def prepare(settings: Settings, now: datetime) -> None:
    """Development: create the trust-list signer and anchor once; production: refuse to start
    without a usable, non-development signer. Both: make sure the issuer's own CSCA and DSCs
    are in the registry (idempotent)."""
    if settings.env == "production":
        keys.require_production_keys(settings)
    keys.ensure_development_keys(settings, now)
    factory = db.make_sessionmaker(db.make_engine(settings.resolved_database_url))
    with db.transaction(factory) as session:
        sources.sync_issuer_keys(session, settings, now=now, actor=BOOTSTRAP_ACTOR)
