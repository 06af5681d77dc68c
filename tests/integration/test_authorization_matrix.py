"""The authorisation matrix: every route of the app against no token and every scope.

Routes come from ``app.routes`` (so a new route is covered the day it is added) and the
scope a route needs is read from its dependencies: each guard carries ``admitted_scopes``
(``vaxx.deps.require_scope`` closures admit one scope; the booking staff guard admits the
three staff scopes, which its site and county bindings then narrow, tested in booking's own
tests). Holder routes of the wallet are their own category: they take a holder token, and
no API client token, whatever its scopes, is one. A route with no guard must be declared
in ``PUBLIC`` below with the reason it is public.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from issuer.keys import KeyStore
from tests.conftest import MutableClock, auth
from tests.integration.issuer.conftest import dev_key_template, keys  # noqa: F401 - fixtures
from trust_list import keys as trust_keys
from vaxx.app import create_app
from vaxx.auth.scopes import Scope
from vaxx.settings import Settings
from wallet_api.deps import current_holder

HOLDER = "holder"
"""The category of wallet routes that take a holder token."""

PUBLIC: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): "the API description is published",
    ("GET", "/docs"): "interactive API documentation page",
    ("GET", "/docs/oauth2-redirect"): "part of the documentation page",
    ("GET", "/redoc"): "API documentation page",
    ("GET", "/healthz"): "liveness probe for the orchestrator",
    ("GET", "/readyz"): "readiness probe for the load balancer",
    ("GET", "/version"): "the running version, for operators and clients",
    ("GET", "/metrics"): (
        "Prometheus scrapes it; VAXX_METRICS_TOKEN, when set, is checked in the route "
        "(tests/integration/vaxx/test_metrics.py) and docs/deploy.md keeps it off the proxy"
    ),
    ("GET", "/booking/sites"): "anyone may look for a vaccination site",
    ("GET", "/booking/slots"): "anyone may look for a free slot",
    ("POST", "/booking/eligibility"): "anyone may ask whether they may book this week",
    ("POST", "/booking/appointments"): (
        "the web channel is open to the public; the partner, kiosk and staff channels "
        "check their own token in the handler (booking's channel tests)"
    ),
    ("POST", "/booking/appointments/lookup"): "the reference + birth date is the credential",
    ("POST", "/booking/appointments/cancel"): "the reference + birth date is the credential",
    ("POST", "/booking/appointments/reschedule"): "the reference + birth date is the credential",
    ("GET", "/booking/leftovers"): "walk-in doses are announced to the public",
    ("GET", "/booking/fhir/Location/{code}"): "public FHIR view of the sites",
    ("GET", "/booking/fhir/Schedule"): "public FHIR view of the schedules",
    ("POST", "/booking/fhir/Appointment"): (
        "FHIR booking for the public web channel (same rules as POST /booking/appointments)"
    ),
    ("GET", "/booking/fhir/Slot"): "public FHIR view of the free slots",
    ("GET", "/$bulk-publish"): "SMART Scheduling Links manifest is open data",
    ("GET", "/smart-scheduling/{name}"): "SMART Scheduling Links files are open data",
    ("GET", "/open-data/availability"): "open data: free places per site and day",
    ("GET", "/open-data/doses"): "open data: doses given per county and day",
    ("GET", "/open-data/leftovers"): "open data: walk-in doses left today",
    ("GET", "/trust-list"): "verifiers everywhere fetch the signed trust list",
    ("GET", "/trust-list/eu"): "the public keys in the EU gateway's format",
    ("GET", "/trust-list/revocations"): "the signed revocation list is public",
    ("GET", "/trust-list/revocations/bloom"): "the signed revocation filter is public",
    ("POST", "/profiles/validate"): "stateless FHIR validation, no data kept",
    ("POST", "/profiles/dcc"): "stateless FHIR-to-DCC mapping, no data kept",
    ("POST", "/wallet/api/claim"): (
        "the one-time claim code is the credential; a holder token is optional "
        "(it adds to an existing wallet)"
    ),
    ("POST", "/wallet/api/login/start"): "starts a login: sends a code to the holder",
    ("POST", "/wallet/api/login/finish"): "the emailed/SMS code is the credential",
    ("GET", "/wallet"): "the wallet web page",
    ("GET", "/wallet/"): "the wallet web page",
    ("GET", "/wallet/{asset}"): "the wallet page's static assets",
    ("GET", "/verifier/"): "the verifier web page (verifies in the browser)",
    ("GET", "/verifier/assets/{name}"): "the verifier page's static assets",
    ("GET", "/booking/slots/{slot_id}"): "anyone may read the slot they are booking",
    ("GET", "/find"): "the public find-a-dose page",
    ("GET", "/book"): "the public booking page (the SMART feed's deep links)",
    ("GET", "/my-booking"): "the public page to look up, move or cancel one's booking",
    ("GET", "/clinic"): "redirect to the clinic page",
    ("GET", "/clinic/"): "the clinic page (it holds no data; staff paste their token)",
    ("GET", "/pages/options.json"): "the counties and vaccines the pages offer",
    ("GET", "/pages/assets/{name}"): "the pages' static assets",
}


@dataclass(frozen=True)
class RouteAccess:
    method: str
    path: str
    guards: tuple[frozenset[Scope] | str, ...]
    """One entry per guard: the scopes it admits, or ``HOLDER``."""

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _guards(dependant: Dependant | None) -> Iterator[frozenset[Scope] | str]:
    if dependant is None:
        return
    for sub in dependant.dependencies:
        admitted = getattr(sub.call, "admitted_scopes", None)
        if admitted is not None:
            yield frozenset(admitted)
        elif sub.call is current_holder:
            yield HOLDER
        else:
            yield from _guards(sub)


def routes_of(app: FastAPI) -> list[RouteAccess]:
    found = []
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        guards = tuple(dict.fromkeys(_guards(dependant)))
        for method in sorted((route.methods or set()) - {"HEAD"}):
            found.append(RouteAccess(method, str(route.path), guards))
    return found


def _routes_at_import() -> list[RouteAccess]:
    """The routes, read at collection time to name one test per route (no database used)."""
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(data_dir=Path(directory), database_url="sqlite://", _env_file=None)  # type: ignore[call-arg]
        application = create_app(settings)
        routes = routes_of(application)
        application.state.engine.dispose()
    return routes


ROUTES = _routes_at_import()
GUARDED = [route for route in ROUTES if (route.method, route.path) not in PUBLIC]
OPEN = [route for route in ROUTES if (route.method, route.path) in PUBLIC]


def _url(path: str) -> str:
    """The route's path with every parameter filled (``{name}`` or ``{name:converter}``)."""
    return re.sub(r"\{[^}]+\}", "x", path)


