"""Shared metric files for ``vaxx serve --workers N``.

prometheus_client decides at import time, from ``PROMETHEUS_MULTIPROC_DIR``, whether
values live in memory or in per-process files; uvicorn spawns fresh worker interpreters
that inherit the environment, so setting it before the workers start is enough. Each
server gets a new empty directory (stale files from an earlier run would be summed into
this one's counts) and removes it when it stops.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def shared_across_workers(workers: int) -> Iterator[None]:
    """Within this block, worker processes started with ``workers > 1`` share their counts."""
    if workers <= 1:
        yield
        return
    directory = tempfile.mkdtemp(prefix="vaxx-metrics-")
    previous = os.environ.get(ENV)
    os.environ[ENV] = directory
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = previous
        shutil.rmtree(directory, ignore_errors=True)
