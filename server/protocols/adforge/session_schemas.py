"""Documented shapes of ``GET /api/chat/sessions/{id}`` and ``GET /api/jobs/{id}``.

The routes return the sessions projection's record and the job row's public form as they are;
these models are what ``/docs`` shows for them (``responses={200: ...}``), and
``tests/test_openapi_errors.py`` validates real answers against them so the two cannot drift.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["JobPublic", "PendingChoice", "SessionPublic"]


class PendingChoice(BaseModel):
    """The choice the workflow waits for (a LangGraph interrupt's value; more keys per kind)."""

    model_config = ConfigDict(extra="allow")

    interruptId: str | None = None
    kind: str = Field(description="persona_selection, angle_selection, script_selection, …")
    options: list[dict[str, Any]] | None = None
    message: str | None = None


class SessionPublic(BaseModel):
    """A session: its product and format, where the workflow is, what was picked."""

    model_config = ConfigDict(extra="allow")

    sessionId: str
    userId: str
    productId: str
    product: dict[str, Any] = Field(description="The product as GET /api/products/{id} shows it")
    format: str
    mediaType: Literal["video", "image"]
    graph: Literal["ad_workflow", "ad_assistant"]
    status: Literal["active", "completed", "expired"] = Field(
        description="expired: idle longer than ADFORGE_SESSION_TTL_H; history stays readable"
    )
    currentStep: str = Field(description="starting, persona_selection, …, completed")
    selections: dict[str, Any] = Field(
        description="selectedPersona, selectedAngle, selectedPsychology as they were picked"
    )
    pendingChoice: PendingChoice | None
    activeRunId: str | None = Field(description="The run executing now, if any")
    updatedAt: str
    lastSeq: int = Field(description="The seq of the session's last event (SSE id)")


class JobPublic(BaseModel):
    """A media job (also the body of its webhook)."""

    model_config = ConfigDict(extra="forbid")

    jobId: str
    sessionId: str
    kind: Literal["video", "image"]
    status: Literal["queued", "in_progress", "completed", "failed"]
    progress: int = Field(ge=0, le=100)
    estimatedTime: str = Field(description='e.g. "24s"')
    provider: str | None
    attempts: int
    createdAt: str
    updatedAt: str
    result: dict[str, Any] | None = Field(
        default=None, description="video_result / static_ad_result data, once completed"
    )
    error: dict[str, Any] | None = Field(
        default=None, description="{code, message, retryable}, once failed"
    )
