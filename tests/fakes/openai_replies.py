"""What the fake OpenAI server answers: reply values, error factories and responders.

A *responder* is a plain callable that receives the decoded JSON request body and
returns one reply value. Keeping this separate from the HTTP layer means tests
describe behaviour ("first two calls are rate limited, then answer with this tool
call") without knowing anything about SSE framing or uvicorn.

Chat responders return a `FakeReply` (`FakeText`, `FakeToolCalls` or `FakeError`);
image responders return a `FakeImageReply` or a `FakeError`.
"""

from __future__ import annotations

import json
import secrets
import string
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = [
    "ChatResponder",
    "FailThen",
    "FakeError",
    "FakeImageReply",
    "FakeReply",
    "FakeText",
    "FakeToolCall",
    "FakeToolCalls",
    "FakeUsage",
    "ImagesResponder",
    "Scripted",
    "auth_error",
    "default_images",
    "echo",
    "fail_then",
    "invalid_request",
    "moderation_blocked",
    "new_id",
    "rate_limit_error",
    "schema_responder",
    "scripted",
    "server_error",
]

_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str, length: int = 24) -> str:
    """Return an id shaped like OpenAI's (`call_…`, `chatcmpl-…`, `req_…`)."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class FakeUsage:
    """Token counts to report instead of the fake's length-based estimate."""

    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class FakeText:
    """An assistant text answer; streamed as one chunk per word-ish token."""

    content: str
    finish_reason: str = "stop"
    usage: FakeUsage | None = None
    delay: float = 0.0
    """Seconds to wait before answering (to exercise client timeouts)."""


@dataclass(frozen=True)
class FakeToolCall:
    """One function call. `arguments` may be a mapping (JSON-encoded for you) or raw JSON text."""

    name: str
    arguments: Mapping[str, Any] | str = field(default_factory=dict)
    id: str = field(default_factory=lambda: new_id("call_"))

    @property
    def arguments_json(self) -> str:
        """The arguments exactly as they go on the wire (a JSON string)."""
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(dict(self.arguments))


@dataclass(frozen=True)
class FakeToolCalls:
    """An assistant turn that calls one or more tools (finish_reason `tool_calls`)."""

    calls: tuple[FakeToolCall, ...]
    content: str | None = None
    usage: FakeUsage | None = None
    delay: float = 0.0

    @classmethod
    def single(cls, name: str, arguments: Mapping[str, Any] | str) -> FakeToolCalls:
        """Shorthand for the common one-call turn."""
        return cls((FakeToolCall(name, arguments),))


@dataclass(frozen=True)
class FakeError:
    """An HTTP error in OpenAI's shape `{"error": {"message", "type", "param", "code"}}`."""

    status: int
    message: str
    type: str
    code: str | None = None
    param: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The JSON body OpenAI sends with this error."""
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }


@dataclass(frozen=True)
class FakeImageReply:
    """A successful image generation; `color` fills the picture (default: derived from prompt)."""

    color: tuple[int, int, int] | None = None
    revised_prompt: str | None = None


FakeReply = FakeText | FakeToolCalls | FakeError
ChatResponder = Callable[[dict[str, Any]], FakeReply]
ImagesResponder = Callable[[dict[str, Any]], FakeImageReply | FakeError]
R = TypeVar("R")

# Telling the SDK not to retry makes a fake-side failure surface at once with its own message.
_NO_RETRY = {"x-should-retry": "false"}


def rate_limit_error(model: str = "gpt-4.1", *, retry_after_ms: int = 10) -> FakeError:
    """HTTP 429 as OpenAI sends it; `retry-after-ms` keeps the SDK's back-off short in tests."""
    return FakeError(
        status=429,
        message=(
            f"Rate limit reached for {model} in organization org-fake on requests per min "
            "(RPM): Limit 3, Used 3, Requested 1. Please try again in 20ms. "
            "Visit https://platform.openai.com/account/rate-limits to learn more."
        ),
        type="requests",
        code="rate_limit_exceeded",
        headers={"retry-after": "0", "retry-after-ms": str(retry_after_ms)},
    )


def server_error(
    message: str | None = None, *, retry: bool = True, retry_after_ms: int | None = None
) -> FakeError:
    """HTTP 500 `server_error`; `retry=False` adds `x-should-retry: false`.

    Real 500s carry no retry hint; `retry_after_ms` adds one only to keep tests fast.
    """
    headers = dict(_NO_RETRY) if not retry else {}
    if retry_after_ms is not None:
        headers["retry-after-ms"] = str(retry_after_ms)
    return FakeError(
        status=500,
        message=message
        or "The server had an error while processing your request. Sorry about that!",
        type="server_error",
        headers=headers,
    )


def auth_error(message: str, *, code: str | None = None) -> FakeError:
    """HTTP 401 as OpenAI sends it for a missing or wrong key."""
    return FakeError(status=401, message=message, type="invalid_request_error", code=code)


