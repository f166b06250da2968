"""HeyGen's wire shapes (no endpoint paths): status bodies, avatar looks, error answers.

Kept apart from :mod:`tools.video_providers.heygen` so that module stays about the flow (submit,
poll, download). What each HeyGen answer means for the user is decided here: which HTTP statuses
are worth retrying, and the message shown when they are not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import httpx

from tools.video_providers.base import ProviderAvatar, VideoProviderError

__all__ = [
    "Status",
    "api_error",
    "avatar_from_look",
    "bad_response",
    "parse_status",
    "unreachable",
]

_COLORS = ("#7C5CFF", "#FF5C8A", "#FFB020", "#06E8DC", "#3DA5FF", "#4CC38A", "#F07E3C")


@dataclass(frozen=True, slots=True)
class Status:
    """One answer of the video status call."""

    status: str
    video_url: str | None
    thumbnail_url: str | None
    duration_s: float | None
    failure_code: str | None
    failure_message: str | None


def parse_status(body: dict[str, Any], video_id: str) -> Status:
    """The ``data`` object of a status answer; :class:`VideoProviderError` if it has none."""
    data = body.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("status"), str):
        raise bad_response("the video status has no status field", video_id)
    duration = data.get("duration")
    return Status(
        data["status"],
        _str(data.get("video_url")),
        _str(data.get("thumbnail_url")),
        float(duration) if isinstance(duration, int | float) else None,
        _str(data.get("failure_code")),
        _str(data.get("failure_message")),
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def avatar_from_look(look: dict[str, Any]) -> ProviderAvatar:
    """A HeyGen avatar look as a presenter; the colour is stable per look id."""
    look_id = str(look.get("id") or "")
    tags = [t for t in look.get("tags") or [] if isinstance(t, str)]
    kind = str(look.get("avatar_type") or "avatar").replace("_", " ")
    digest = hashlib.sha256(look_id.encode()).digest()
    return ProviderAvatar(
        id=look_id,
        name=str(look.get("name") or look_id),
        gender=str(look.get("gender") or "unspecified").capitalize(),
        age_range="",
        style=", ".join([kind.capitalize(), *tags[:2]]),
        color=_COLORS[digest[0] % len(_COLORS)],
        provider="heygen",
        preview_image_url=_str(look.get("preview_image_url")),
        default_voice_id=_str(look.get("default_voice_id")),
    )


def _message(response: httpx.Response) -> tuple[str | None, str]:
    """(code, message) from v3 ``{"error": {...}}`` or legacy ``{"code", "message"}`` bodies."""
    try:
        body = response.json()
    except ValueError:
        return None, response.text[:200].strip() or response.reason_phrase
    error = body.get("error") if isinstance(body, dict) else None
    source = error if isinstance(error, dict) else body if isinstance(body, dict) else {}
    code, message = source.get("code"), source.get("message") or source.get("detail")
    if isinstance(error, str):
        message = error
    return (str(code) if code is not None else None), str(message or response.reason_phrase)


def api_error(response: httpx.Response, job: str | None) -> VideoProviderError:
    status = response.status_code
    code, message = _message(response)
    if status in (401, 403):
        return VideoProviderError(
            "provider_auth_failed",
            f"HeyGen rejected the API key (HTTP {status}): {message}. Check HEYGEN_API_KEY.",
            retryable=False,
            status=status,
            provider_job_id=job,
        )
    if status == 402:
        reason, retryable = "provider_quota_exceeded", False
    elif status == 404 and job:
        reason, retryable = "provider_job_not_found", False
    elif status == 429:
        reason, retryable = "provider_rate_limited", True
    elif status >= 500 or status in (408, 409):
        reason, retryable = "provider_unavailable", True
    else:
        reason, retryable = "provider_rejected_request", False
    detail = f" [{code}]" if code else ""
    return VideoProviderError(
        reason,
        f"HeyGen answered HTTP {status}{detail}: {message}",
        retryable=retryable,
        status=status,
        provider_job_id=job,
    )


def unreachable(exc: httpx.TransportError, job: str | None) -> VideoProviderError:
    return VideoProviderError(
        "provider_unreachable",
        f"HeyGen could not be reached: {type(exc).__name__}: {exc}"[:500],
        retryable=True,
        provider_job_id=job,
    )


def bad_response(message: str, job: str | None = None) -> VideoProviderError:
    return VideoProviderError("provider_bad_response", message, retryable=True, provider_job_id=job)
