"""What a HeyGen account offers: avatar looks and voices, cached, and the voice a render uses.

Why a voice is always chosen here: under the targeted edition (:mod:`._heygen_edition`) a
script without ``voice_id`` falls back to the look's ``default_voice_id``, which may be null —
then HeyGen refuses the render. So the client never leaves the voice to HeyGen. In order: the
voice the user picked, the configured ``HEYGEN_VOICE_ID``, the look's ``default_voice_id``, or
the first public voice ``GET /v3/voices`` lists for the configured language and the look's
gender. When none is found the render fails with ``provider_no_voice`` before the paid call.

Both lists are cached for ``cache_s`` (the account's looks and HeyGen's voice library change
rarely, and the marketplace route asks on every request).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import quote

from tools.video_providers._heygen_wire import avatar_from_look, bad_response
from tools.video_providers.base import ProviderAvatar, VideoProviderError

__all__ = ["AVATAR_CACHE_S", "ChosenVoice", "HeyGenCatalog", "VoiceSource"]

AVATAR_CACHE_S = 600.0
"""How long the avatar and voice lists are reused before HeyGen is asked again."""
_AVATAR_LOOKS, _AVATAR_LOOK, _VOICES = "/v3/avatars/looks", "/v3/avatars/looks/{}", "/v3/voices"
_MAX_PAGES = 20
_LOOKS_PAGE, _VOICES_PAGE = "50", "100"  # the edition's maxima (1-50 and 1-100)

VoiceSource = Literal["request", "configured", "avatar_default", "voice_list"]


@dataclass(frozen=True, slots=True)
class ChosenVoice:
    """The voice a render speaks with, and why that one."""

    voice_id: str
    source: VoiceSource


class _Call(Protocol):
    def __call__(
        self, method: str, path: str, *, retry: bool, **kwargs: Any
    ) -> Awaitable[dict[str, Any]]: ...


class HeyGenCatalog:
    """Avatar looks and voices of one account, through the provider's API call."""

    def __init__(self, call: _Call, *, voice_language: str, cache_s: float = AVATAR_CACHE_S):
        self._call = call
        self.voice_language = voice_language
        self.cache_s = cache_s
        self._looks: dict[str, ProviderAvatar] = {}
        self._looks_at = 0.0
        self._voices: dict[tuple[str, str | None], tuple[float, str | None]] = {}
        self._fetching = asyncio.Lock()  # concurrent renders share one listing, not one each

    async def avatars(self) -> list[ProviderAvatar]:
        """Every avatar look on the account (public presets and the user's own), all pages."""
        async with self._fetching:
            if not self._looks or time.monotonic() - self._looks_at >= self.cache_s:
                looks = await self._pages(_AVATAR_LOOKS, {"limit": _LOOKS_PAGE}, "avatar list")
                self._looks = {a.id: a for a in map(avatar_from_look, looks)}
                self._looks_at = time.monotonic()
            return list(self._looks.values())

    async def look(self, avatar_id: str | None) -> ProviderAvatar:
        """The look to render: ``avatar_id`` (listed or fetched alone), else the first one."""
        if avatar_id is None:
            avatars = await self.avatars()
            if not avatars:
                raise VideoProviderError(
                    "provider_no_avatar",
                    "The HeyGen account has no avatars: create one, or set HEYGEN_AVATAR_ID.",
                    retryable=False,
                )
            return avatars[0]
        if avatar_id in self._looks:
            return self._looks[avatar_id]
        path = _AVATAR_LOOK.format(quote(avatar_id, safe=""))
        try:
            body = await self._call("GET", path, retry=True)
        except VideoProviderError as error:
            if error.status != 404:
                raise
            raise VideoProviderError(
                "provider_avatar_not_found",
                f"HeyGen has no avatar look {avatar_id!r} on this account: pick one from the "
                "avatar marketplace. Nothing was submitted.",
                retryable=False,
                status=404,
            ) from error
        data = body.get("data")
        if not isinstance(data, dict) or not data.get("id"):
            raise bad_response(f"the avatar look {avatar_id!r} came back without an id")
        look = avatar_from_look(data)
        self._looks.setdefault(look.id, look)
        return look

    async def voice(
        self, look: ProviderAvatar, *, requested: str | None, configured: str | None
    ) -> ChosenVoice:
        """The voice for ``look`` (see the module docstring for the order)."""
        if requested:
            return ChosenVoice(requested, "request")
        if configured:
            return ChosenVoice(configured, "configured")
        if look.default_voice_id:
            return ChosenVoice(look.default_voice_id, "avatar_default")
        gender = look.gender.lower() if look.gender.lower() in ("female", "male") else None
        listed = await self._listed_voice(gender)
        if listed is None:
            wanted = f"{gender} {self.voice_language}" if gender else self.voice_language
            raise VideoProviderError(
                "provider_no_voice",
                f"The HeyGen avatar {look.id!r} has no default voice and HeyGen lists no "
                f"{wanted} voice; set HEYGEN_VOICE_ID or HEYGEN_VOICE_LANGUAGE. Nothing was "
                "submitted, so nothing was charged.",
                retryable=False,
            )
        return ChosenVoice(listed, "voice_list")

    async def _listed_voice(self, gender: str | None) -> str | None:
        async with self._fetching:
            return await self._fetch_voice(gender)

    async def _fetch_voice(self, gender: str | None) -> str | None:
        key = (self.voice_language, gender)
        cached = self._voices.get(key)
        if cached is not None and time.monotonic() - cached[0] < self.cache_s:
            return cached[1]
        params = {"type": "public", "language": self.voice_language, "limit": _VOICES_PAGE}
        if gender:
            params["gender"] = gender
        body = await self._call("GET", _VOICES, retry=True, params=params)
        voices = body.get("data")
        if not isinstance(voices, list):
            raise bad_response("the voice list has no data array")
        ids = [v.get("voice_id") for v in voices if isinstance(v, dict)]
        chosen = next((i for i in ids if isinstance(i, str) and i), None)
        self._voices[key] = (time.monotonic(), chosen)
        return chosen

    async def _pages(self, path: str, params: dict[str, str], what: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token: str | None = None
        for _ in range(_MAX_PAGES):
            body = await self._call(
                "GET", path, retry=True, params={**params, **({"token": token} if token else {})}
            )
            page = body.get("data")
            if not isinstance(page, list):
                raise bad_response(f"the {what} has no data array")
            items.extend(item for item in page if isinstance(item, dict))
            token = body.get("next_token") if body.get("has_more") else None
            if not token:
                break
        return items
