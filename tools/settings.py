"""One settings tree for graph/ and tools/: the chat model, images, HeyGen and media.

Why one module: the server's ``Settings`` reads ``.env`` while the model and the providers used to
read ``os.environ`` on their own, so ``OPENAI_API_KEY`` in ``.env`` switched the server to OpenAI
and left ``ChatOpenAI`` without a key. Now every layer gets its configuration from this tree, and
this is the only module that reads the process environment. It lives in tools/ because graph/ and
tools/ may not import server/ (the import-linter contract), and ``langgraph dev``, which imports
graph/ without the server, reads the same tree through the same loader (:func:`load_settings`).

The variable names are flat (``HEYGEN_TIMEOUT_S``, not ``HEYGEN__TIMEOUT_S``), as the README's
configuration table lists them: :func:`environment` reads the process over ``.env`` (python-dotenv,
the parser pydantic-settings uses for the server's ``Settings``) into one flat mapping, and each
section, a frozen pydantic model, picks its variables from it by alias — pydantic-settings' own
sources resolve aliases of top-level fields only. A malformed value raises :class:`SettingsError`
naming the variable, so a typo fails at start-up rather than at the first model call or render.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self

from dotenv import dotenv_values
from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
)

__all__ = [
    "ENV_FILE",
    "AdForgeSettings",
    "CopySettings",
    "HeyGenSettings",
    "ImageSettings",
    "MediaSettings",
    "ModelSettings",
    "OutboundSettings",
    "SettingsError",
    "environment",
    "load_settings",
    "read_settings",
]

ENV_FILE = Path(".env")
"""Read from the working directory, as the server's ``Settings`` reads it."""


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message names every bad variable."""


def environment(env_file: Path | None = ENV_FILE) -> dict[str, str]:
    """The process environment over ``env_file`` (when it exists), blank values dropped.

    Blank means unset, as ``env_ignore_empty`` does for the server's ``Settings``.
    """
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ)
    return _flat(values)


def _flat(env: Mapping[str, str]) -> dict[str, str]:
    return {name: value.strip() for name, value in env.items() if value.strip()}


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


_Lower = BeforeValidator(_lower)
"""Choices are case-insensitive: ``ADFORGE_IMAGE_PROVIDER=OpenAI`` means ``openai``."""


def _describe(error: ValidationError) -> SettingsError:
    """One line per bad variable (secrets are SecretStr, which accepts any text: never echoed)."""
    lines = []
    for problem in error.errors():
        name = str(problem["loc"][-1]) if problem["loc"] else "settings"
        lines.append(f"{name}: {problem['msg']} (got {problem['input']!r})")
    return SettingsError("invalid configuration: " + "; ".join(lines))


class _Section(BaseModel):
    """A group of variables, validated from a flat mapping of environment names."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> Self:
        """This section from ``env`` only (tests pass a dict; blank values mean unset).

        Raises:
            SettingsError: naming each malformed variable.
        """
        try:
            return cls.model_validate(_flat(env))
        except ValidationError as error:
            raise _describe(error) from None


