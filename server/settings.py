"""Server settings from the environment (every variable is listed in the README).

Obtained through ``get_settings()`` and injected, never read from module globals, so tests build an
app with their own ``Settings`` and nothing leaks between them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import AliasChoices, Field, PrivateAttr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.models import default_model_spec, parse_model_spec
from tools.settings import AdForgeSettings, environment

__all__ = ["Settings", "get_settings"]


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Everything the server reads from its environment, with embedded defaults."""

    model_config = SettingsConfigDict(
        env_file=".env", env_ignore_empty=True, extra="ignore", populate_by_name=True
    )

    host: str = Field(default="127.0.0.1", validation_alias=_env("ADFORGE_HOST", "HOST"))
    port: int = Field(default=8003, ge=1, le=65535, validation_alias=_env("PORT", "ADFORGE_PORT"))
    data_dir: Path = Field(default=Path("data"), validation_alias=_env("ADFORGE_DATA_DIR"))
    model: str | None = Field(default=None, validation_alias=_env("ADFORGE_MODEL"))
    openai_api_key: str | None = Field(default=None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(default=None, validation_alias=_env("OPENAI_BASE_URL"))
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", validation_alias=_env("ADFORGE_LOG_LEVEL")
    )
    sqlite_busy_timeout_ms: int = Field(
        default=30_000, ge=0, validation_alias=_env("ADFORGE_SQLITE_BUSY_TIMEOUT_MS")
    )
    api_keys: str | None = Field(default=None, validation_alias=_env("ADFORGE_API_KEYS"))

    video_fps: int = Field(default=24, ge=1, le=60, validation_alias=_env("ADFORGE_VIDEO_FPS"))
    job_workers: int = Field(default=2, ge=1, le=16, validation_alias=_env("ADFORGE_JOB_WORKERS"))
    webhook_secret: str | None = Field(
        default=None, validation_alias=_env("ADFORGE_WEBHOOK_SECRET")
    )

    # Security and hostile input (issue 13): every limit a request meets, in one block.
    max_body_bytes: int = Field(
        default=1_000_000, ge=1, validation_alias=_env("ADFORGE_MAX_BODY_BYTES")
    )
    max_json_depth: int = Field(default=32, ge=2, validation_alias=_env("ADFORGE_MAX_JSON_DEPTH"))
    max_json_items: int = Field(
        default=1_000, ge=1, validation_alias=_env("ADFORGE_MAX_JSON_ITEMS")
    )
    media_secret: str | None = Field(default=None, validation_alias=_env("ADFORGE_MEDIA_SECRET"))
    media_url_ttl_s: int = Field(
        default=3600, ge=60, validation_alias=_env("ADFORGE_MEDIA_URL_TTL_S")
    )
    cors_origins: str | None = Field(default=None, validation_alias=_env("ADFORGE_CORS_ORIGINS"))
    rate_limit_messages: str = Field(
        default="10/minute", validation_alias=_env("ADFORGE_RATE_LIMIT_MESSAGES")
    )
    rate_limit_renders: str = Field(
        default="20/hour", validation_alias=_env("ADFORGE_RATE_LIMIT_RENDERS")
    )
    redis_url: str | None = Field(default=None, validation_alias=_env("ADFORGE_REDIS_URL"))
    jwt_issuer: str | None = Field(default=None, validation_alias=_env("ADFORGE_JWT_ISSUER"))
    jwt_audience: str | None = Field(default=None, validation_alias=_env("ADFORGE_JWT_AUDIENCE"))
    jwt_jwks_url: str | None = Field(default=None, validation_alias=_env("ADFORGE_JWT_JWKS_URL"))
    jwt_public_key: str | None = Field(
        default=None, validation_alias=_env("ADFORGE_JWT_PUBLIC_KEY")
    )
    jwt_user_claim: str = Field(default="sub", validation_alias=_env("ADFORGE_JWT_USER_CLAIM"))

    crash_at: str | None = Field(
        default=None,
        validation_alias=_env("ADFORGE_CRASH_AT"),
        description="Fault injection for tests: SIGKILL at this crash point (server.core.faults)",
    )
    # Operations (issue 15): /metrics, log format, session expiry.
    metrics: Literal["off", "on"] = Field(default="off", validation_alias=_env("ADFORGE_METRICS"))
    metrics_token: str | None = Field(default=None, validation_alias=_env("ADFORGE_METRICS_TOKEN"))
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto", validation_alias=_env("ADFORGE_LOG_FORMAT")
    )
    session_ttl_h: float = Field(default=24.0, ge=0, validation_alias=_env("ADFORGE_SESSION_TTL_H"))

    # The settings tree of graph/ and tools/ (model, images, heygen, media), read from the same
    # environment and .env at construction, so a malformed value fails at start-up. The fields
    # above that the tree also holds (model, OpenAI key and URL, video fps) win: a test's
    # Settings(ADFORGE_VIDEO_FPS=12) renders at 12 fps.
    _tree: AdForgeSettings = PrivateAttr()

    @model_validator(mode="after")
    def _read_tree(self) -> Self:
        shared = {
            "ADFORGE_MODEL": self.model,
            "OPENAI_API_KEY": self.openai_api_key,
            "OPENAI_BASE_URL": self.openai_base_url,
            "ADFORGE_VIDEO_FPS": str(self.video_fps),
        }
        self._tree = AdForgeSettings.from_mapping(
            {
                **environment(),
                **{name: value for name, value in shared.items() if value is not None},
            }
        )
        return self

    @property
    def tree(self) -> AdForgeSettings:
        """The sections the runtime builds its providers from and the model spec comes from.

        The graph's nodes resolve key, base URL and retries of that model from the process's tree
        (``tools.settings.load_settings``): the same environment and ``.env``.
        """
        return self._tree

    @property
    def media_dir(self) -> Path:
        """Rendered images and videos, served under /media."""
        return self.data_dir / "media"

    @property
    def database_path(self) -> Path:
        """The one SQLite file holding checkpoints and the event log."""
        return self.data_dir / "adforge.sqlite"

    @property
    def model_spec(self) -> str:
        """The chat model in use: ADFORGE_MODEL, else OpenAI when configured, else offline."""
        return str(parse_model_spec(default_model_spec(self.tree.model)))

    @property
    def offline(self) -> bool:
        """True when content comes from the local deterministic engine."""
        return parse_model_spec(self.model_spec).offline


@lru_cache
def get_settings() -> Settings:
    """Settings from the process environment, read once."""
    return Settings()
