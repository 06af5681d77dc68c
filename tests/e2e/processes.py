"""`vaxx serve` as a subprocess: the one way the e2e tests start, wait for and stop a server.

Each server gets a free port, a clean environment (no ``VAXX_*`` from the shell that runs
the tests, so only the test's own settings apply), a data dir and a log file in the test's
temporary directory (where the end-of-suite secrets scan reads every ``*.log``). Fault tests
also need the process itself: killed mid-request with no chance to clean up, then restarted
on the same database and data directory (keys included) as an operator's supervisor would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx
import pytest

START_SECONDS = 60
STOP_SECONDS = 20
CLEARED = ("PROMETHEUS_MULTIPROC_DIR",)
"""Not ``VAXX_*`` but read by the server all the same: `vaxx serve` picks its own metric
directory unless one is given, and a test that wants one says so."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """``vaxx serve`` on a fixed port with ``VAXX_*`` from ``settings`` only.

    ``settings`` may hold any further environment (``TMPDIR``, say) and override the data
    dir; ``args`` go after ``serve --port N`` (``--workers 2``); ``name`` names the log file
    so that several servers can share a working directory. As a context manager it starts
    the server and always stops it.
    """

    def __init__(
        self,
        workdir: Path,
        settings: Mapping[str, str] | None = None,
        *,
        args: Sequence[str] = (),
        name: str = "server",
        start_seconds: float = START_SECONDS,
        stop_seconds: float = STOP_SECONDS,
    ) -> None:
        self.workdir = workdir
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{name}.log"
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("VAXX_") and key not in CLEARED
        }
        self.env = inherited | {"VAXX_DATA_DIR": str(workdir / "vaxx-data"), **(settings or {})}
        self.args = tuple(args)
        self.start_seconds = start_seconds
        self.stop_seconds = stop_seconds
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start and return once /healthz answers (the log keeps every run's output); a
        server that never answers is stopped before the test fails, not left running."""
        with self.log_path.open("a") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "vaxx", "serve", "--port", str(self.port), *self.args],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self.wait_until(
                self._healthy, what="the server to answer /healthz", seconds=self.start_seconds
            )
        except BaseException:
            self.stop()
            raise

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def wait_until(
        self,
        condition: Callable[[], bool],
        *,
        what: str,
        seconds: float = START_SECONDS,
        every: float = 0.01,
    ) -> None:
        """``wait_for`` that also fails at once, with the log, if the server exits meanwhile."""

        def alive_and_done() -> bool:
            assert self._process is not None
            if self._process.poll() is not None:
                pytest.fail(f"server exited with {self._process.returncode}:\n{self.log()}")
            return condition()

        wait_for(alive_and_done, what=what, seconds=seconds, every=every, log=self.log)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, open transactions die with their connections."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=STOP_SECONDS)

    def stop(self) -> None:
        """SIGTERM (uvicorn's graceful stop, the lifespan's shutdown runs); SIGKILL if the
        server has not exited after ``stop_seconds``."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=self.stop_seconds)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_for(
    condition: Callable[[], bool],
    *,
    what: str,
    seconds: float = 30,
    every: float = 0.01,
    log: Callable[[], str] | None = None,
) -> None:
    """Poll ``condition`` until it holds; fail the test after ``seconds`` (with ``log()``)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            shown = f":\n{log()}" if log is not None else ""
            pytest.fail(f"timed out after {seconds} s waiting for {what}{shown}")
        time.sleep(every)
