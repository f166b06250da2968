"""Accepting HeyGen's webhook callbacks: check the signature, then read the event.

Signature scheme: ads.md §4 documents the payloads but not the signature. HeyGen returns a
``secret`` when a webhook endpoint is registered (see :mod:`tools.video_providers.heygen` for the
API) and, as integrations in the wild verify it, sends a ``Signature`` header holding
the lowercase hex HMAC-SHA256 of the raw request body keyed with that secret. That is what is
checked here, in constant time, on the bytes as received (re-serialising parsed JSON would change
them). A ``sha256=`` prefix is tolerated. With no secret configured every delivery is refused:
an unauthenticated webhook would let anyone mark a paid render as finished.

Payloads (ads.md §4): ``{"event_type": "avatar_video.success", "event_data": {"video_id", "url",
"callback_id"}}`` and ``{"event_type": "avatar_video.fail", "event_data": {"video_id", "msg",
"callback_id"}}``; newer deliveries add ``event_id`` and say ``video_url``. Other event types are
returned with ``outcome="other"`` so a route can acknowledge and ignore them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tools.video_providers.base import VideoProviderError

__all__ = ["SIGNATURE_HEADER", "WebhookEvent", "sign_webhook", "verify_heygen_webhook"]

SIGNATURE_HEADER = "Signature"
_OUTCOMES: dict[str, Literal["success", "fail"]] = {
    "avatar_video.success": "success",
    "avatar_video.fail": "fail",
}


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One verified HeyGen delivery."""

    event_type: str
    outcome: Literal["success", "fail", "other"]
    video_id: str | None
    callback_id: str | None
    """Our request key (``VideoRenderRequest.key``), echoed back by HeyGen."""
    video_url: str | None
    message: str | None
    """HeyGen's failure message for ``fail`` events."""
    event_id: str | None
    data: dict[str, Any]


def sign_webhook(body: bytes, secret: str) -> str:
    """The ``Signature`` header value HeyGen would send for ``body``."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_heygen_webhook(
    body: bytes, headers: Mapping[str, str], secret: str | None
) -> WebhookEvent:
    """Verify and parse one delivery; :class:`VideoProviderError` when it must be refused."""
    if not secret:
        raise _refused("webhook_not_configured", "no webhook secret is configured")
    given = _header(headers, SIGNATURE_HEADER)
    if given is None:
        raise _refused("webhook_signature_missing", f"the {SIGNATURE_HEADER} header is missing")
    given = given.strip().removeprefix("sha256=").lower()
    if not hmac.compare_digest(
        given.encode("ascii", "replace"), sign_webhook(body, secret).encode()
    ):
        raise _refused("webhook_signature_invalid", "the webhook signature does not match")
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("event_type"), str):
        raise _refused("webhook_payload_invalid", "the webhook body is not a HeyGen event")
    data = payload.get("event_data")
    data = data if isinstance(data, dict) else {}
    event_type: str = payload["event_type"]
    return WebhookEvent(
        event_type=event_type,
        outcome=_OUTCOMES.get(event_type, "other"),
        video_id=_text(data.get("video_id")),
        callback_id=_text(data.get("callback_id")),
        video_url=_text(data.get("url")) or _text(data.get("video_url")),
        message=_text(data.get("msg")) or _text(data.get("message")),
        event_id=_text(payload.get("event_id")),
        data=data,
    )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive lookup that works for plain dicts and Starlette ``Headers`` alike."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _refused(code: str, message: str) -> VideoProviderError:
    return VideoProviderError(code, message, retryable=False, status=401)
