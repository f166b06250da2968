"""The image-provider contract: one request type, one result type, one error type.

Why an interface: the workflow and the assistant ask for "a finished static ad of this size"
and must not care whether it came from the offline composer or a paid image model (design
invariant 9, real providers by configuration). Both implementations therefore return the same
thing — a PNG or JPEG of exactly the requested platform size with the ad copy laid out inside
the safe zone — and fail with the same :class:`ImageProviderError`, whose ``code``/``retryable``
pair the job worker and the protocol adapters turn into the ``{"type":"error","code","message",
"retryable"}`` shape without inspecting SDK exceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from tools.ids import stable_id
from tools.jobs import parse_resolution
from tools.media import PLATFORM_SIZES, StaticAdSpec
from tools.media.layout import Box

__all__ = [
    "PROMPT_MAX_CHARS",
    "ErrorCode",
    "GeneratedImage",
    "ImageFormat",
    "ImageProvider",
    "ImageProviderError",
    "ImageRequest",
    "UserAction",
    "output_path",
    "parse_resolution",
]

ImageFormat = Literal["png", "jpeg"]
"""Output encodings every ad placement accepts (Meta/TikTok/Google take JPG and PNG, ads.md §1)."""

PROMPT_MAX_CHARS = 32000
"""The GPT image models' prompt limit (ads.md §6); longer prompts are refused before any call."""

ErrorCode = Literal[
    "image_moderation_blocked",
    "image_prompt_rejected",
    "image_provider_auth_failed",
    "image_provider_forbidden",
    "image_model_not_found",
    "image_provider_rate_limited",
    "image_provider_quota_exceeded",
    "image_provider_timeout",
    "image_provider_unavailable",
    "image_provider_bad_response",
    "image_request_rejected",
    "image_render_failed",
]
"""Every code an image provider may raise; stable strings that clients can switch on."""

UserAction = Literal["rephrase_prompt"]
"""What the person in the conversation can do to fix a failure (None: only an operator can)."""

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_SIZES = frozenset(PLATFORM_SIZES.values())


class ImageProviderError(RuntimeError):
    """An image could not be produced; says whether retrying or rephrasing can help.

    ``retryable`` means the *same* request may succeed later (rate limit, outage, timeout), so a
    job worker may requeue it; ``user_action`` is set when the user, not an operator, can fix it
    (a safety rejection is fixed by rewording the prompt, never by retrying it blindly).
    """

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        retryable: bool,
        user_action: UserAction | None = None,
    ) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.retryable = retryable
        self.user_action: UserAction | None = user_action

    def as_dict(self) -> dict[str, str | bool | None]:
        """The error as the JSON fields the APIs send (``userAction`` only when set)."""
        body: dict[str, str | bool | None] = {
            "type": "error",
            "code": self.code,
            "message": self.message,
            "retryable": self.retryable,
        }
        if self.user_action is not None:
            body["userAction"] = self.user_action
        return body

    def __repr__(self) -> str:
        return f"ImageProviderError({self.code!r}, {self.message!r}, retryable={self.retryable})"


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """One finished ad to make: the picture to ask for and the copy to lay over it.

    ``idempotency_key`` names the output file and seeds the offline palette, so a re-executed
    node or job (design invariant 2) writes the same file and, for a paid provider, finds the
    finished image instead of paying for it twice; derive it with ``tools.ids.stable_id`` from
    the thread and the tool call or job. Copy fields may all be empty (the assistant's
    ``generate_ad_image`` before any asset is saved): providers then return the picture alone.
    """

    prompt: str
    width: int
    height: int
    idempotency_key: str
    headline: str = ""
    primary_text: str = ""
    call_to_action: str = ""
    product_name: str = ""
    brand_label: str = "AdForge"
    image_format: ImageFormat = "png"

    def __post_init__(self) -> None:
        if not self.prompt.strip():
            raise ValueError("prompt must not be empty")
        if len(self.prompt) > PROMPT_MAX_CHARS:
            raise ValueError(f"prompt is {len(self.prompt)} chars; the limit is {PROMPT_MAX_CHARS}")
        if (self.width, self.height) not in _SIZES:
            sizes = ", ".join(f"{w}x{h}" for w, h in PLATFORM_SIZES.values())
            raise ValueError(f"size {self.width}x{self.height} is not a platform size ({sizes})")
        if not self.idempotency_key.strip():
            raise ValueError("idempotency_key must not be empty")
        if self.image_format not in ("png", "jpeg"):
            raise ValueError(f"image_format must be 'png' or 'jpeg', got {self.image_format!r}")

    @property
    def size(self) -> str:
        """``"WIDTHxHEIGHT"``."""
        return f"{self.width}x{self.height}"

    @property
    def has_copy(self) -> bool:
        """Whether there is ad copy to lay out (else the picture is delivered bare)."""
        return any(
            text.strip()
            for text in (self.headline, self.primary_text, self.call_to_action, self.product_name)
        )

    def ad_spec(self, *, offline_label: bool) -> StaticAdSpec:
        """The static-ad composer's spec for this request's copy at its size."""
        return StaticAdSpec(
            headline=self.headline,
            primary_text=self.primary_text,
            call_to_action=self.call_to_action,
            product_name=self.product_name,
            width=self.width,
            height=self.height,
            seed=self.idempotency_key,
            brand_label=self.brand_label,
            offline_label=offline_label,
            image_format=self.image_format,
        )


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    """A finished image on disk and where it came from.

    ``text_roles``/``text_boxes`` name and locate every overlay element drawn (``headline``,
    ``call_to_action``, ``offline_label``, …) so compliance checks can verify the safe zone
    without re-reading the picture. ``source_size`` is what the provider was asked for before
    the crop to the platform size (None for the offline composer).
    """

    path: Path
    width: int
    height: int
    content_type: str
    provider: str
    model: str
    offline: bool
    revised_prompt: str | None = None
    source_size: str | None = None
    text_roles: tuple[str, ...] = ()
    text_boxes: tuple[Box, ...] = ()


@runtime_checkable
class ImageProvider(Protocol):
    """Anything that turns an :class:`ImageRequest` into a finished ad image under ``dest``.

    ``offline`` is True for output made without a provider; such images carry the "Offline
    render" tag and must be labelled offline wherever they are shown.
    """

    @property
    def name(self) -> str:
        """Short provider id recorded with each image (``offline``, ``openai``)."""
        ...

    @property
    def model(self) -> str:
        """The model or renderer that draws the picture."""
        ...

    @property
    def offline(self) -> bool:
        """Whether images are made locally without any provider."""
        ...

    async def generate(self, request: ImageRequest, dest: Path) -> GeneratedImage:
        """Write the finished image into the directory ``dest`` and describe it.

        Raises:
            ImageProviderError: for every failure the caller should report rather than crash on.
        """
        ...


def output_path(request: ImageRequest, dest: Path) -> Path:
    """Where the image for ``request`` goes: ``dest/<idempotency key>.<png|jpg>``.

    Keys that are not plain file names (slashes, spaces, very long) are hashed, so a key can
    never escape ``dest``.
    """
    key = request.idempotency_key.strip()
    stem = key if _SAFE_NAME.match(key) else stable_id("img", key)
    return dest / f"{stem}.{'png' if request.image_format == 'png' else 'jpg'}"
