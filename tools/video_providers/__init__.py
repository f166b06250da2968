"""Video providers: one interface, an offline renderer and HeyGen, chosen by configuration.

``provider_from_env()`` is the switch design.md invariant 9 asks for: HeyGen when
``HEYGEN_API_KEY`` is set, the offline storyboard renderer otherwise. Callers depend on
:class:`VideoProvider` only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from tools.video_providers._http import RetryPolicy
from tools.video_providers.base import (
    OnSubmitted,
    Progress,
    ProviderAvatar,
    RenderedVideo,
    VideoProvider,
    VideoProviderError,
    VideoRenderRequest,
)
from tools.video_providers.heygen import HeyGenProvider
from tools.video_providers.heygen_webhook import WebhookEvent, sign_webhook, verify_heygen_webhook
from tools.video_providers.offline import OfflineVideoProvider

__all__ = [
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
    "provider_from_env",
    "sign_webhook",
    "verify_heygen_webhook",
]


def provider_from_env(
    environ: Mapping[str, str] | None = None, *, offline_fps: int = 30
) -> VideoProvider:
    """HeyGen when ``HEYGEN_API_KEY`` is set (see ``HeyGenProvider.from_env``), else offline.

    ``offline_fps`` is the frame rate of offline renders (the server passes its
    ``ADFORGE_VIDEO_FPS`` setting). Raises ``ValueError`` for malformed ``HEYGEN_*`` values, so a
    typo fails at start-up rather than at the first render.
    """
    env = os.environ if environ is None else environ
    if env.get("HEYGEN_API_KEY", "").strip():
        return HeyGenProvider.from_env(env)
    return OfflineVideoProvider(fps=offline_fps)
