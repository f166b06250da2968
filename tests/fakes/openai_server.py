"""A local fake of the OpenAI HTTP API, served by a real uvicorn server, for tests.

Why a real server rather than mocking the client: the code under test talks to OpenAI
through `langchain_openai.ChatOpenAI` and `openai.AsyncOpenAI`, whose retries, SSE parsing,
tool-call chunk merging and structured-output parsing are exactly what breaks in
production. Serving the real wire format on 127.0.0.1 exercises all of that unchanged.

Usage::

    with running_fake_openai(FakeScript(chat=scripted([FakeText("Hi")]))) as fake:
        llm = ChatOpenAI(model="gpt-4.1", base_url=fake.base_url, api_key="sk-local")
        ...
        assert fake.requests[0].body["stream"] is False

Endpoints: `POST /v1/chat/completions` (streaming and not), `POST /v1/images/generations`,
`GET /v1/models`, `GET /v1/models/{id}`; anything else answers OpenAI's 404. Every request,
including rejected ones, is recorded in `FakeOpenAI.requests`.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from ._images import images_body, validate_image_request
from ._serving import ServedFake
from ._wire import CompletionMeta, completion_body, completion_chunks, sse
from .openai_replies import (
    ChatResponder,
    FakeError,
    FakeImageReply,
    FakeText,
    FakeToolCalls,
    ImagesResponder,
    auth_error,
    default_images,
    echo,
    invalid_request,
    new_id,
    server_error,
)

__all__ = ["FakeOpenAI", "FakeScript", "RecordedRequest", "create_app", "running_fake_openai"]

DEFAULT_MODELS = ("gpt-4.1", "gpt-4.1-mini", "gpt-image-2", "gpt-image-1.5")
_MISSING_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization "
    "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
)


@dataclass
class FakeScript:
    """How the fake behaves; replace fields (or the whole script) between tests.

    `api_key=None` accepts any non-empty bearer token; a string requires that exact key.
    """

    chat: ChatResponder = field(default_factory=echo)
    images: ImagesResponder = default_images
    models: tuple[str, ...] = DEFAULT_MODELS
    api_key: str | None = None
    images_delay: float = 0.0
    """Seconds the images endpoint waits before answering (to exercise client timeouts)."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake received it; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    """Decoded JSON body, None when empty, the raw text when it was not JSON."""
    client: str | None = None
    """``host:port`` the request came from: the same port again means a reused connection."""


class FakeOpenAI(ServedFake):
    """The fake server: `start()`/`stop()` or use as a context manager (pytest-fixture friendly).

    State is shared with the server thread, so `requests` returns a snapshot copy.
    """

    server_name = "fake-openai"

    def __init__(self, script: FakeScript | None = None, *, host: str = "127.0.0.1") -> None:
        self.script = script or FakeScript()
        self.host = host
        self.port: int | None = None
        self.errors: list[BaseException] = []
        """Exceptions raised by responders (each also answered with a non-retryable 500)."""
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """What to pass as `base_url` to ChatOpenAI / AsyncOpenAI, e.g. http://127.0.0.1:PORT/v1."""
        return f"{self.url}/v1"

    @property
    def url(self) -> str:
        """The server root, e.g. http://127.0.0.1:PORT."""
        if self.port is None:
            raise RuntimeError("FakeOpenAI is not running; call start() or use it as a context")
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since start/reset, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def bodies(self, path: str = "/v1/chat/completions") -> list[Any]:
        """JSON bodies of the requests to `path`, oldest first."""
        return [r.body for r in self.requests if r.path == path]

    def reset(self, script: FakeScript | None = None) -> None:
        """Forget recorded requests and errors; optionally install a new script."""
        with self._lock:
            self._requests.clear()
            self.errors.clear()
        if script is not None:
            self.script = script

    def record(self, request: RecordedRequest) -> None:
        """Append a received request (called from the server thread)."""
        with self._lock:
            self._requests.append(request)

    def asgi_app(self) -> FastAPI:
        """The fake's HTTP API (served by ``ServedFake.start``)."""
        return create_app(self)


@contextmanager
def running_fake_openai(script: FakeScript | None = None) -> Iterator[FakeOpenAI]:
    """Run a fake for the duration of a `with` block."""
    with FakeOpenAI(script) as fake:
        yield fake


