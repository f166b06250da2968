"""Shared fixtures: an isolated environment and a real SQLite checkpointer per test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from graph import models
from server.core.persistence import open_checkpointer

# The suite's scripted conversations send messages faster than the per-user limits a person gets
# (10 a minute): lift them for every server the tests start; the rate-limit tests set their own.
os.environ.setdefault("ADFORGE_RATE_LIMIT_MESSAGES", "100000/minute")
os.environ.setdefault("ADFORGE_RATE_LIMIT_RENDERS", "100000/hour")

_PROVIDER_ENV = (
    "ADFORGE_ALLOW_PRIVATE_CALLBACKS",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ADFORGE_MODEL",
    "ADFORGE_OFFLINE_LATENCY_MS",
    "ADFORGE_DATA_DIR",
    "PORT",
    "ADFORGE_API_KEYS",
    "ADFORGE_VIDEO_FPS",
    "ADFORGE_IMAGE_PROVIDER",
    "ADFORGE_IMAGE_MODEL",
    "ADFORGE_IMAGE_TIMEOUT_S",
    "ADFORGE_IMAGE_MAX_RETRIES",
    "ADFORGE_IMAGE_QUALITY",
    "HEYGEN_API_KEY",
    "HEYGEN_BASE_URL",
    "HEYGEN_POLL_INTERVAL_S",
    "HEYGEN_TIMEOUT_S",
    "ADFORGE_WEBHOOK_SECRET",
)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees the developer's keys or another test's model cache: offline by default."""
    for name in _PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANGSMITH_TRACING", "false")
    models._build.cache_clear()
    yield
    models._build.cache_clear()


@pytest.fixture
async def saver(tmp_path: Path) -> AsyncIterator[AsyncSqliteSaver]:
    """A real AsyncSqliteSaver on a WAL SQLite file, as the server opens it."""
    async with open_checkpointer(tmp_path / "checkpoints.sqlite") as opened:
        yield opened
