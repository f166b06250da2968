"""Model selection: one ``provider:model`` string names the chat model every node uses.

``openai:<model>`` builds the real ``ChatOpenAI`` client (any OpenAI-compatible server through
``OPENAI_BASE_URL``); ``offline:<name>`` builds the local deterministic creative engine. The default
is ``openai:gpt-4.1`` when ``OPENAI_API_KEY`` or ``OPENAI_BASE_URL`` is set and the offline engine
otherwise, so a fresh checkout runs end to end with no keys and no network.

Key, base URL, timeout and retries come from the model section of the settings tree
(``tools.settings``): the caller's, or the process's (``load_settings()``: the environment and
``.env``, read once), which is what the server and ``langgraph dev`` both read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from langchain_core.language_models import BaseChatModel

from graph.offline_model import OfflineCreativeModel
from tools.creative.engine import OFFLINE_MODEL_NAME
from tools.settings import ModelSettings, load_settings

__all__ = [
    "DEFAULT_OPENAI_MODEL",
    "OFFLINE_MODEL_SPEC",
    "ModelSpec",
    "ModelSpecError",
    "default_model_spec",
    "load_chat_model",
    "parse_model_spec",
]

log = logging.getLogger(__name__)

DEFAULT_OPENAI_MODEL = "openai:gpt-4.1"
OFFLINE_MODEL_SPEC = f"offline:{OFFLINE_MODEL_NAME}"
_PROVIDERS = ("openai", "offline")


class ModelSpecError(ValueError):
    """A model string that names no provider we can build."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A parsed ``provider:model`` string."""

    provider: str
    name: str

    @property
    def offline(self) -> bool:
        """True for the local deterministic engine, which must be labelled offline everywhere."""
        return self.provider == "offline"

    def __str__(self) -> str:
        return f"{self.provider}:{self.name}"


def parse_model_spec(spec: str) -> ModelSpec:
    """Parse ``provider:model``; a bare model name means OpenAI, as in LangChain's init_chat_model."""
    provider, sep, name = spec.strip().partition(":")
    if not sep:
        provider, name = "openai", provider
    provider = provider.lower()
    if provider not in _PROVIDERS or not name:
        raise ModelSpecError(
            f"unknown model {spec!r}: use 'openai:<model>' or '{OFFLINE_MODEL_SPEC}'"
        )
    return ModelSpec(provider, name)


def default_model_spec(settings: ModelSettings | None = None) -> str:
    """The model to use when nothing names one: ADFORGE_MODEL, else OpenAI if configured, else offline."""
    model = settings or load_settings().model
    if model.model:
        return model.model
    return DEFAULT_OPENAI_MODEL if model.openai_configured else OFFLINE_MODEL_SPEC


def load_chat_model(spec: str, settings: ModelSettings | None = None) -> BaseChatModel:
    """Build (once per spec and settings) the chat model a spec names.

    ``settings`` defaults to the process's tree (see the module docstring).
    """
    model = settings or load_settings().model
    return _build(
        parse_model_spec(spec),
        model.openai_base_url,
        model.api_key,
        model.timeout_s,
        model.max_retries,
        model.offline_latency_ms,
    )


@lru_cache(maxsize=16)
def _build(
    spec: ModelSpec,
    base_url: str | None,
    api_key: str | None,
    timeout_s: float,
    max_retries: int,
    offline_latency_ms: int,
) -> BaseChatModel:
    if spec.offline:
        log.info("model %s: offline deterministic creative engine (no network)", spec)
        return OfflineCreativeModel(model_name=str(spec), latency_ms=offline_latency_ms)
    from langchain_openai import ChatOpenAI  # deferred: a 3 s import the offline path never needs

    log.info("model %s: OpenAI-compatible API at %s", spec, base_url or "api.openai.com")
    return ChatOpenAI(
        model=spec.name,
        base_url=base_url,
        # ChatOpenAI refuses to build without a key even for a local base_url; a local
        # OpenAI-compatible server usually ignores it.
        api_key=api_key or "sk-local-no-key",
        timeout=timeout_s,
        max_retries=max_retries,
        use_responses_api=False,
    )
