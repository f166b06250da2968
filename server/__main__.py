"""``adforge`` / ``python -m server``: the server's command line.

``adforge`` alone (what ``make run`` starts) serves, like ``adforge serve``; ``adforge export
SESSION`` prints one session's event log as JSON; ``adforge --help`` lists the commands. There is
no ``migrate``: the stores create and upgrade their tables at start-up, and no migrations module
exists yet to drive from here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from server.settings import get_settings

__all__ = ["main"]


def _serve(args: argparse.Namespace) -> int:
    """Start serving until Ctrl-C; uvicorn drains requests and the lifespan closes SQLite."""
    from server.app import create_app
    from server.http.wire_errors import http_protocol
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
        http=http_protocol(),
        timeout_graceful_shutdown=5,
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    """Print (or write) one session's event log as JSON; exit 1 for an unknown session."""
    from server.core.export import export_session

    settings = get_settings()
    if not settings.database_path.exists():
        print(f"no database at {settings.database_path}", file=sys.stderr)  # noqa: T201
        return 1
    exported = asyncio.run(
        export_session(
            settings.database_path, args.session, busy_timeout_ms=settings.sqlite_busy_timeout_ms
        )
    )
    if exported is None:
        print(f"no session {args.session!r} in {settings.database_path}", file=sys.stderr)  # noqa: T201
        return 1
    text = json.dumps(exported, ensure_ascii=False, indent=2)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)  # noqa: T201
    return 0


def _migrate(args: argparse.Namespace) -> int:
    """Apply the schema steps the data directory's database lacks (the server does it at start)."""
    from server.core.migrations import LATEST_VERSION, migrate

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    applied = asyncio.run(
        migrate(settings.database_path, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    )
    done = ", ".join(str(v) for v in applied) if applied else "none (already current)"
    print(f"{settings.database_path}: schema version {LATEST_VERSION}; applied: {done}")  # noqa: T201
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
    export = commands.add_parser(
        "export",
        help="print one session's event log as JSON",
        description="Print one session's event log (every event, in order) as JSON. "
        "Reads ADFORGE_DATA_DIR's database; safe while the server runs.",
    )
    export.add_argument("session", metavar="SESSION", help="the session id (sess-...)")
    export.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    export.set_defaults(handler=_export)
    migrate = commands.add_parser(
        "migrate",
        help="bring the database schema up to date",
        description="Apply the numbered schema steps (server/core/migrations.py) the database "
        "in ADFORGE_DATA_DIR lacks; each step once, in one transaction.",
    )
    migrate.set_defaults(handler=_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the chosen command."""
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["serve"])
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
