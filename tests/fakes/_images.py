"""Images API (`POST /v1/images/generations`) request validation and response bodies.

Validation mirrors the documented gpt-image rules (see ads.md §6) so that code choosing
sizes is tested against the same limits as production: gpt-image-1-family models accept
only four sizes; gpt-image-2-family models accept any `WxH` with both sides divisible by
16, an aspect ratio between 1:3 and 3:1 and at most 3840x2160. Other models (DALL·E) are
not validated. The pictures are real files made with Pillow: a solid colour (stable per
prompt) with a centred square in the inverse colour, so crop/resize code has something to
check.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import time
from typing import Any

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from .openai_replies import FakeError, FakeImageReply, invalid_request

FIXED_SIZE_MODELS = ("gpt-image-1", "chatgpt-image")
FIXED_SIZES = ("1024x1024", "1024x1536", "1536x1024", "auto")
FLEXIBLE_SIZE_MODELS = ("gpt-image-2",)
MAX_LONG_EDGE, MAX_SHORT_EDGE = 3840, 2160
PROMPT_MAX_CHARS = 32000
_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
_QUALITY_TOKENS_PER_MEGAPIXEL = {"low": 272, "medium": 1056, "high": 4160}
_SIZE = re.compile(r"^(\d+)x(\d+)$")


def validate_image_request(body: dict[str, Any]) -> FakeError | None:
    """Return the 400 OpenAI would send for this body, or None when it is acceptable."""
    model = str(body.get("model") or "dall-e-2")
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt:
        return invalid_request(
            "Missing required parameter: 'prompt'.",
            param="prompt",
            code="missing_required_parameter",
        )
    if not model.startswith(("gpt-image", "chatgpt-image")):
        return None
    if len(prompt) > PROMPT_MAX_CHARS:
        return invalid_request(
            f"Invalid 'prompt': string too long. Expected a string with maximum length "
            f"{PROMPT_MAX_CHARS}, but got a string with length {len(prompt)} instead.",
            param="prompt",
            code="string_above_max_length",
        )
    if "response_format" in body:
        return invalid_request(
            "Unknown parameter: 'response_format'.",
            param="response_format",
            code="unknown_parameter",
        )
    n = body.get("n", 1)
    if not isinstance(n, int) or not 1 <= n <= 10:
        return _invalid("n", n, "an integer between 1 and 10")
    for name, allowed in (
        ("output_format", tuple(_FORMATS)),
        ("quality", ("low", "medium", "high", "auto")),
        ("background", ("transparent", "opaque", "auto")),
        ("moderation", ("low", "auto")),
    ):
        if name in body and body[name] not in allowed:
            return _invalid(name, body[name], "one of " + ", ".join(map(repr, allowed)))
    if body.get("background") == "transparent" and body.get("output_format") == "jpeg":
        return invalid_request(
            "Transparent background requires output_format 'png' or 'webp'.",
            param="background",
            code="invalid_value",
        )
    return _validate_size(model, str(body.get("size", "auto")))


def _validate_size(model: str, size: str) -> FakeError | None:
    if model.startswith(FIXED_SIZE_MODELS):
        if size in FIXED_SIZES:
            return None
        return _invalid("size", size, "one of " + ", ".join(map(repr, FIXED_SIZES)))
    if not model.startswith(FLEXIBLE_SIZE_MODELS) or size == "auto":
        return None
    match = _SIZE.match(size)
    if match is None:
        return _invalid("size", size, "'auto' or 'WIDTHxHEIGHT'")
    width, height = int(match[1]), int(match[2])
    problem = None
    if width % 16 or height % 16:
        problem = (
            f"width and height must both be multiples of 16 "
            f"(nearest valid: {_round16(width)}x{_round16(height)})"
        )
    elif min(width, height) == 0 or max(width, height) > 3 * min(width, height):
        problem = "the aspect ratio must be between 1:3 and 3:1"
    elif max(width, height) > MAX_LONG_EDGE or min(width, height) > MAX_SHORT_EDGE:
        problem = f"the maximum size is {MAX_LONG_EDGE}x{MAX_SHORT_EDGE} (or its portrait twin)"
    if problem is None:
        return None
    return invalid_request(
        f"Invalid size '{size}' for model '{model}': {problem}.", param="size", code="invalid_value"
    )


def images_body(body: dict[str, Any], reply: FakeImageReply) -> dict[str, Any]:
    """The `ImagesResponse` for a validated request, with real encoded pictures."""
    size = str(body.get("size", "auto"))
    width, height = (1024, 1024) if size == "auto" else map(int, size.split("x"))
    output_format = str(body.get("output_format", "png"))
    quality = str(body.get("quality", "auto"))
    quality = "medium" if quality == "auto" else quality
    background = "transparent" if body.get("background") == "transparent" else "opaque"
    prompt = str(body["prompt"])
    n = int(body.get("n", 1))
    picture = render_image(
        width,
        height,
        output_format,
        color=reply.color or _color_for(prompt),
        transparent=background == "transparent",
        prompt=prompt,
        compression=body.get("output_compression"),
    )
    item: dict[str, Any] = {"b64_json": base64.b64encode(picture).decode("ascii")}
    if reply.revised_prompt is not None:
        item["revised_prompt"] = reply.revised_prompt
    text_tokens = max(1, len(prompt) // 4)
    per_image = round(_QUALITY_TOKENS_PER_MEGAPIXEL[quality] * width * height / 1024**2)
    return {
        "created": int(time.time()),
        "background": background,
        "data": [item] * n,
        "output_format": output_format,
        "quality": quality,
        "size": f"{width}x{height}",
        "usage": {
            "input_tokens": text_tokens,
            "input_tokens_details": {"image_tokens": 0, "text_tokens": text_tokens},
            "output_tokens": per_image * n,
            "total_tokens": text_tokens + per_image * n,
        },
    }


def render_image(
    width: int,
    height: int,
    output_format: str = "png",
    *,
    color: tuple[int, int, int] = (200, 120, 80),
    transparent: bool = False,
    prompt: str = "",
    compression: Any = None,
) -> bytes:
    """Encode a solid picture with a centred inverse-colour square in the given format."""
    mode = "RGBA" if transparent and output_format != "jpeg" else "RGB"
    fill = (*color, 0) if mode == "RGBA" else color
    image = Image.new(mode, (width, height), fill)
    side = min(width, height) // 4
    left, top = (width - side) // 2, (height - side) // 2
    inverse = tuple(255 - c for c in color)
    ImageDraw.Draw(image).rectangle(
        (left, top, left + side - 1, top + side - 1),
        fill=(*inverse, 255) if mode == "RGBA" else inverse,
    )
    out = io.BytesIO()
    if output_format == "png":
        info = PngInfo()
        info.add_text("fake-openai-prompt", prompt[:500])
        image.save(out, format="PNG", pnginfo=info, compress_level=1)
    else:
        quality = int(compression) if isinstance(compression, int) else 90
        image.save(out, format=_FORMATS[output_format], quality=quality)
    return out.getvalue()


def _color_for(prompt: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(prompt.encode()).digest()
    return digest[0], digest[1], digest[2]


def _round16(value: int) -> int:
    return max(16, round(value / 16) * 16)


def _invalid(param: str, value: Any, expected: str) -> FakeError:
    return invalid_request(
        f"Invalid value: {value!r}. Supported values are: {expected}.",
        param=param,
        code="invalid_value",
    )
