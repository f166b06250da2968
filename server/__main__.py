"""``adforge`` / ``python -m server``: the server's command line.

``adforge`` alone (what ``make run`` starts) serves, like ``adforge serve``; ``adforge export
SESSION`` prints one session's event log as JSON; ``adforge --help`` lists the commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import uvicorn

from server.settings import get_settings

__all__ = ["main"]


def _serve(args: argparse.Namespace) -> int:
    """Start serving until Ctrl-C; uvicorn drains requests and the lifespan closes SQLite."""
    from server.app import create_app
    from server.logs import configure_logging

    settings = get_settings()
    if args.host:
        settings = settings.model_copy(update={"host": args.host})
    if args.port:
        settings = settings.model_copy(update={"port": args.port})
    configure_logging(settings.log_level, settings.log_format)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=None,  # our handler (server.logs) formats uvicorn's lines too
        timeout_graceful_shutdown=5,
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="adforge",
        description="AdForge: an open agent server that creates ads in conversation. "
        "Without a command it serves (as `adforge serve`). Settings come from the environment "
        "and .env (README, Configuration).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve", help="run the HTTP server (default)", description="Run the HTTP server."
    )
    serve.add_argument("--host", help="interface to bind (default: ADFORGE_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT or 8003)")
    serve.set_defaults(handler=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the chosen command."""
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["serve"])
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
