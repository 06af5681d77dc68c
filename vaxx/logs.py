"""Structured logging with a request id, and a filter that keeps secrets out of logs.

Development gets one readable line per record; production gets one JSON object per
line. Whatever a message says, bearer tokens and PEM blocks are masked before it is
written (defence in depth: no code should log them in the first place).
"""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar

import orjson

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_SECRETS = re.compile(
    r"(vxh?_[A-Za-z0-9_\-]{8,})"
    r"|(Bearer\s+[A-Za-z0-9._~+/\-=]+)"
    r"|(-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----)",
    re.DOTALL,
)


def redact(text: str) -> str:
    return _SECRETS.sub("[redacted]", text)


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        record.request_id = request_id_var.get() or "-"
        return True


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return orjson.dumps(entry).decode()


def configure(*, json_format: bool, level: str = "INFO") -> None:
    """Route the ``vaxx`` loggers (and uvicorn's) through one redacting handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RedactingFilter())
    if json_format:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: %(message)s")
        )
    for name in ("vaxx", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True
