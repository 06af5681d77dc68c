"""Atomic, owner-only file writes: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to a temporary sibling, fsync it, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    _fsync_directory(path.parent)


def read_bounded(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None when it is absent; ValueError when it exceeds ``max_bytes``."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise ValueError(f"{path} exceeds {max_bytes} bytes")
            data = handle.read(size + 1)  # not read(max_bytes): that allocates max_bytes at once
    except FileNotFoundError:
        return None
    if len(data) > max_bytes:
        raise ValueError(f"{path} exceeds {max_bytes} bytes")
    return data


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
