"""schemathesis against the app's own OpenAPI document: every operation, generated and mutated
inputs, in-process over ASGI on a migrated database (SQLite and PostgreSQL).

Checks: no 5xx, the status code and content type are among those the operation documents,
and the body matches the documented schema. The app gets development issuer keys and
trust-list signing keys, and every request carries a token that gets past authentication
(an API client holding every scope; a live holder token on the holder routes),
so the fuzzing reaches the handlers instead of stopping at 401. The number of examples
per operation is bounded so the whole run stays short in CI.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session, sessionmaker

from issuer.keys import KeyStore
from tests.conftest import MutableClock, auth
from tests.integration.issuer.conftest import dev_key_template, keys  # noqa: F401 - fixtures
from trust_list import keys as trust_keys
from vaxx import db
from vaxx.app import create_app
from vaxx.auth.scopes import Scope
from vaxx.settings import Settings
from wallet_api import sessions
from wallet_api.policy import WalletPolicy

EXAMPLES_PER_OPERATION = int(os.environ.get("VAXX_FUZZ_EXAMPLES", "12"))
"""Per operation; CI keeps the default, a deeper run sets VAXX_FUZZ_EXAMPLES."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
HOLDER_PREFIX = "/wallet/api/"
CLIENT_TOKEN_WALLET_PATHS = frozenset({"/wallet/api/claim-codes"})
"""Wallet operations that take an API client token (the issuer side), not a holder token."""


def _document() -> dict[str, Any]:
    """The app's OpenAPI document (building it touches no database)."""
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(data_dir=Path(directory), database_url="sqlite://", _env_file=None)  # type: ignore[call-arg]
        application = create_app(settings)
        document = application.openapi()
        application.state.engine.dispose()
    return document


schema = schemathesis.openapi.from_dict(_document())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
)


@pytest.fixture
def fuzzed_app(
    app: FastAPI,
    keys: KeyStore,  # noqa: F811 - the imported fixture, requested
    settings: Settings,
    clock: MutableClock,
) -> FastAPI:
    """The app with development issuer keys and trust-list signing keys in its data dir."""
    trust_keys.generate_keys(settings, clock())
    return app


@pytest.fixture
def client_headers(make_token: Callable[..., str]) -> dict[str, str]:
    return auth(make_token(*Scope))


@pytest.fixture
def holder_headers(
    session_factory: sessionmaker[Session], settings: Settings, clock: MutableClock
) -> Callable[[], dict[str, str]]:
    """A fresh holder session per call: the fuzzed logout ends the one it is given."""

    def make() -> dict[str, str]:
        with db.transaction(session_factory) as session:
            holder = sessions.new_holder(session, now=clock())
            grant = sessions.open_session(
                session, holder.id, now=clock(), policy=WalletPolicy.from_settings(settings)
            )
        return auth(grant.token)

    return make


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,  # one app per operation; state may accumulate
    ],
)
def test_every_operation_survives_generated_and_mutated_input(
    case: schemathesis.Case,
    fuzzed_app: FastAPI,
    client_headers: dict[str, str],
    holder_headers: Callable[[], dict[str, str]],
) -> None:
    path = case.operation.path
    holder_route = path.startswith(HOLDER_PREFIX) and path not in CLIENT_TOKEN_WALLET_PATHS
    headers = holder_headers() if holder_route else client_headers
    case.call_and_validate(headers=headers, checks=CHECKS, app=fuzzed_app)


def test_the_fuzzed_document_lists_every_operation(app: FastAPI) -> None:
    """Guards against the fuzz silently covering nothing: the document it reads has the
    domains' operations in it."""
    paths = app.openapi()["paths"]
    for prefix in ("/admin/", "/issuer/", "/verifier/", "/booking/", "/wallet/api/", "/trust-list"):
        assert any(path.startswith(prefix) for path in paths), prefix
