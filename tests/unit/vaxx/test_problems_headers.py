"""Headers that problem responses owe the client."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from vaxx import problems
from vaxx.errors import VaxxError


class Throttled(VaxxError):
    code = "rate_limited"
    status = 429
    title = "Too many requests"


def test_rate_limited_problem_sends_retry_after() -> None:
    app = FastAPI()
    problems.install(app)

    @app.get("/limited")
    def limited() -> None:
        raise Throttled("slow down", retry_after=42)

    response = TestClient(app).get("/limited")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "42"
    assert response.json()["retry_after"] == 42
