"""Logging set-up: one line per event, as JSON or text, with the request/user/session/run/job ids.

``ADFORGE_LOG_FORMAT=json`` writes one JSON object per line (for a log collector); ``text`` writes
the classic ``time level logger: message`` line followed by the ids; ``auto`` (the default) picks
text when stderr is a terminal and JSON otherwise (a container, a process manager, a file).
uvicorn's own loggers (its access log included) go through the same handler.

Tokens are never written: API keys reach the server as ``Authorization: Bearer`` headers, which
nothing logs, or as ``?access_token=`` in a URL, which uvicorn's access log would print; every
line is scrubbed of both forms before it is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Literal

from server.core.logcontext import current

__all__ = ["JsonFormatter", "TextFormatter", "configure_logging", "redact"]

_SECRETS = re.compile(r"(?i)(access_token=|bearer\s+)[^\s&\"']+")


def redact(text: str) -> str:
    """``text`` with query-string tokens and bearer credentials replaced by ``***``."""
    return _SECRETS.sub(r"\1***", text)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the bound ids, a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise ``record`` with the ids of the context it was logged in."""
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **current(),
        }
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return redact(json.dumps(line, ensure_ascii=False, default=str))


class TextFormatter(logging.Formatter):
    """``time level logger: message [ids]``, for a person reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The classic line, then the bound ids as ``key=value`` pairs."""
        text = super().format(record)
        if ids := current():
            pairs = " ".join(f"{key}={value}" for key, value in ids.items())
            first, newline, rest = text.partition("\n")
            text = f"{first} [{pairs}]{newline}{rest}"
        return redact(text)


def configure_logging(
    level: str, log_format: Literal["auto", "json", "text"] = "auto"
) -> Literal["json", "text"]:
    """Route every logger (uvicorn's too) to one stderr handler; returns the format chosen."""
    chosen: Literal["json", "text"]
    if log_format == "auto":
        chosen = "text" if sys.stderr.isatty() else "json"
    else:
        chosen = log_format
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    return chosen
