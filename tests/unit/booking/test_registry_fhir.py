"""The FHIR registry adapter against a local fake registry: conditional create, the
registry's reason on rejection, and a retry (not a rejection) when it is down."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from booking.registry import FhirRegistry, UploadState
from vaxx.errors import ConfigurationError


class _FakeRegistry(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []  # noqa: RUF012 - shared with the test on purpose

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append({"if_none_exist": self.headers["If-None-Exist"], "lot": body["lotNumber"]})
        if body["lotNumber"] == "GOOD":
            self.send_response(201)
            self.send_header("Location", "Immunization/42")
            self.end_headers()
            return
        outcome = {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "diagnostics": "unknown lot"}],
        }
        payload = json.dumps(outcome).encode()
        self.send_response(422 if body["lotNumber"] == "BAD" else 503)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def registry_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _FakeRegistry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/fhir"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("lot", "state", "reason"),
    [
        pytest.param("GOOD", UploadState.ACCEPTED, None, id="accepted"),
        pytest.param("BAD", UploadState.REJECTED, "unknown lot", id="rejected-with-reason"),
        pytest.param("DOWN", UploadState.PENDING, "registry error 503", id="retry-later"),
    ],
)
def test_fhir_registry_verdicts(
    registry_url: str, lot: str, state: UploadState, reason: str | None
) -> None:
    verdict = FhirRegistry(registry_url).submit(
        "7", {"resourceType": "Immunization", "lotNumber": lot}
    )
    assert (verdict.state, verdict.reason) == (state, reason)
    assert _FakeRegistry.seen[-1]["if_none_exist"] == "identifier=urn:vaxx:administration|7"


def test_unreachable_registry_is_retried() -> None:
    verdict = FhirRegistry("http://127.0.0.1:9/fhir", timeout=2).submit("1", {"lotNumber": "X"})
    assert verdict.state is UploadState.PENDING


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://registry.example/fhir", "fhir"])
def test_a_registry_url_that_is_not_http_is_refused(url: str) -> None:
    """urlopen would read local files through file: URLs (bandit B310)."""
    with pytest.raises(ConfigurationError, match="must be http"):
        FhirRegistry(url)
