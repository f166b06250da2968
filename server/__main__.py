"""``python -m server`` / ``adforge``: run the server with uvicorn on the configured port."""

from __future__ import annotations

import logging

import uvicorn

from server.app import create_app
from server.http.wire_errors import http_protocol
from server.settings import get_settings

__all__ = ["main"]


def main() -> None:
    """Start serving until Ctrl-C; uvicorn drains requests and the lifespan closes SQLite."""
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        http=http_protocol(),
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()
