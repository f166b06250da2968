"""Local fakes of external services for tests; see `openai_server` for the OpenAI API fake."""

from __future__ import annotations

from .openai_replies import (
    ChatResponder,
    FakeError,
    FakeImageReply,
    FakeReply,
    FakeText,
    FakeToolCall,
    FakeToolCalls,
    FakeUsage,
    ImagesResponder,
    auth_error,
    default_images,
    echo,
    fail_then,
    invalid_request,
    moderation_blocked,
    rate_limit_error,
    schema_responder,
    scripted,
    server_error,
)
from .openai_server import FakeOpenAI, FakeScript, RecordedRequest, running_fake_openai

__all__ = [
    "ChatResponder",
    "FakeError",
    "FakeImageReply",
    "FakeOpenAI",
    "FakeReply",
    "FakeScript",
    "FakeText",
    "FakeToolCall",
    "FakeToolCalls",
    "FakeUsage",
    "ImagesResponder",
    "RecordedRequest",
    "auth_error",
    "default_images",
    "echo",
    "fail_then",
    "invalid_request",
    "moderation_blocked",
    "rate_limit_error",
    "running_fake_openai",
    "schema_responder",
    "scripted",
    "server_error",
]
