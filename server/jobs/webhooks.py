"""Job webhooks: the final job record POSTed to the caller's URL, signed, retried with backoff.

The signature lets a receiver trust the body without trusting the network: with
``ADFORGE_WEBHOOK_SECRET`` set, every delivery carries

    X-AdForge-Timestamp: <unix seconds>
    X-AdForge-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>

Signing the timestamp with the body (as Stripe and Slack do) lets a receiver refuse replays of an
old delivery; ``verify_signature`` is the receiver's side, used by the tests and usable as-is.
Retries follow the one outbound retry policy of :mod:`tools.http_retry` (the same statuses,
backoff and ``Retry-After`` handling as the provider clients): transport errors, 408, 425, 429
and 5xx are retried; any other 4xx is final (the receiver refused the payload and will refuse it
again).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from server.jobs.store import JobRecord, JobStore
from tools.http_retry import RetryPolicy
from tools.urls import is_safe_to_call

__all__ = ["WebhookDispatcher", "WebhookPolicy", "deliver", "sign", "verify_signature"]

log = logging.getLogger(__name__)


def _patient() -> RetryPolicy:
    # A receiver may be down for a deploy: six tries over about a minute and a half.
    return RetryPolicy(attempts=6, base_delay_s=1.0, max_delay_s=60.0)


@dataclass(frozen=True, slots=True)
class WebhookPolicy:
    """How hard to try (the shared retry policy, patient by default) and the per-try timeout."""

    retry: RetryPolicy = field(default_factory=_patient)
    timeout_s: float = 10.0


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The ``X-AdForge-Signature`` value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify_signature(
    body: bytes, headers: Mapping[str, str], secret: str, *, tolerance_s: int = 300
) -> bool:
    """True when ``headers`` carry a valid, recent signature of ``body`` (the receiver's check)."""
    try:
        timestamp = int(headers.get("x-adforge-timestamp", ""))
    except ValueError:
        return False
    if abs(time.time() - timestamp) > tolerance_s:
        return False
    expected = sign(body, secret, timestamp)
    return hmac.compare_digest(expected, headers.get("x-adforge-signature", ""))


async def deliver(
    client: httpx.AsyncClient,
    url: str,
    record: dict[str, Any],
    *,
    secret: str | None,
    policy: WebhookPolicy,
    event_id: str,
) -> tuple[bool, int]:
    """POST ``record`` to ``url`` until it is accepted or the attempts run out.

    Returns (delivered, attempts made). ``event_id`` goes in ``X-AdForge-Delivery`` so a
    receiver can drop a delivery it has already processed (a retry after a lost 200).
    """
    if not await is_safe_to_call(url):  # SSRF guard again: DNS may have changed since
        return False, 0
    body = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    attempts = 0

    async def attempt() -> httpx.Response:
        nonlocal attempts
        attempts += 1
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "AdForge-Webhooks/1",
            "X-AdForge-Delivery": event_id,
        }
        if secret:  # signed per try: the timestamp is when this very try was sent
            timestamp = int(time.time())
            headers["X-AdForge-Timestamp"] = str(timestamp)
            headers["X-AdForge-Signature"] = sign(body, secret, timestamp)
        return await client.post(url, content=body, headers=headers, timeout=policy.timeout_s)

    try:
        response = await policy.retry.call(attempt)
    except httpx.HTTPError as error:
        log.warning("webhook %s failed after %d attempt(s): %s", url, attempts, error)
        return False, attempts
    if response.status_code < 300:
        return True, attempts
    log.warning("webhook %s: HTTP %d after %d attempt(s)", url, response.status_code, attempts)
    return False, attempts


class WebhookDispatcher:
    """Delivers every finished job's pending webhook, one task per delivery.

    The state lives in the job rows (``webhook_state``), so a restart picks up deliveries that
    were pending; a task per delivery means one slow receiver delays no other.
    """

    def __init__(
        self, jobs: JobStore, *, secret: str | None, policy: WebhookPolicy | None = None
    ) -> None:
        self.jobs = jobs
        self.secret = secret
        self.policy = policy or WebhookPolicy()
        self._wake = asyncio.Event()
        self._delivering: set[str] = set()
        self._http = httpx.AsyncClient(follow_redirects=False)

    def wake(self) -> None:
        """Look for pending deliveries now."""
        self._wake.set()

    async def aclose(self) -> None:
        """Release the HTTP client (after ``run`` was cancelled)."""
        await self._http.aclose()

    async def run(self) -> None:
        """Until cancelled: start a delivery for every pending webhook, then wait to be woken."""
        deliveries: set[asyncio.Task[None]] = set()
        try:
            while True:
                self._wake.clear()
                for record in await self.jobs.pending_webhooks():
                    if record.job_id not in self._delivering:
                        self._delivering.add(record.job_id)
                        task = asyncio.create_task(self._deliver(record))
                        deliveries.add(task)
                        task.add_done_callback(deliveries.discard)
                await self._wake.wait()
        finally:
            for task in deliveries:
                task.cancel()
            await asyncio.gather(*deliveries, return_exceptions=True)

    async def _deliver(self, record: JobRecord) -> None:
        assert record.callback_url is not None
        try:
            delivered, attempts = await deliver(
                self._http,
                record.callback_url,
                record.to_public(),
                secret=self.secret,
                policy=self.policy,
                event_id=f"{record.job_id}:{record.status}:{record.attempts}",
            )
            await self.jobs.set_webhook(
                record.job_id, "delivered" if delivered else "failed", attempts
            )
        finally:
            self._delivering.discard(record.job_id)
