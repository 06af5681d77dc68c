"""Start the real server (`vaxx serve` in a subprocess) on a free port and a temporary data dir;
``shared_postgres``: a fresh, migrated PostgreSQL database for servers that share one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import secrets_scan
from tests.conftest import POSTGRES_URL


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    env: dict[str, str]
    log_path: Path

    def vaxx(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the `vaxx` CLI against the same data dir as the server; the tokens it prints
        join the secrets the end-of-suite log scan looks for."""
        result = subprocess.run(
            [sys.executable, "-m", "vaxx", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        secrets_scan.register_printed_tokens(result.stdout)
        return result

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("VAXX_")} | {
        "VAXX_DATA_DIR": str(tmp_path / "vaxx-data")
    }
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "vaxx", "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not start in 60 s:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield RunningServer(base_url=base_url, env=env, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def shared_postgres(postgres_template: str) -> Iterator[str]:
    """A fresh migrated PostgreSQL database (a copy of the session's template), dropped
    afterwards; skips when no server answers."""
    name = f"vaxx_e2e_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
