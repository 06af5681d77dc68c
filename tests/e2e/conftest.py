"""``server``: the real server (`vaxx serve` in a subprocess, see ``processes.ServerProcess``) on a
free port and a temporary data dir;
``shared_postgres``: a fresh, migrated PostgreSQL database for servers that share one."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import secrets_scan
from tests.conftest import POSTGRES_URL
from tests.e2e.processes import ServerProcess
from tests.e2e.processes import _free_port as _free_port  # where e2e tests have found it


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    env: dict[str, str]
    log_path: Path

    @classmethod
    def of(cls, process: ServerProcess) -> RunningServer:
        return cls(base_url=process.base_url, env=process.env, log_path=process.log_path)

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


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    with ServerProcess(tmp_path) as process:
        yield RunningServer.of(process)


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
