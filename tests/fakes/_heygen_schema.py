"""HeyGen v3 request schema, edition 2026-07-21, written from HeyGen's published OpenAPI spec.

Source: HeyGen's OpenAPI spec as synced into https://github.com/heygen-com/heygen-cli at commit
3905c9a (2026-07-21, "codegen: resync gen/ from EF fecc5497"): ``gen/video.go`` (``VideoCreate``
request schema, ``CreateVideoFromAvatar`` variant; ``VideoGet``), ``gen/avatar.go``
(``AvatarLooksList``, ``AvatarLooksGet``), ``gen/voice.go`` (``VoiceList``). Error envelope:
``{"error": {"code", "message", "param"?, "doc_url"}}``, 400 ``invalid_parameter``, 401
``unauthorized``, 404 ``not_found`` (developers.heygen.com/docs/error-codes, as quoted by the same
repository's README and ``internal/errors``). Idempotency-Key: 1–255 characters
``[A-Za-z0-9_\\-:.]`` (ads.md §4).

Strictness: this fake refuses what the edition does not document — an unknown body field or
query parameter, a value outside an enum, a wrong JSON type, a missing required field — with
the documented 400 envelope. The spec does not say ``additionalProperties: false``; refusing
unknown fields is stricter than HeyGen may be, which is the point: the client must send nothing
the edition does not name. One rule is inferred rather than quoted: ``voice_id`` is "Required
when script is provided, unless avatar_id is set (the avatar's default voice is used as
fallback)", and a look's ``default_voice_id`` is nullable, so a script for a look without a
default voice and without ``voice_id`` is refused.

Written independently of ``tools/video_providers``: the fake must encode the documentation,
not the client's assumptions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AVATAR_FIELDS",
    "LOOKS_QUERY",
    "Refusal",
    "VOICES_QUERY",
    "check_body",
    "check_idempotency_key",
    "check_query",
    "frame_for",
]

EDITION = "2026-07-21"
DOCS = "https://developers.heygen.com/docs/error-codes"

_STR, _OBJ, _BOOL = "string", "object", "boolean"
AVATAR_FIELDS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    # name: (JSON type, enum or None) — every property of CreateVideoFromAvatar in the edition.
    "type": (_STR, ("avatar",)),
    "avatar_id": (_STR, None),
    "script": (_STR, None),
    "voice_id": (_STR, None),
    "voice_settings": (_OBJ, None),
    "audio_url": (_STR, None),
    "audio_asset_id": (_STR, None),
    "title": (_STR, None),
    "callback_id": (_STR, None),
    "callback_url": (_STR, None),
    "resolution": (_STR, ("4k", "1080p", "720p")),
    "aspect_ratio": (_STR, ("16:9", "9:16", "4:5", "5:4", "1:1", "auto")),
    "background": (_OBJ, None),
    "caption": (_OBJ, None),
    "engine": (_OBJ, None),
    "expressiveness": (_STR, ("high", "medium", "low")),
    "fit": (_STR, ("contain", "cover")),
    "motion_prompt": (_STR, None),
    "output_format": (_STR, ("mp4", "webm")),
    "remove_background": (_BOOL, None),
    "watermark": (_OBJ, None),
}
AVATAR_REQUIRED = ("type", "avatar_id")
_NOT_NULLABLE = ("type", "avatar_id", "output_format")

# query parameter: (enum or None, (min, max) for integers or None)
LOOKS_QUERY: dict[str, tuple[tuple[str, ...] | None, tuple[int, int] | None]] = {
    "group_id": (None, None),
    "avatar_type": (("studio_avatar", "digital_twin", "photo_avatar"), None),
    "ownership": (("public", "private"), None),
    "limit": (None, (1, 50)),
    "token": (None, None),
}
VOICES_QUERY: dict[str, tuple[tuple[str, ...] | None, tuple[int, int] | None]] = {
    "type": (("public", "private"), None),
    "engine": (None, None),
    "language": (None, None),
    "gender": (None, None),
    "limit": (None, (1, 100)),
    "token": (None, None),
}
_SHORT_EDGE = {"720p": 720, "1080p": 1080, "4k": 2160}
_RATIOS = {"16:9": (16, 9), "9:16": (9, 16), "4:5": (4, 5), "5:4": (5, 4), "1:1": (1, 1)}
_KEY = re.compile(r"^[A-Za-z0-9_\-:.]{1,255}$")
_JSON_TYPES: dict[str, type | tuple[type, ...]] = {_STR: str, _OBJ: dict, _BOOL: bool}


@dataclass(frozen=True)
class Refusal:
    """One documented error answer."""

    status: int
    code: str
    message: str
    param: str | None = None

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.param is not None:
            error["param"] = self.param
        error["doc_url"] = f"{DOCS}#{self.code.replace('_', '-')}"
        return {"error": error}


def invalid(message: str, param: str | None) -> Refusal:
    return Refusal(400, "invalid_parameter", message, param)


def check_body(body: Any, looks: Mapping[str, Mapping[str, Any]]) -> Refusal | None:
    """The refusal HeyGen documents for this create-video body, or None when it is valid."""
    if not isinstance(body, dict):
        return invalid("Request body must be a JSON object", None)
    if body.get("type") != "avatar":
        # The edition also has image / cinematic_avatar / studio variants; this fake has avatars.
        return invalid("type must be one of: avatar, image, cinematic_avatar, studio", "type")
    for name, value in body.items():
        if name not in AVATAR_FIELDS:
            return invalid(f"Unknown field '{name}'", name)
        kind, enum = AVATAR_FIELDS[name]
        if value is None:
            if name in _NOT_NULLABLE:
                return invalid(f"{name} must not be null", name)
            continue
        if not isinstance(value, _JSON_TYPES[kind]):
            return invalid(f"{name} must be a {kind}", name)
        if enum is not None and value not in enum:
            return invalid(f"{name} must be one of: {', '.join(enum)}", name)
    for name in AVATAR_REQUIRED:
        if name not in body:
            return invalid(f"Field required: {name}", name)
    return _check_speech(body, looks)


def _check_speech(body: dict[str, Any], looks: Mapping[str, Mapping[str, Any]]) -> Refusal | None:
    look = looks.get(body["avatar_id"])
    if look is None:
        return Refusal(404, "not_found", f"Avatar look {body['avatar_id']!r} not found")
    script, audio = body.get("script"), body.get("audio_url") or body.get("audio_asset_id")
    if script is not None and audio:
        return invalid("script is mutually exclusive with audio_url/audio_asset_id", "script")
    if audio:
        return None
    if not isinstance(script, str) or not script.strip():
        return invalid("Provide script or audio_url/audio_asset_id", "script")
    if not body.get("voice_id") and not look.get("default_voice_id"):
        return invalid(
            f"voice_id is required: avatar {body['avatar_id']!r} has no default voice", "voice_id"
        )
    return None


def check_query(
    params: Mapping[str, str],
    schema: Mapping[str, tuple[tuple[str, ...] | None, tuple[int, int] | None]],
) -> Refusal | None:
    """The refusal for a list call's query string, or None."""
    for name, value in params.items():
        if name not in schema:
            return invalid(f"Unknown query parameter '{name}'", name)
        enum, bounds = schema[name]
        if enum is not None and value not in enum:
            return invalid(f"{name} must be one of: {', '.join(enum)}", name)
        if bounds is not None:
            low, high = bounds
            if not value.isdigit() or not low <= int(value) <= high:
                return invalid(f"{name} must be an integer between {low} and {high}", name)
    return None


def check_idempotency_key(key: str | None) -> Refusal | None:
    if key is None or _KEY.match(key):
        return None
    return invalid("Idempotency-Key must be 1-255 characters of [A-Za-z0-9_-:.]", "Idempotency-Key")


def frame_for(body: Mapping[str, Any], look: Mapping[str, Any]) -> tuple[int, int]:
    """The frame HeyGen renders: short edge from ``resolution``, long edge from the ratio.

    The spec's words for ``auto`` ("short-edge anchored to the requested resolution and capped
    at the tier's long edge") are read as the rule for every ratio; ``auto`` uses the look's
    native ``image_width``/``image_height`` and falls back to 16:9, as documented.
    """
    short = _SHORT_EDGE[body.get("resolution") or "1080p"]
    ratio = body.get("aspect_ratio") or "16:9"
    if ratio == "auto":
        w, h = look.get("image_width"), look.get("image_height")
        rw, rh = (w, h) if isinstance(w, int) and isinstance(h, int) and w and h else (16, 9)
    else:
        rw, rh = _RATIOS[ratio]
    long = 2 * round(short * max(rw, rh) / min(rw, rh) / 2)
    return (short, long) if rw < rh else (long, short) if rw > rh else (short, short)
