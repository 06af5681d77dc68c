"""The key store as the service configures it, and the first-start rule for keys.

Development creates a development-marked store on first start, so ``vaxx serve`` works
with nothing configured. Production never creates keys by itself and refuses a
development store: its keys were made with a default passphrase on a developer's terms.
"""

from __future__ import annotations

import threading
from datetime import datetime

from issuer.errors import KeysMissing, KeysUnusable
from issuer.keys.store import KeyStore
from vaxx.settings import DEVELOPMENT_KEY_PASSPHRASE, Settings

_CREATING = threading.Lock()


def open_store(settings: Settings) -> KeyStore:
    """The key store under ``<data_dir>/keys`` (nothing is read until first use).

    Production refuses the public development passphrase: keys encrypted with it are as
    good as unencrypted.
    """
    secret = settings.key_passphrase.get_secret_value()
    if settings.env == "production" and secret == DEVELOPMENT_KEY_PASSPHRASE:
        raise KeysUnusable("VAXX_KEY_PASSPHRASE is the development default; set a real one")
    passphrase = secret.encode()
    return KeyStore(settings.data_dir / "keys", passphrase)


def prepare(settings: Settings, now: datetime, store: KeyStore | None = None) -> None:
    """Development: create keys once. Production: demand real (non-development) keys.

    Runs at server start (:func:`vaxx.bootstrap.prepare`) and again before the running app
    first needs keys, so a development app made without the bootstrap (tests, notebooks)
    also gets its store; in production that second run only re-checks.
    """
    store = store or open_store(settings)
    with _CREATING:
        _prepare(settings, now, store)


def _prepare(settings: Settings, now: datetime, store: KeyStore) -> None:
    if settings.env == "development":
        if not store.exists():
            store.init(country=settings.issuing_country, now=now, development=True)
        return
    if not store.exists():
        raise KeysMissing("no signing keys: run 'vaxx keys init' with VAXX_ENV=production")
    if store.development:
        raise KeysUnusable("the key store holds development keys; production refuses them")