def _call(client: TestClient, route: RouteAccess, headers: dict[str, str]) -> Any:
    return client.request(route.method, _url(route.path), headers=headers)


def _assert_problem(response: Any, status: int, code: str, context: str) -> None:
    assert response.status_code == status, f"{context}: {response.status_code} {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json"), context
    if status == 403:
        assert response.json()["code"] == code, (context, response.json())


def test_the_matrix_covers_the_app() -> None:
    """Guards against an empty matrix: every domain's routes are in it."""
    paths = {route.path for route in ROUTES}
    for prefix in ("/admin/", "/issuer/", "/verifier/", "/booking/staff/", "/wallet/api/"):
        assert any(path.startswith(prefix) for path in paths), prefix


def test_public_routes_are_exactly_the_routes_without_a_guard() -> None:
    declared = {(route.method, route.path) for route in ROUTES}
    stale = set(PUBLIC) - declared
    assert not stale, f"PUBLIC lists routes the app no longer has: {sorted(stale)}"
    for route in OPEN:
        assert route.guards == (), f"{route.id} is declared public yet has guards {route.guards}"


@pytest.mark.parametrize("route", GUARDED, ids=lambda route: route.id)
def test_every_guarded_route_has_exactly_one_guard(route: RouteAccess) -> None:
    assert len(route.guards) == 1, (
        f"{route.id}: not in PUBLIC, so it needs exactly one guard; found {route.guards}"
    )
    guard = route.guards[0]
    if guard != HOLDER and guard != frozenset(
        {Scope.BOOKING_STAFF, Scope.SITE_STAFF, Scope.HEALTH_BUREAU}
    ):
        assert len(guard) == 1, f"{route.id}: a require_scope guard admits one scope: {guard}"


@pytest.mark.parametrize("route", GUARDED, ids=lambda route: route.id)
def test_guarded_route_refuses_no_token_and_every_other_scope(
    route: RouteAccess, client: TestClient, make_token: Callable[..., str]
) -> None:
    (guard,) = route.guards
    _assert_problem(_call(client, route, {}), 401, "unauthenticated", f"{route.id} no token")
    bogus = auth("vx_" + "0" * 40)
    _assert_problem(_call(client, route, bogus), 401, "unauthenticated", f"{route.id} bogus")
    for scope in Scope:
        if guard != HOLDER and scope in guard:
            continue
        response = _call(client, route, auth(make_token(scope, name=f"only {scope}")))
        if guard == HOLDER:
            # An API client token is never a holder token, whatever its scope.
            _assert_problem(response, 401, "unauthenticated", f"{route.id} as {scope}")
        else:
            _assert_problem(response, 403, "forbidden", f"{route.id} as {scope}")
    if guard != HOLDER:
        admitted = auth(make_token(*sorted(guard), name="admitted"))
        response = _call(client, route, admitted)
        assert response.status_code not in (401, 403), f"{route.id} admitted: {response.text}"
        assert response.status_code < 500, f"{route.id} admitted: {response.text}"


@pytest.fixture
def keyed_client(
    client: TestClient,
    keys: KeyStore,  # noqa: F811 - the imported fixture, requested
    settings: Settings,
    clock: MutableClock,
) -> TestClient:
    """The client of an app with issuer and trust-list keys (the trust list needs them)."""
    trust_keys.generate_keys(settings, clock())
    return client


@pytest.mark.parametrize("route", OPEN, ids=lambda route: route.id)
def test_public_route_answers_without_a_token(route: RouteAccess, keyed_client: TestClient) -> None:
    client = keyed_client
    response = _call(client, route, {})
    assert response.status_code not in (401, 403), f"{route.id}: {response.text}"
    assert response.status_code < 500, f"{route.id}: {response.text}"
