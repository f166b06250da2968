"""HTTP plumbing shared by provider clients: retries with backoff, and streamed downloads.

Why not httpx's transport retries: those only cover failed connects. Providers also answer 429
and 5xx under load, and a long render loop must ride those out without failing the user's job,
while never repeating a call that could start a second paid render. So whether a call may be
retried is the caller's explicit decision (``retry=True``), made per endpoint.

Backoff: ``base · 2^(attempt-1)`` capped at ``max_delay_s``, with "equal jitter" (half fixed, half
random) so replicas that failed together do not retry together; a ``Retry-After`` header in
seconds wins when it is longer, up to ``retry_after_cap_s``.
"""

from __future__ import annotations

import asyncio
import os
import random
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

__all__ = ["RETRY_STATUSES", "DownloadTooLarge", "RetryPolicy", "download", "send"]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
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
        if retry_after:
            try:
                wait = max(wait, min(float(retry_after), self.retry_after_cap_s))
            except ValueError:
                pass  # an HTTP-date: rare from APIs, and the backoff is a fine stand-in
        return wait


class DownloadTooLarge(Exception):
    """The body exceeded the byte limit given to :func:`download`."""


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    policy: RetryPolicy,
    retry: bool,
    retry_statuses: Collection[int] = RETRY_STATUSES,
    **kwargs: Any,
) -> httpx.Response:
    """One request, retried on transport errors and ``retry_statuses`` when ``retry`` is set.

    Returns the last response whatever its status (the caller maps errors); raises the last
    ``httpx.TransportError`` when every try failed to get an answer.
    """
    attempts = policy.attempts if retry else 1
    for attempt in range(1, attempts + 1):
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.TransportError:
            if attempt == attempts:
                raise
            await asyncio.sleep(policy.delay(attempt))
            continue
        if response.status_code in retry_statuses and attempt < attempts:
            await asyncio.sleep(policy.delay(attempt, response.headers.get("retry-after")))
            continue
        return response
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


async def download(
    client: httpx.AsyncClient, url: str, dest: Path, *, policy: RetryPolicy, max_bytes: int
) -> httpx.Response | int:
    """Stream ``url`` into ``dest`` atomically; return the byte count, or the failed response.

    GET is idempotent, so every failure is retried. The body goes to a hidden temporary file that
    is renamed only when complete, so ``dest`` is never half written. Raises
    :class:`DownloadTooLarge` past ``max_bytes`` and the last ``httpx.TransportError`` when no
    try got through.
    """
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        for attempt in range(1, policy.attempts + 1):
            last = attempt == policy.attempts
            try:
                async with client.stream("GET", url) as response:
                    if response.status_code != 200:
                        await response.aread()
                        if last or response.status_code not in RETRY_STATUSES:
                            return response
                        retry_after = response.headers.get("retry-after")
                        await asyncio.sleep(policy.delay(attempt, retry_after))
                        continue
                    size = await _write_body(response, tmp, max_bytes)
            except httpx.TransportError:
                if last:
                    raise
                await asyncio.sleep(policy.delay(attempt))
                continue
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
            return size
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover
    finally:
        tmp.unlink(missing_ok=True)


async def _write_body(response: httpx.Response, path: Path, max_bytes: int) -> int:
    size = 0
    with path.open("wb") as sink:
        async for chunk in response.aiter_bytes(1 << 16):
            size += len(chunk)
            if size > max_bytes:
                raise DownloadTooLarge(f"more than {max_bytes} bytes")
            sink.write(chunk)
    return size
