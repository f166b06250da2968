"""OpenAI Images API provider: a GPT image model draws the picture, the composer adds the copy.

Why this shape: GPT image models return base64 only and none of their sizes is an ad placement
(ads.md §6), so the provider asks for the nearest supported size (:mod:`.sizes`), scales and
centre-crops to the exact placement with Pillow, and lays the headline, primary text and call to
action over it with :func:`tools.media.compose_over_background` — the same layout and safe-zone
guarantees as the offline composer, so switching providers changes the picture, not the ad.

API edition: the Images API as documented by openai-python 3.54.0
(``src/openai/types/image_generate_params.py``, generated from OpenAI's OpenAPI spec; the
version pinned in requirements.lock). The client sends ``model``, ``prompt``, ``size``, ``n`` (1)
and, when configured, ``quality`` — nothing else (no ``response_format``: GPT image models
always answer base64).

Transport is the official ``openai.AsyncOpenAI`` client, so any OpenAI-compatible server works
through ``OPENAI_BASE_URL``. One client per provider and event loop is kept and reused, so
consecutive images share pooled connections. The SDK's own retries are off: calls follow the
one outbound retry policy (:mod:`tools.http_retry`: connection errors, 408/425/429/5xx,
backoff 0.5 s → 8 s, ``Retry-After`` and ``x-should-retry`` honoured) with
``ADFORGE_IMAGE_MAX_RETRIES`` retries. ``ADFORGE_IMAGE_TIMEOUT_S`` bounds each attempt.
Failures become :class:`ImageProviderError`; a safety rejection is reported as fixable by
rephrasing, never retried.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import openai
from PIL import Image, UnidentifiedImageError

from tools.env import env_number
from tools.http_retry import RetryPolicy
from tools.image_providers._manifest import fingerprint, load_generated, store_generated
from tools.image_providers.base import GeneratedImage, ImageProviderError, ImageRequest, output_path
from tools.image_providers.sizes import fit_to_size, nearest_standard_size, plan_generation_size
from tools.media import compose_over_background
from tools.media.static_ad import save_image_atomic

__all__ = [
    "DEFAULT_IMAGE_MAX_RETRIES",
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_IMAGE_TIMEOUT_S",
    "IMAGE_QUALITIES",
    "ImageQuality",
    "OpenAIImageProvider",
]

log = logging.getLogger(__name__)

# gpt-image-1 was shut down on 2026-10-23 and OpenAI names gpt-image-2.5-sunburst (or -flare) as
# its replacement (ads.md §5; openai-python's `ImageModel` docs say the same). The SDK documents
# the 2.5 models with gpt-image-2's size rules — any WxH on the 16-px grid — which lets us ask
# for almost exactly each placement. The gpt-image-1.x/chatgpt-image line (1.5, 1-mini) is
# reported to shut down on 2026-12-01, and the 2.6 models' size rules are not documented yet.
DEFAULT_IMAGE_MODEL = "gpt-image-2.5-sunburst"
DEFAULT_IMAGE_TIMEOUT_S = 180.0
"""Per attempt: high-quality generations at ~2 MP can take one to two minutes."""
DEFAULT_IMAGE_MAX_RETRIES = 3
ImageQuality = Literal["low", "medium", "high", "auto", "xhigh", "max"]
"""Accepted ``ADFORGE_IMAGE_QUALITY`` values (xhigh/max: the 2.5 models only); price rises ~4x
per step from low to high (ads.md §6), so it is configuration, not hard-coded."""
IMAGE_QUALITIES: tuple[ImageQuality, ...] = ("low", "medium", "high", "auto", "xhigh", "max")

_NO_KEY = "sk-local-no-key"  # local OpenAI-compatible servers usually ignore the key
_MODERATION_MESSAGE = (
    "The image model's safety system rejected this prompt, so no image was made. Rephrase the "
    "prompt: describe the product, the setting and the mood, and leave out anything about "
    "bodies, health conditions or before-and-after results. Then try again."
)


class OpenAIImageProvider:
    """Generates the picture with the OpenAI Images API and composes the ad over it."""

    name = "openai"
    offline = False

    def __init__(
        self,
        *,
        model: str = DEFAULT_IMAGE_MODEL,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout_s: float = DEFAULT_IMAGE_TIMEOUT_S,
        max_retries: int = DEFAULT_IMAGE_MAX_RETRIES,
        quality: ImageQuality | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        if not model.strip():
            raise ValueError("model must not be empty")
        if timeout_s <= 0 or max_retries < 0:
            raise ValueError("timeout_s must be > 0 and max_retries >= 0")
        if quality is not None and quality not in IMAGE_QUALITIES:
            raise ValueError(f"quality must be one of {', '.join(IMAGE_QUALITIES)}")
        self.model = model.strip()
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.quality = quality
        self.retry = retry or RetryPolicy(attempts=max_retries + 1)
        self._api_key = api_key
        self._base_url = base_url
        self._client: openai.AsyncOpenAI | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OpenAIImageProvider:
        """Configure from ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` and ``ADFORGE_IMAGE_*``.

        Raises:
            ValueError: naming the variable when a number or quality is malformed.
        """
        env = os.environ if env is None else env
        return cls(
            model=env.get("ADFORGE_IMAGE_MODEL", "").strip() or DEFAULT_IMAGE_MODEL,
            api_key=env.get("OPENAI_API_KEY") or None,
            base_url=env.get("OPENAI_BASE_URL") or None,
            timeout_s=env_number(env, "ADFORGE_IMAGE_TIMEOUT_S", DEFAULT_IMAGE_TIMEOUT_S, float),
            max_retries=env_number(
                env, "ADFORGE_IMAGE_MAX_RETRIES", DEFAULT_IMAGE_MAX_RETRIES, int
            ),
            quality=_quality(env.get("ADFORGE_IMAGE_QUALITY", "")),
        )

    def __repr__(self) -> str:
        where = self._base_url or "api.openai.com"
        return f"OpenAIImageProvider(model={self.model!r}, base_url={where!r})"

    async def generate(self, request: ImageRequest, dest: Path) -> GeneratedImage:
        """Generate, crop and compose ``request`` into ``dest``; reuse a finished identical one."""
        out = output_path(request, dest)
        size = plan_generation_size(self.model, request.width, request.height)
        key = fingerprint(
            request, provider=self.name, model=self.model, size=size, quality=self.quality
        )
        if (stored := load_generated(out, key)) is not None:
            log.info("image %s: reusing %s (same request already generated)", out.name, out)
            return stored
        raw, revised_prompt, used_size = await self._fetch(request, size)
        image = await asyncio.to_thread(self._finish, request, raw, out, revised_prompt, used_size)
        await asyncio.to_thread(store_generated, image, key)
        return image

    async def aclose(self) -> None:
        """Close the pooled HTTP client (a later image opens a new one)."""
        client, self._client, self._client_loop = self._client, None, None
        if client is not None:
            await client.close()

    def _pooled_client(self) -> openai.AsyncOpenAI:
        """The provider's client, reused across images; one per event loop, as connections are."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = openai.AsyncOpenAI(
                api_key=self._api_key or _NO_KEY,
                base_url=self._base_url,
                timeout=self.timeout_s,
                max_retries=0,  # tools.http_retry decides, like every other outbound call
            )
            self._client_loop = loop
        return self._client

    async def _fetch(self, request: ImageRequest, size: str) -> tuple[bytes, str | None, str]:
        """Call the API under the retry policy; returns (image bytes, revised prompt, size)."""
        client = self._pooled_client()
        try:
            try:
                response = await self._call(client, request.prompt, size)
            except openai.BadRequestError as error:
                fallback = nearest_standard_size(request.width, request.height)
                if error.param != "size" or size == fallback:
                    raise
                # The size rules we plan with may lag a new model's pixel/edge limits; the
                # standard sizes are accepted by every GPT image model.
                log.warning("model %s refused size %s; retrying at %s", self.model, size, fallback)
                size = fallback
                response = await self._call(client, request.prompt, size)
        except openai.OpenAIError as error:
            raise _provider_error(error, self.model) from error
        item = response.data[0] if response.data else None
        if item is None or not item.b64_json:
            raise ImageProviderError(
                "image_provider_bad_response",
                f"the Images API answered without a base64 image (model {self.model})",
                retryable=True,
            )
        try:
            raw = base64.b64decode(item.b64_json, validate=True)
        except (binascii.Error, ValueError) as error:
            raise _bad_image(error) from error
        return raw, item.revised_prompt, size

    async def _call(
        self, client: openai.AsyncOpenAI, prompt: str, size: str
    ) -> openai.types.ImagesResponse:
        log.info("image: %s at %s via %s", self.model, size, self._base_url or "api.openai.com")

        async def attempt() -> openai.types.ImagesResponse:
            return await client.images.generate(
                model=self.model,
                prompt=prompt,
                size=size,
                n=1,
                quality=self.quality if self.quality is not None else openai.omit,
            )

        return await self.retry.call(attempt, transient=(openai.APIConnectionError,))

    def _finish(
        self,
        request: ImageRequest,
        raw: bytes,
        out: Path,
        revised_prompt: str | None,
        source_size: str,
    ) -> GeneratedImage:
        """Crop to the placement and lay the copy over it (blocking; runs in a thread)."""
        try:
            with Image.open(io.BytesIO(raw)) as opened:
                opened.load()
                picture = fit_to_size(opened, request.width, request.height)
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
            raise _bad_image(error) from error
        roles: tuple[str, ...] = ()
        boxes: tuple[tuple[int, int, int, int], ...] = ()
        try:
            if request.has_copy:
                spec = request.ad_spec(offline_label=False)
                rendered = compose_over_background(picture, spec, out)
                roles, boxes = rendered.text_roles, rendered.text_boxes
            else:
                save_image_atomic(picture, out, request.image_format)
        except OSError as error:
            raise ImageProviderError(
                "image_render_failed", f"could not write {out.name}: {error}", retryable=False
            ) from error
        return GeneratedImage(
            path=out,
            width=request.width,
            height=request.height,
            content_type=f"image/{request.image_format}",
            provider=self.name,
            model=self.model,
            offline=False,
            revised_prompt=revised_prompt,
            source_size=source_size,
            text_roles=roles,
            text_boxes=boxes,
        )


def _provider_error(error: openai.OpenAIError, model: str) -> ImageProviderError:
    """Translate an SDK exception (after the SDK's own retries) into an ImageProviderError."""
    if isinstance(error, openai.APITimeoutError):  # subclass of APIConnectionError: check first
        return ImageProviderError(
            "image_provider_timeout",
            "the image provider did not answer within ADFORGE_IMAGE_TIMEOUT_S",
            retryable=True,
        )
    if isinstance(error, openai.APIConnectionError):
        return ImageProviderError(
            "image_provider_unavailable",
            f"could not reach the image provider: {error}",
            retryable=True,
        )
    if not isinstance(error, openai.APIStatusError):
        return ImageProviderError(
            "image_provider_bad_response", f"unexpected Images API reply: {error}", retryable=False
        )
    status, code, detail = error.status_code, error.code, error.message
    if status == 400 and (code == "moderation_blocked" or "safety system" in detail):
        return ImageProviderError(
            "image_moderation_blocked",
            _MODERATION_MESSAGE,
            retryable=False,
            user_action="rephrase_prompt",
        )
    if status == 400 and error.param == "prompt":
        return ImageProviderError(
            "image_prompt_rejected",
            f"the image prompt was rejected: {detail} Rephrase or shorten it and try again.",
            retryable=False,
            user_action="rephrase_prompt",
        )
    if status == 401:
        return ImageProviderError(
            "image_provider_auth_failed",
            "the image provider rejected the API key (HTTP 401); set a valid OPENAI_API_KEY",
            retryable=False,
        )
    if status == 403:
        return ImageProviderError(
            "image_provider_forbidden",
            f"the API key may not use {model} (HTTP 403): {detail}",
            retryable=False,
        )
    if status == 404:
        return ImageProviderError(
            "image_model_not_found",
            f"image model {model!r} is not available (HTTP 404); check ADFORGE_IMAGE_MODEL",
            retryable=False,
        )
    if status == 429 and code == "insufficient_quota":
        return ImageProviderError(
            "image_provider_quota_exceeded",
            f"the image provider account is out of quota: {detail}",
            retryable=False,
        )
    if status == 429:
        return ImageProviderError(
            "image_provider_rate_limited",
            "the image provider is rate limiting requests; try again shortly",
            retryable=True,
        )
    if status >= 500 or status in (408, 409):
        return ImageProviderError(
            "image_provider_unavailable",
            f"the image provider failed (HTTP {status}): {detail}",
            retryable=True,
        )
    return ImageProviderError(
        "image_request_rejected",
        f"the image provider refused the request (HTTP {status}): {detail}",
        retryable=False,
    )


def _bad_image(error: Exception) -> ImageProviderError:
    return ImageProviderError(
        "image_provider_bad_response",
        f"the Images API returned data that is not a readable image: {error}",
        retryable=True,
    )


def _quality(raw: str) -> ImageQuality | None:
    wanted = raw.strip().lower()
    if not wanted:
        return None
    for quality in IMAGE_QUALITIES:
        if quality == wanted:
            return quality
    raise ValueError(f"ADFORGE_IMAGE_QUALITY must be one of {', '.join(IMAGE_QUALITIES)}")
