"""A `vaxx serve` process the fault tests can SIGKILL and start again on the same port and data.

The ``server`` fixture (conftest) covers the common case; fault tests need the process
itself: killed mid-request with no chance to clean up, then restarted on the same database
and data directory (keys included) as an operator's supervisor would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import _free_port

START_SECONDS = 60


class ServerProcess:
    """``vaxx serve`` on a fixed port with ``VAXX_*`` from ``settings`` only."""

    def __init__(self, workdir: Path, settings: dict[str, str]) -> None:
        self.workdir = workdir
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "server.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("VAXX_")} | {
            "VAXX_DATA_DIR": str(workdir / "vaxx-data"),
            **settings,
        }
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start and return once /healthz answers (the log keeps every run's output)."""
        with self.log_path.open("a") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "vaxx", "serve", "--port", str(self.port)],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self._healthy, what="the server to answer /healthz", seconds=START_SECONDS)

    def _healthy(self) -> bool:
        assert self._process is not None
        if self._process.poll() is not None:
            pytest.fail(f"server exited with {self._process.returncode}:\n{self.log()}")
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, open transactions die with their connections."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=20)

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_for(condition: Callable[[], bool], *, what: str, seconds: float = 30) -> None:
    """Poll ``condition`` (every 10 ms) until it holds; fail the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.01)
