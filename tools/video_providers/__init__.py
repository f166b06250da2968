"""Video providers: one interface, an offline renderer and HeyGen, chosen by configuration.

``provider_from_env()`` is the switch design.md invariant 9 asks for: HeyGen when
``HEYGEN_API_KEY`` is set, the offline storyboard renderer otherwise. Callers depend on
:class:`VideoProvider` only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from tools.env import env_number, env_text
from tools.http_retry import RetryPolicy
from tools.video_providers.base import (
    OnSubmitted,
    Progress,
    ProviderAvatar,
    RenderedVideo,
    VideoProvider,
    VideoProviderError,
    VideoRenderRequest,
)
from tools.video_providers.heygen import (
    DEFAULT_BASE_URL,
    DEFAULT_VOICE_LANGUAGE,
    HeyGenProvider,
)
from tools.video_providers.heygen import (
    EDITION as HEYGEN_EDITION,
)
from tools.video_providers.heygen_webhook import WebhookEvent, sign_webhook, verify_heygen_webhook
from tools.video_providers.offline import OfflineVideoProvider

__all__ = [
    "HEYGEN_EDITION",
    "HeyGenProvider",
    "OfflineVideoProvider",
    "OnSubmitted",
    "Progress",
    "ProviderAvatar",
    "RenderedVideo",
    "RetryPolicy",
    "VideoProvider",
    "VideoProviderError",
    "VideoRenderRequest",
    "WebhookEvent",
    "heygen_from_env",
    "provider_from_env",
    "sign_webhook",
    "verify_heygen_webhook",
]


def provider_from_env(
    environ: Mapping[str, str] | None = None, *, offline_fps: int = 30
) -> VideoProvider:
    """HeyGen when ``HEYGEN_API_KEY`` is set (see :func:`heygen_from_env`), else offline.

    ``offline_fps`` is the frame rate of offline renders (the server passes its
    ``ADFORGE_VIDEO_FPS`` setting). Raises ``ValueError`` for malformed ``HEYGEN_*`` values, so a
    typo fails at start-up rather than at the first render.
    """
    env = os.environ if environ is None else environ
    if env.get("HEYGEN_API_KEY", "").strip():
        return heygen_from_env(env)
    return OfflineVideoProvider(fps=offline_fps)


def heygen_from_env(env: Mapping[str, str]) -> HeyGenProvider:
    """A HeyGen provider configured from ``HEYGEN_*`` variables; ``HEYGEN_API_KEY`` is required.

    ``HEYGEN_BASE_URL``, ``HEYGEN_POLL_INTERVAL_S`` (10), ``HEYGEN_TIMEOUT_S`` (30, per HTTP
    call), ``HEYGEN_RENDER_TIMEOUT_S`` (1200, whole render), ``HEYGEN_AVATAR_ID``,
    ``HEYGEN_VOICE_ID``, ``HEYGEN_VOICE_LANGUAGE`` (English: the voice list's language filter
    for looks without a default voice), ``HEYGEN_CALLBACK_URL``, ``HEYGEN_WEBHOOK_SECRET``.
    """
    return HeyGenProvider(
        env.get("HEYGEN_API_KEY", ""),
        base_url=env_text(env, "HEYGEN_BASE_URL") or DEFAULT_BASE_URL,
        poll_interval_s=env_number(env, "HEYGEN_POLL_INTERVAL_S", 10.0, float),
        timeout_s=env_number(env, "HEYGEN_TIMEOUT_S", 30.0, float),
        render_timeout_s=env_number(env, "HEYGEN_RENDER_TIMEOUT_S", 1200.0, float),
        default_avatar_id=env_text(env, "HEYGEN_AVATAR_ID"),
        voice_id=env_text(env, "HEYGEN_VOICE_ID"),
        voice_language=env_text(env, "HEYGEN_VOICE_LANGUAGE") or DEFAULT_VOICE_LANGUAGE,
        callback_url=env_text(env, "HEYGEN_CALLBACK_URL"),
        webhook_secret=env_text(env, "HEYGEN_WEBHOOK_SECRET"),
    )
