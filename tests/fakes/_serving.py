"""Serving an ASGI app with a real uvicorn server in a daemon thread, on a free local port.

Fakes of outside services (OpenAI, HeyGen, a webhook receiver) must be real HTTP servers so the
clients under test go through their whole network stack; a thread keeps what they record in the
test's own process.
"""

from __future__ import annotations

import socket
import threading
import time
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

import uvicorn
from starlette.types import ASGIApp

__all__ = ["ServedFake", "ThreadedServer"]

_STARTUP_TIMEOUT = 10.0
_SHUTDOWN_TIMEOUT = 5.0


class _StartStop:
    """``with x:`` means ``x.start()`` … ``x.stop()``."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class ThreadedServer(_StartStop):
    """``app`` on ``http://127.0.0.1:<port>`` until ``stop()`` (or the end of a ``with``)."""

    def __init__(self, app: ASGIApp, *, name: str, host: str = "127.0.0.1") -> None:
        self.app = app
        self.name = name
        self.host = host
        self.port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server."""
        if self.port is None:
            raise RuntimeError(f"{self.name} is not running")
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        """Bind a free port, serve in a daemon thread, return once accepting."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name} is already running")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        config = uvicorn.Config(
            self.app,
            loop="asyncio",
            http="h11",
            ws="none",
            lifespan="off",
            log_config=None,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=self.name, daemon=True
        )
        self._socket, self._server, self._thread = sock, server, thread
        self.port = sock.getsockname()[1]
        thread.start()
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} failed to start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for the thread, release the socket (idempotent)."""
        server, thread, sock = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(_SHUTDOWN_TIMEOUT)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(_SHUTDOWN_TIMEOUT)
            if thread.is_alive():
                raise RuntimeError(f"{self.name} thread did not stop")
        if sock is not None:
            sock.close()
        self.port = None


class ServedFake(_StartStop, ABC):
    """Base of the provider fakes: ``start()``/``stop()`` or a ``with`` block around ``asgi_app``."""

    server_name = "fake"
    host = "127.0.0.1"
    port: int | None = None
    _serving: ThreadedServer | None = None

    @abstractmethod
    def asgi_app(self) -> ASGIApp:
        """The fake's HTTP API."""

    def start(self) -> Self:
        """Bind a free port, serve in a daemon thread, return once accepting."""
        if self._serving is not None:
            raise RuntimeError(f"{self.server_name} is already running")
        serving = ThreadedServer(self.asgi_app(), name=self.server_name, host=self.host)
        self._serving = serving.start()
        self.port = serving.port
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for the thread, release the socket (idempotent)."""
        serving, self._serving = self._serving, None
        if serving is not None:
            serving.stop()
        self.port = None
