"""A webhook receiver for tests: records every delivery and answers a scripted status."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import FastAPI, Request, Response

from tests.fakes._serving import ThreadedServer

__all__ = ["Delivery", "WebhookReceiver"]


@dataclass(frozen=True)
class Delivery:
    """One POST the receiver got: lower-cased headers and the raw body."""

    headers: dict[str, str]
    body: bytes


class WebhookReceiver(ThreadedServer):
    """POST /hook records the delivery and answers the next scripted status (then 200)."""

    def __init__(self, statuses: Iterable[int] = ()) -> None:
        self.deliveries: list[Delivery] = []
        self._statuses = deque(statuses)
        self._lock = threading.Lock()
        self.arrived = threading.Event()
        app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

        @app.post("/hook")
        async def hook(request: Request) -> Response:
            body = await request.body()
            with self._lock:
                self.deliveries.append(Delivery(dict(request.headers), body))
                status = self._statuses.popleft() if self._statuses else 200
            if status < 300:
                self.arrived.set()
            return Response(status_code=status)

        super().__init__(app, name="webhook-receiver")

    @property
    def url(self) -> str:
        """Where to send deliveries."""
        return f"{self.base_url}/hook"
