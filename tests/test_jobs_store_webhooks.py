"""The media_jobs table (real SQLite, two connections) and webhook delivery (real HTTP)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from server.jobs import JobStore, WebhookPolicy, deliver, open_job_store, sign, verify_signature
from tests.fakes.webhook_receiver import WebhookReceiver
from tools.http_retry import RetryPolicy

FAST = WebhookPolicy(RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05), timeout_s=5)


@pytest.fixture(autouse=True)
def local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The receivers listen on 127.0.0.1, which the SSRF guard refuses unless allowed."""
    monkeypatch.setenv("ADFORGE_ALLOW_PRIVATE_CALLBACKS", "1")


@pytest.fixture
async def jobs(tmp_path: Path) -> AsyncIterator[JobStore]:
    async with open_job_store(tmp_path / "jobs.sqlite") as store:
        yield store


async def _queued(jobs: JobStore, job_id: str, *, callback: str | None = None) -> None:
    await jobs.create(
        job_id,
        user_id="alice",
        session_id="sess-1",
        kind="video",
        estimated_seconds=30,
        callback_url=callback,
    )


async def test_a_job_id_names_one_row_however_often_it_is_created(jobs: JobStore) -> None:
    await _queued(jobs, "job-1")
    await _queued(jobs, "job-1", callback="http://example.test/hook")
    await _queued(jobs, "job-1", callback="http://other.test/hook")
    record = await jobs.get("job-1")
    assert record is not None and record.status == "queued" and record.attempts == 0
    assert record.callback_url == "http://example.test/hook"  # the first URL given is kept
    assert await jobs.known(["job-1", "job-2"]) == {"job-1"}


async def test_only_jobs_with_a_request_are_claimed_and_each_only_once(
    jobs: JobStore, tmp_path: Path
) -> None:
    await _queued(jobs, "job-a")
    assert await jobs.claim() is None  # nothing to render yet
    await jobs.attach_request("job-a", {"jobId": "job-a"})
    async with open_job_store(tmp_path / "jobs.sqlite") as other:
        claims = await asyncio.gather(*(s.claim() for s in (jobs, other, jobs, other)))
    claimed = [c for c in claims if c is not None]
    assert [c.job_id for c in claimed] == ["job-a"]
    assert claimed[0].status == "in_progress" and claimed[0].attempts == 1


async def test_progress_never_goes_back_and_completion_sets_100(jobs: JobStore) -> None:
    await _queued(jobs, "job-p", callback="http://example.test/hook")
    await jobs.attach_request("job-p", {"jobId": "job-p"})
    await jobs.claim()
    for percent in (10, 40, 30, 250):
        await jobs.set_progress("job-p", percent)
    record = await jobs.get("job-p")
    assert record is not None and record.progress == 100
    done = await jobs.finish("job-p", result={"url": "/media/x.mp4"})
    assert done.status == "completed" and done.webhook_state == "pending"
    assert done.to_public()["result"] == {"url": "/media/x.mp4"}
    assert [r.job_id for r in await jobs.pending_webhooks()] == ["job-p"]


async def test_a_restart_requeues_running_jobs_keeping_the_provider_job(jobs: JobStore) -> None:
    await _queued(jobs, "job-r")
    await jobs.attach_request("job-r", {"jobId": "job-r"})
    await jobs.claim()
    await jobs.set_provider("job-r", "heygen", "hg-123")
    assert await jobs.requeue_unfinished() == 1
    again = await jobs.claim()
    assert again is not None and again.attempts == 2 and again.provider_job_id == "hg-123"


async def test_a_failed_job_asked_for_again_is_queued_for_another_attempt(jobs: JobStore) -> None:
    await _queued(jobs, "job-f")
    await jobs.attach_request("job-f", {"jobId": "job-f"})
    await jobs.claim()
    failed = await jobs.finish("job-f", error={"code": "render_failed", "message": "x"})
    assert failed.status == "failed" and failed.webhook_state == "none"
    retried = await jobs.attach_request("job-f", {"jobId": "job-f"})
    assert retried is not None and retried.status == "queued" and retried.error is None
    await jobs.claim()
    await jobs.finish("job-f", result={"url": "u"})
    kept = await jobs.attach_request("job-f", {"jobId": "job-f"})  # completed stays completed
    assert kept is not None and kept.status == "completed" and kept.result == {"url": "u"}


def test_signatures_verify_and_reject_tampering_and_old_deliveries() -> None:
    body = b'{"jobId":"job-1","status":"completed"}'
    now = int(time.time())
    headers = {"x-adforge-timestamp": str(now), "x-adforge-signature": sign(body, "s3cret", now)}
    assert verify_signature(body, headers, "s3cret")
    assert not verify_signature(body + b" ", headers, "s3cret")
    assert not verify_signature(body, headers, "other")
    old = now - 3600
    stale = {"x-adforge-timestamp": str(old), "x-adforge-signature": sign(body, "s3cret", old)}
    assert not verify_signature(body, stale, "s3cret")
    assert not verify_signature(body, {"x-adforge-timestamp": "soon"}, "s3cret")


async def test_a_delivery_is_signed_and_retried_until_accepted() -> None:
    record = {"jobId": "job-1", "status": "completed", "progress": 100}
    with WebhookReceiver(statuses=[503, 500]) as receiver:
        async with httpx.AsyncClient() as client:
            delivered, attempts = await deliver(
                client, receiver.url, record, secret="s3cret", policy=FAST, event_id="job-1:x"
            )
    assert delivered and attempts == 3 and len(receiver.deliveries) == 3
    last = receiver.deliveries[-1]
    assert json.loads(last.body) == record
    assert verify_signature(last.body, last.headers, "s3cret")
    assert last.headers["x-adforge-delivery"] == "job-1:x"


async def test_a_refused_delivery_is_final_and_an_unsigned_one_has_no_signature() -> None:
    with WebhookReceiver(statuses=[410]) as receiver:
        async with httpx.AsyncClient() as client:
            refused = await deliver(
                client, receiver.url, {"a": 1}, secret=None, policy=FAST, event_id="e"
            )
            accepted = await deliver(
                client, receiver.url, {"a": 2}, secret=None, policy=FAST, event_id="f"
            )
    assert refused == (False, 1) and accepted == (True, 1)
    assert "x-adforge-signature" not in receiver.deliveries[-1].headers


async def test_an_unreachable_receiver_fails_after_the_attempts() -> None:
    async with httpx.AsyncClient() as client:
        result = await deliver(
            client, "http://127.0.0.1:9/hook", {"a": 1}, secret="s", policy=FAST, event_id="e"
        )
    assert result == (False, 3)
