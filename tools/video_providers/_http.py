"""HTTP plumbing shared by provider clients: one call under the retry policy, streamed downloads.

The retry policy itself (statuses, backoff, ``Retry-After``) is :mod:`tools.http_retry`, shared
with the image provider and the job webhooks. Why not httpx's transport retries: those only
cover failed connects, and whether a call may be retried is the caller's explicit decision
(``retry=True``), made per endpoint, so a call that could start a second paid render is never
repeated blindly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Collection
from pathlib import Path
from typing import Any

import httpx

from tools.http_retry import RETRY_STATUSES, RetryPolicy

__all__ = ["RETRY_STATUSES", "DownloadTooLarge", "RetryPolicy", "download", "send"]


class DownloadTooLarge(Exception):
    """The body exceeded the byte limit given to :func:`download`."""


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    policy: RetryPolicy,
    retry: bool,
    extra_statuses: Collection[int] = (),
    **kwargs: Any,
) -> httpx.Response:
    """One request, retried under ``policy`` when ``retry`` is set.

    Returns the last response whatever its status (the caller maps errors); raises the last
    ``httpx.TransportError`` when every try failed to get an answer.
    """

    async def attempt() -> httpx.Response:
        return await client.request(method, url, **kwargs)

    return await policy.call(attempt, retry=retry, extra_statuses=extra_statuses)


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

    async def attempt() -> httpx.Response | int:
        async with client.stream("GET", url) as response:
            if response.status_code != 200:
                await response.aread()
                return response
            return await _write_body(response, tmp, max_bytes)

    try:
        result = await policy.call(attempt)
        if isinstance(result, int):
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
        return result
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
