"""The key store as the service configures it, and the first-start rule for keys.

Development creates a development-marked store on first start, so ``vaxx serve`` works
with nothing configured. Production never creates keys by itself and refuses a
development store: its keys were made with a default passphrase on a developer's terms.
"""

from __future__ import annotations

from datetime import datetime

from issuer.errors import KeysMissing, KeysUnusable
from issuer.keys.store import KeyStore
from vaxx.settings import Settings


def open_store(settings: Settings) -> KeyStore:
    """The key store under ``<data_dir>/keys`` (nothing is read until first use)."""
    passphrase = settings.key_passphrase.get_secret_value().encode()
    return KeyStore(settings.data_dir / "keys", passphrase)


def prepare(settings: Settings, now: datetime) -> None:
    """Development: create keys once. Production: demand real (non-development) keys."""
    store = open_store(settings)
    if settings.env == "development":
        if not store.exists():
            store.init(country=settings.issuing_country, now=now, development=True)
        return
    if not store.exists():
        raise KeysMissing("no signing keys: run 'vaxx keys init' with VAXX_ENV=production")
    if store.development:
        raise KeysUnusable("the key store holds development keys; production refuses them")
