"""Image providers: one interface, an offline composer and the OpenAI Images API.

Why a package of its own: "which image model draws the picture" is configuration (design
invariant 9), so graph nodes and the server's job worker depend only on :class:`ImageProvider`
and get a concrete one from :func:`image_provider` (the settings tree's sections) or
:func:`image_provider_from_env` (a mapping, or the environment read now). Nothing here knows about graphs,
HTTP routes or persistence; callers pass an :class:`ImageRequest` and a directory and get a
finished ad of exactly the requested platform size, or an :class:`ImageProviderError`.

Selection mirrors ``graph/models.py``: OpenAI when ``OPENAI_API_KEY`` or ``OPENAI_BASE_URL`` is
set, the offline composer otherwise; ``ADFORGE_IMAGE_PROVIDER=offline|openai`` overrides that
(e.g. a real chat model with offline images while prototyping).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tools.image_providers.base import (
    PROMPT_MAX_CHARS,
    ErrorCode,
    GeneratedImage,
    ImageFormat,
    ImageProvider,
    ImageProviderError,
    ImageRequest,
    UserAction,
    output_path,
    parse_resolution,
)
from tools.image_providers.offline import OFFLINE_IMAGE_MODEL, OfflineImageProvider
from tools.image_providers.sizes import fit_to_size, plan_generation_size
from tools.settings import ImageSettings, ModelSettings, environment

if TYPE_CHECKING:
    from tools.image_providers.openai_images import (
        DEFAULT_IMAGE_MAX_RETRIES,
        DEFAULT_IMAGE_MODEL,
        DEFAULT_IMAGE_TIMEOUT_S,
        IMAGE_QUALITIES,
        ImageQuality,
        OpenAIImageProvider,
    )

_OPENAI_NAMES = frozenset(
    {
        "DEFAULT_IMAGE_MAX_RETRIES",
        "DEFAULT_IMAGE_MODEL",
        "DEFAULT_IMAGE_TIMEOUT_S",
        "IMAGE_QUALITIES",
        "ImageQuality",
        "OpenAIImageProvider",
    }
)


def __getattr__(name: str) -> Any:
    """The OpenAI provider's names, imported on first use.

    The ``openai`` SDK takes ~0.4 s to import and an offline server never needs it.
    """
    if name in _OPENAI_NAMES:
        from tools.image_providers import openai_images

        return getattr(openai_images, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = (
    "DEFAULT_IMAGE_MAX_RETRIES",
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_IMAGE_TIMEOUT_S",
    "IMAGE_QUALITIES",
    "OFFLINE_IMAGE_MODEL",
    "PROMPT_MAX_CHARS",
    "ErrorCode",
    "GeneratedImage",
    "ImageFormat",
    "ImageProvider",
    "ImageProviderError",
    "ImageQuality",
    "ImageRequest",
    "OfflineImageProvider",
    "OpenAIImageProvider",
    "UserAction",
    "fit_to_size",
    "image_provider",
    "image_provider_from_env",
    "output_path",
    "parse_resolution",
    "plan_generation_size",
)

log = logging.getLogger(__name__)


def image_provider(images: ImageSettings, openai: ModelSettings) -> ImageProvider:
    """The provider the settings ask for (see the module docstring).

    ``openai`` is the chat model's section: images use the same key and base URL.

    Raises:
        ValueError: for a malformed ``ADFORGE_IMAGE_QUALITY`` (numbers and the provider choice
            were already checked by the settings), so a typo fails at startup.
    """
    choice = images.provider or ("openai" if openai.openai_configured else "offline")
    if choice == "offline":
        log.info("images: offline static-ad composer (no network)")
        return OfflineImageProvider()
    from tools.image_providers.openai_images import OpenAIImageProvider

    provider = OpenAIImageProvider.from_settings(images, openai)
    log.info("images: %r", provider)
    return provider


def image_provider_from_env(env: Mapping[str, str] | None = None) -> ImageProvider:
    """:func:`image_provider` with both sections built from ``env`` (default: the environment).

    Raises:
        ValueError: naming the variable, for an unknown ``ADFORGE_IMAGE_PROVIDER`` or a
            malformed ``ADFORGE_IMAGE_*`` value.
    """
    env = environment() if env is None else env
    return image_provider(ImageSettings.from_mapping(env), ModelSettings.from_mapping(env))
