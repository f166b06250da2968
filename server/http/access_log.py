"""Keep credentials out of uvicorn's access log.

``EventSource`` and WebSocket clients pass their key as ``?access_token=``, and uvicorn's access
log line records the full path with its query; anyone who can read the logs could act as that
user. ``install`` adds a filter that masks the value to ``uvicorn.access`` and to
``uvicorn.error``, where uvicorn logs WebSocket handshakes with their query.
"""

from __future__ import annotations

import logging
import re

__all__ = ["RedactTokens", "install", "redact"]

_TOKEN = re.compile(r"((?:^|[?&])access_token=)[^&\s]*", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with every ``access_token=`` value replaced by ``[redacted]``."""
    return _TOKEN.sub(r"\1[redacted]", text)


class RedactTokens(logging.Filter):
    """Rewrites the arguments of an access-log record (uvicorn passes the path as one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask tokens in the record's arguments and message; never drops a record."""
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    """Add the filter to uvicorn's loggers, once per process."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
