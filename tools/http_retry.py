"""The one retry policy for outbound HTTP: provider APIs, file downloads and job webhooks.

Why one policy: every outbound call faces the same "not now" answers (connection failures, 408,
425, 429, 5xx) and must ride them out the same way, so the statuses, the backoff and the reading
of ``Retry-After`` live here once, on top of tenacity (a maintained retry library), instead of a
hand-written loop per caller. Whether a call may be retried at all stays the caller's decision
(``retry=False`` for a paid POST without an idempotency key): a retry must never start a second
paid job.

Backoff: ``base · 2^(attempt-1)`` capped at ``max_delay_s``, with "equal jitter" (half fixed,
half random) so replicas that failed together do not retry together. A ``Retry-After`` header
(seconds or an HTTP date) wins when it is longer, up to ``retry_after_cap_s``. Retry-After is read
from a returned ``httpx.Response`` and from any exception that carries one as ``.response``
(``openai.APIStatusError`` does), so the OpenAI SDK runs with its own retries off and obeys this
policy too.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from tenacity import AsyncRetrying, RetryCallState, stop_after_attempt

__all__ = ["RETRY_STATUSES", "RetryPolicy", "retry_after_s", "status_of"]

T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
"""Statuses that mean "not now" rather than "not this request"."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry one call."""

    attempts: int = 5
    """Total tries, the first included."""
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    retry_after_cap_s: float = 60.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if self.base_delay_s < 0 or self.max_delay_s < 0 or self.retry_after_cap_s < 0:
            raise ValueError("delays must not be negative")

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        backoff = min(self.max_delay_s, self.base_delay_s * 2.0 ** (attempt - 1))
        wait = backoff / 2 + random.uniform(0, backoff / 2)
        asked = retry_after_s(retry_after)
        if asked is not None:
            wait = max(wait, min(asked, self.retry_after_cap_s))
        return wait

    async def call(
        self,
        attempt: Callable[[], Awaitable[T]],
        *,
        retry: bool = True,
        transient: tuple[type[BaseException], ...] = (httpx.TransportError,),
        extra_statuses: Collection[int] = (),
    ) -> T:
        """Await ``attempt()`` until it gives an answer worth keeping, at most ``attempts`` times.

        Retried: exceptions of a ``transient`` type, and answers (returned, or raised with a
        ``.response``) whose status is in :data:`RETRY_STATUSES` or ``extra_statuses`` — unless
        the answer says ``x-should-retry: false`` (or ``true`` forces a retry). When the
        tries run out, the last answer is returned or the last exception raised, so the caller
        maps errors exactly as for a single try.
        """
        statuses = RETRY_STATUSES | frozenset(extra_statuses)

        def worth_retrying(state: RetryCallState) -> bool:
            outcome = state.outcome
            if outcome is None:
                return False
            answer = outcome.exception() if outcome.failed else outcome.result()
            response = _response_of(answer)
            if response is None:
                return isinstance(answer, transient)
            status, headers = response
            advice = str(headers.get("x-should-retry") or "").lower()
            if advice in ("true", "false"):
                return advice == "true"  # the server knows best (OpenAI sends this header)
            return status in statuses

        def wait(state: RetryCallState) -> float:
            outcome = state.outcome
            answer = None
            if outcome is not None:
                answer = outcome.exception() if outcome.failed else outcome.result()
            response = _response_of(answer)
            header = response[1].get("retry-after") if response is not None else None
            return self.delay(state.attempt_number, str(header) if header else None)

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts if retry else 1),
            retry=worth_retrying,
            wait=wait,
            reraise=True,
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        result: T = await retrying(attempt)
        return result


def retry_after_s(value: str | None) -> float | None:
    """A ``Retry-After`` header as seconds from now (delta-seconds or an HTTP date)."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def status_of(answer: object) -> int | None:
    """The HTTP status of a response, or of an exception carrying one as ``.response``."""
    response = _response_of(answer)
    return response[0] if response is not None else None


def _response_of(answer: object) -> tuple[int, Mapping[str, Any]] | None:
    """(status, headers) of an HTTP answer, or of an error carrying one as ``.response``.

    Duck-typed: httpx's responses and those of the HTTP library the OpenAI SDK ships with
    (``httpx2``) both have ``status_code`` and ``headers``.
    """
    for candidate in (answer, getattr(answer, "response", None)):
        status = getattr(candidate, "status_code", None)
        headers = getattr(candidate, "headers", None)
        if isinstance(status, int) and isinstance(headers, Mapping):
            return status, headers
    return None
