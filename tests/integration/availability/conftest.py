"""Availability tests run against the demo data set with a public https base URL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from booking import demo
from tests.conftest import MutableClock
from vaxx import db
from vaxx.settings import Settings

BASE = "https://vaxx.example.tw"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        public_base_url=BASE,
        _env_file=None,
    )


@pytest.fixture
def demo_data(session_factory: sessionmaker[Session], clock: MutableClock) -> demo.Summary:
    with db.transaction(session_factory) as session:
        return demo.load(session, clock())


def path_of(url: str) -> str:
    """The request path of one of our public URLs, for the test client."""
    assert url.startswith(BASE + "/"), url
    return url.removeprefix(BASE)


def ndjson_lines(client: TestClient, url: str) -> list[dict[str, Any]]:
    response = client.get(path_of(url))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+ndjson")
    lines = response.text.splitlines()
    parsed = [json.loads(line) for line in lines]
    for line, item in zip(lines, parsed, strict=True):
        assert line == json.dumps(item, separators=(",", ":"), ensure_ascii=False), "not minified"
    return parsed
