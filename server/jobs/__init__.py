"""Durable media jobs: the ``media_jobs`` table, the worker pool that renders them, webhooks."""

from server.jobs.store import JobRecord, JobStatus, JobStore, open_job_store
from server.jobs.webhooks import WebhookPolicy, deliver, sign, verify_signature
from server.jobs.worker import JobWorker

__all__ = [
    "JobRecord",
    "JobStatus",
    "JobStore",
    "JobWorker",
    "WebhookPolicy",
    "deliver",
    "open_job_store",
    "sign",
    "verify_signature",
]
