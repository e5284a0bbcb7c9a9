"""JSON log lines that carry the request id, so one request can be followed across processes.

Why: with several web processes and workers, plain-text lines from different requests interleave; a
request id (taken from X-Request-ID when a proxy set one, made here otherwise) ties them together.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

JSON_LOGS_ENV = "ACCORD_JSON_LOGS"
"""Set by `accord serve`: each web process it starts (one, or N under --workers) logs JSON to stderr."""

request_id: ContextVar[str] = ContextVar("accord_request_id", default="")

_SAFE_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")


def clean_request_id(given: str | None) -> str:
    """The caller's id when it is short and plain (it is echoed and logged), a new one otherwise."""
    if given and len(given) <= 128 and set(given) <= _SAFE_ID_CHARS:
        return given
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and any `extra` fields."""

    _STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        """Render the record; exceptions go in `error` as text so the line stays one line."""
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", "") or request_id.get()
        if rid:
            line["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in self._STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """Send every log line to stderr as JSON (idempotent: a second call replaces the handler)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_accord_json", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._accord_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)


def configure_from_environment() -> None:
    """JSON logging in a web process that `accord serve` started (tests and embedders keep their own)."""
    if os.environ.get(JSON_LOGS_ENV) == "1":
        configure_logging()
