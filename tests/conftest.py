"""Shared fixtures: an isolated environment and a real SQLite checkpointer per test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from graph import models
from server.core.persistence import open_checkpointer
from tests.fakes import FakeOpenAI, running_fake_openai
from tools.settings import load_settings

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
    "HEYGEN_RENDER_TIMEOUT_S",
    "HEYGEN_AVATAR_ID",
    "HEYGEN_VOICE_ID",
    "HEYGEN_VOICE_LANGUAGE",
    "HEYGEN_CALLBACK_URL",
    "HEYGEN_WEBHOOK_SECRET",
    "ADFORGE_MODEL_TIMEOUT_S",
    "ADFORGE_MODEL_MAX_RETRIES",
    "ADFORGE_MEDIA_FONTS",
    "ADFORGE_WEBHOOK_SECRET",
    "ADFORGE_PLACEMENTS",
    "ADFORGE_METRICS",
    "ADFORGE_METRICS_TOKEN",
    "ADFORGE_LOG_FORMAT",
)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees the developer's keys or another test's model cache or settings tree."""
    for name in _PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANGSMITH_TRACING", "false")
    models._build.cache_clear()
    load_settings.cache_clear()
    yield
    models._build.cache_clear()
    load_settings.cache_clear()
    _forget_openai_connections()


def _forget_openai_connections() -> None:
    """Drop langchain-openai's cached default httpx clients after each test.

    They are cached by base URL; a later test whose fake OpenAI server gets the same free port
    would otherwise reuse a client whose connections belong to a closed event loop.
    """
    from langchain_openai.chat_models import _client_utils

    for name in ("_get_default_httpx_client", "_get_default_async_httpx_client"):
        cached = getattr(_client_utils, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()


@pytest.fixture
async def saver(tmp_path: Path) -> AsyncIterator[AsyncSqliteSaver]:
    """A real AsyncSqliteSaver on a WAL SQLite file, as the server opens it."""
    async with open_checkpointer(tmp_path / "checkpoints.sqlite") as opened:
        yield opened


@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A local fake OpenAI server the real ``ChatOpenAI`` client is pointed at."""
    with running_fake_openai() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-local-test")
        monkeypatch.setenv("ADFORGE_MODEL_MAX_RETRIES", "2")
        monkeypatch.setenv("ADFORGE_MODEL_TIMEOUT_S", "10")
        yield fake