class ModelSettings(_Section):
    """The chat model every graph node uses (see graph/models.py for how a spec is resolved)."""

    model: str | None = Field(default=None, validation_alias=_env("ADFORGE_MODEL"))
    openai_api_key: SecretStr | None = Field(default=None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(default=None, validation_alias=_env("OPENAI_BASE_URL"))
    timeout_s: float = Field(default=60.0, gt=0, validation_alias=_env("ADFORGE_MODEL_TIMEOUT_S"))
    max_retries: int = Field(default=3, ge=0, validation_alias=_env("ADFORGE_MODEL_MAX_RETRIES"))
    offline_latency_ms: int = Field(
        default=0, ge=0, validation_alias=_env("ADFORGE_OFFLINE_LATENCY_MS")
    )

    @property
    def openai_configured(self) -> bool:
        """True when a key or an OpenAI-compatible server is set: OpenAI becomes the default."""
        return self.openai_api_key is not None or self.openai_base_url is not None

    @property
    def api_key(self) -> str | None:
        """The OpenAI key in clear, for the client that sends it."""
        return self.openai_api_key.get_secret_value() if self.openai_api_key else None


class ImageSettings(_Section):
    """``ADFORGE_IMAGE_*``; unset numbers and model mean the OpenAI provider's defaults."""

    provider: Annotated[Literal["offline", "openai"] | None, _Lower] = Field(
        default=None, validation_alias=_env("ADFORGE_IMAGE_PROVIDER")
    )
    model: str | None = Field(default=None, validation_alias=_env("ADFORGE_IMAGE_MODEL"))
    timeout_s: float | None = Field(
        default=None, gt=0, validation_alias=_env("ADFORGE_IMAGE_TIMEOUT_S")
    )
    max_retries: int | None = Field(
        default=None, ge=0, validation_alias=_env("ADFORGE_IMAGE_MAX_RETRIES")
    )
    quality: str | None = Field(default=None, validation_alias=_env("ADFORGE_IMAGE_QUALITY"))


class HeyGenSettings(_Section):
    """``HEYGEN_*``: HeyGen renders the videos when ``HEYGEN_API_KEY`` is set."""

    api_key: SecretStr | None = Field(default=None, validation_alias=_env("HEYGEN_API_KEY"))
    base_url: str | None = Field(default=None, validation_alias=_env("HEYGEN_BASE_URL"))
    poll_interval_s: float = Field(
        default=10.0, ge=0, validation_alias=_env("HEYGEN_POLL_INTERVAL_S")
    )
    timeout_s: float = Field(default=30.0, gt=0, validation_alias=_env("HEYGEN_TIMEOUT_S"))
    render_timeout_s: float = Field(
        default=1200.0, gt=0, validation_alias=_env("HEYGEN_RENDER_TIMEOUT_S")
    )
    avatar_id: str | None = Field(default=None, validation_alias=_env("HEYGEN_AVATAR_ID"))
    voice_id: str | None = Field(default=None, validation_alias=_env("HEYGEN_VOICE_ID"))
    voice_language: str | None = Field(default=None, validation_alias=_env("HEYGEN_VOICE_LANGUAGE"))
    callback_url: str | None = Field(default=None, validation_alias=_env("HEYGEN_CALLBACK_URL"))
    webhook_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("HEYGEN_WEBHOOK_SECRET")
    )

    @property
    def enabled(self) -> bool:
        """True when videos render through HeyGen rather than the offline storyboard."""
        return self.api_key is not None


class MediaSettings(_Section):
    """The offline renderers: font source and storyboard frame rate."""

    fonts: Annotated[Literal["auto", "builtin", "system"], _Lower] = Field(
        default="auto", validation_alias=_env("ADFORGE_MEDIA_FONTS")
    )
    video_fps: int = Field(default=24, ge=1, le=60, validation_alias=_env("ADFORGE_VIDEO_FPS"))


class CopySettings(_Section):
    """The compliance gate: which placements' length limits copy is checked against."""

    placements: str | None = Field(default=None, validation_alias=_env("ADFORGE_PLACEMENTS"))


class OutboundSettings(_Section):
    """Calls to URLs a user chose (job callbacks): whether private addresses are allowed."""

    allow_private_callbacks: bool = Field(
        default=False, validation_alias=_env("ADFORGE_ALLOW_PRIVATE_CALLBACKS")
    )


class AdForgeSettings(BaseModel):
    """Everything graph/ and tools/ are configured with, one section per concern."""

    model_config = ConfigDict(frozen=True)

    model: ModelSettings = Field(default_factory=ModelSettings)
    images: ImageSettings = Field(default_factory=ImageSettings)
    heygen: HeyGenSettings = Field(default_factory=HeyGenSettings)
    media: MediaSettings = Field(default_factory=MediaSettings)
    copy_checks: CopySettings = Field(default_factory=CopySettings)
    outbound: OutboundSettings = Field(default_factory=OutboundSettings)

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> AdForgeSettings:
        """The tree from ``env`` alone (no process environment, no ``.env``): tests build theirs.

        Raises:
            SettingsError: naming every malformed variable of every section.
        """
        try:
            return cls.model_validate({name: _flat(env) for name in cls.model_fields})
        except ValidationError as error:
            raise _describe(error) from None


def read_settings(env_file: Path | None = ENV_FILE) -> AdForgeSettings:
    """The tree from the process environment and ``env_file``, read now.

    Raises:
        SettingsError: naming each malformed variable.
    """
    return AdForgeSettings.from_mapping(environment(env_file))


@lru_cache(maxsize=1)
def load_settings() -> AdForgeSettings:
    """The process's tree, read once (``load_settings.cache_clear()`` re-reads it)."""
    return read_settings()