def create_app(fake: FakeOpenAI) -> FastAPI:
    """The ASGI app; reads `fake.script` on every request so scripts can change mid-test."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    async def crashed(request: Request, exc: Exception) -> Response:
        # A bug in the fake itself: answer in OpenAI's shape and tell the SDK not to retry.
        fake.errors.append(exc)
        return _error(server_error(f"fake OpenAI server crashed: {exc!r}", retry=False))

    app.add_exception_handler(Exception, crashed)

    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request) -> Response:
        body, rejection = await _receive(fake, request)
        if rejection is not None:
            return rejection
        if not body.get("model"):
            return _error(invalid_request("you must provide a model parameter", param="model"))
        if not isinstance(body.get("messages"), list) or not body["messages"]:
            return _error(
                invalid_request(
                    "Missing required parameter: 'messages'.",
                    param="messages",
                    code="missing_required_parameter",
                )
            )
        reply = _call(fake, fake.script.chat, body)
        if isinstance(reply, FakeError):
            return _error(reply)
        if not isinstance(reply, FakeText | FakeToolCalls):
            return _error(_wrong_reply(fake, reply, "FakeText or FakeToolCalls"))
        if reply.delay:
            await asyncio.sleep(reply.delay)
        meta = CompletionMeta.for_request(body)
        if not body.get("stream"):
            return _json(completion_body(body, reply, meta))

        async def events() -> AsyncIterator[bytes]:
            for chunk in completion_chunks(body, reply, meta):
                yield sse(chunk)
                await asyncio.sleep(0)  # let each chunk reach the socket on its own
            yield sse("[DONE]")

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers=_headers({"cache-control": "no-cache"}),
        )

    @app.post("/v1/images/generations")
    async def images_generations(request: Request) -> Response:
        body, rejection = await _receive(fake, request)
        if rejection is not None:
            return rejection
        problem = validate_image_request(body)
        if problem is not None:
            return _error(problem)
        reply = _call(fake, fake.script.images, body)
        if isinstance(reply, FakeError):
            return _error(reply)
        if not isinstance(reply, FakeImageReply):
            return _error(_wrong_reply(fake, reply, "FakeImageReply"))
        if fake.script.images_delay:
            await asyncio.sleep(fake.script.images_delay)
        return _json(images_body(body, reply))

    @app.get("/v1/models")
    async def list_models(request: Request) -> Response:
        _, rejection = await _receive(fake, request)
        if rejection is not None:
            return rejection
        return _json({"object": "list", "data": [_model(m) for m in fake.script.models]})

    @app.get("/v1/models/{model_id:path}")
    async def get_model(model_id: str, request: Request) -> Response:
        _, rejection = await _receive(fake, request)
        if rejection is not None:
            return rejection
        if model_id not in fake.script.models:
            return _error(
                FakeError(
                    404,
                    f"The model '{model_id}' does not exist or you do not have access to it.",
                    "invalid_request_error",
                    code="model_not_found",
                )
            )
        return _json(_model(model_id))

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def unknown(path: str, request: Request) -> Response:
        await _receive(fake, request)
        return _error(
            FakeError(404, f"Invalid URL ({request.method} /{path})", "invalid_request_error")
        )

    return app


async def _receive(fake: FakeOpenAI, request: Request) -> tuple[Any, Response | None]:
    """Record the request, then check auth and JSON; return (body, error response or None)."""
    raw = await request.body()
    try:
        body: Any = json.loads(raw) if raw else None
        bad_json = False
    except ValueError:
        body, bad_json = raw.decode("utf-8", "replace"), True
    peer = f"{request.client.host}:{request.client.port}" if request.client else None
    fake.record(
        RecordedRequest(request.method, request.url.path, dict(request.headers.items()), body, peer)
    )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return body, _error(auth_error(_MISSING_KEY))
    expected = fake.script.api_key
    if expected is not None and token != expected:
        return body, _error(
            auth_error(
                f"Incorrect API key provided: {token[:3]}***{token[-4:]}. You can find your "
                "API key at https://platform.openai.com/account/api-keys.",
                code="invalid_api_key",
            )
        )
    if request.method == "POST" and (bad_json or not isinstance(body, dict)):
        return body, _error(
            invalid_request(
                "We could not parse the JSON body of your request. (HINT: This likely means "
                "you aren't using your HTTP library correctly.)"
            )
        )
    return body, None


def _call(
    fake: FakeOpenAI, responder: Callable[[dict[str, Any]], object], body: dict[str, Any]
) -> object:
    """Run a responder; a crash becomes a non-retryable 500 (and lands in `fake.errors`).

    The exception is kept because the client only sees the 500 and its message.
    """
    try:
        return responder(body)
    except Exception as exc:
        fake.errors.append(exc)
        return server_error(f"fake responder raised {exc!r}", retry=False)


def _wrong_reply(fake: FakeOpenAI, reply: object, expected: str) -> FakeError:
    """A responder returned something the endpoint cannot send: fail loudly, don't retry."""
    error = TypeError(f"fake responder returned {reply!r}; expected FakeError or {expected}")
    fake.errors.append(error)
    return server_error(str(error), retry=False)


def _headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"x-request-id": new_id("req_", 32), "openai-version": "2020-10-01", **(extra or {})}


def _json(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, headers=_headers())


def _error(error: FakeError) -> JSONResponse:
    return JSONResponse(
        error.body(), status_code=error.status, headers=_headers(dict(error.headers))
    )


def _model(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 1744316542, "owned_by": "system"}