def invalid_request(
    message: str, *, param: str | None = None, code: str | None = None
) -> FakeError:
    """HTTP 400 `invalid_request_error` (bad parameter values, unknown parameters)."""
    return FakeError(
        status=400, message=message, type="invalid_request_error", param=param, code=code
    )


def moderation_blocked() -> FakeError:
    """The Images API safety rejection; the SDK raises `openai.BadRequestError` for it."""
    return FakeError(
        status=400,
        message=(
            "Your request was rejected by the safety system. If you believe this is an error, "
            "contact us at help.openai.com and include the request ID req_fake."
        ),
        type="image_generation_user_error",
        code="moderation_blocked",
    )


class Scripted(Generic[R]):
    """FIFO of canned replies; when empty, answers a non-retryable 500 "fake script exhausted"."""

    def __init__(self, replies: Iterable[R]) -> None:
        self._queue: deque[R] = deque(replies)
        self._lock = threading.Lock()
        self.consumed = 0

    @property
    def remaining(self) -> int:
        """How many replies are still queued (assert 0 to prove every reply was used)."""
        with self._lock:
            return len(self._queue)

    def __call__(self, request: dict[str, Any]) -> R | FakeError:
        with self._lock:
            if self._queue:
                self.consumed += 1
                return self._queue.popleft()
        return server_error(
            f"fake script exhausted: all {self.consumed} scripted replies were consumed "
            f"before this request (model={request.get('model')!r})",
            retry=False,
        )


def scripted(replies: Iterable[R]) -> Scripted[R]:
    """Answer each request with the next reply from `replies`."""
    return Scripted(replies)


class FailThen(Generic[R]):
    """Answers `n` errors first, then delegates to `then` (to exercise client retries)."""

    def __init__(self, n: int, status: int, then: Callable[[dict[str, Any]], R]) -> None:
        if status not in (429, 500):
            raise ValueError("fail_then supports status 429 (rate limit) or 500 (server error)")
        self.failures_left = n
        self._status = status
        self._then = then
        self._lock = threading.Lock()

    def __call__(self, request: dict[str, Any]) -> R | FakeError:
        with self._lock:
            failing = self.failures_left > 0
            if failing:
                self.failures_left -= 1
        if not failing:
            return self._then(request)
        if self._status == 429:
            return rate_limit_error(str(request.get("model", "gpt-4.1")))
        return server_error(retry_after_ms=10)


def fail_then(n: int, status: int, then: Callable[[dict[str, Any]], R]) -> FailThen[R]:
    """Fail the first `n` requests with 429 (`retry-after: 0`) or 500, then use `then`.

    Both failures carry `retry-after-ms: 10`, which the SDK prefers over its 0.5-8 s backoff.
    """
    return FailThen(n, status, then)


def echo(prefix: str = "echo: ") -> ChatResponder:
    """Answer with the text of the last user message; the default chat responder."""

    def respond(request: dict[str, Any]) -> FakeReply:
        for message in reversed(request.get("messages") or []):
            if message.get("role") == "user":
                return FakeText(prefix + _text_of(message.get("content")))
        return FakeText(prefix.rstrip(": "))

    return respond


def default_images(request: dict[str, Any]) -> FakeImageReply | FakeError:
    """Generate a picture for every request; the default images responder."""
    return FakeImageReply()


def schema_responder(
    mapping: Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]],
    *,
    fallback: ChatResponder | None = None,
) -> ChatResponder:
    """Answer structured-output requests from `mapping[schema_name](request_body)`.

    `with_structured_output(method="json_schema")` sends `response_format.json_schema.name`
    and expects the JSON as message content; `method="function_calling"` sends `tools`
    plus a `tool_choice` naming the function and expects a call to it. Other requests go
    to `fallback` (default `echo()`).
    """
    other = fallback or echo()

    def respond(request: dict[str, Any]) -> FakeReply:
        name, as_tool = _structured_target(request)
        if name is None:
            return other(request)
        build = mapping.get(name)
        if build is None:
            return server_error(
                f"fake schema_responder has no mapping for {name!r} (known: {sorted(mapping)})",
                retry=False,
            )
        payload = build(request)
        if as_tool:
            return FakeToolCalls((FakeToolCall(name, payload),))
        return FakeText(json.dumps(payload))

    return respond


def _structured_target(request: dict[str, Any]) -> tuple[str | None, bool]:
    """Return (schema name, whether it is requested as a tool call) for a request."""
    response_format = request.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return (response_format.get("json_schema") or {}).get("name"), False
    tools = request.get("tools") or []
    choice = request.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") == "function":
        return (choice.get("function") or {}).get("name"), True
    if choice in ("required", "any") and len(tools) == 1:
        return tools[0].get("function", {}).get("name"), True
    return None, False


def _text_of(content: Any) -> str:
    """Flatten OpenAI message content (a string or a list of parts) into text."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""
