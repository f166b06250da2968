"""Images API (`POST /v1/images/generations`) request validation and response bodies.

Edition: the Images API as openai-python 3.54.0 documents it (`src/openai/types/
image_generate_params.py` and `image_model.py`, generated from OpenAI's OpenAPI spec; the SDK
version pinned in requirements.lock). Validation is strict: a parameter the edition does not
list is refused (`unknown_parameter`), `model` is required ("Specify a model explicitly"), a
retired model (`gpt-image-1`, shut down 2026-10-23; `dall-e-2`/`dall-e-3`, retired 2026-05-12)
or an unknown one is `model_not_found`, enums are checked, and `response_format`/`style` ("Legacy
… for retired image models. Unsupported for GPT image models") are refused. Sizes: the
gpt-image-2 and 2.5 models listed as taking arbitrary sizes accept any `WxH` with both sides
divisible by 16, an aspect ratio between 1:3 and 3:1 and at most 3840x2160; every other GPT
image model (1.5, 1-mini, chatgpt-image-latest, the 2.6 line, whose rules are not documented)
only the standard sizes and `auto`. The pictures are real files made with Pillow: a solid colour
(stable per prompt) with a centred square in the inverse colour, so crop/resize code has
something to check.
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

FLEXIBLE_SIZE_MODELS = frozenset(
    {
        "gpt-image-2",
        "gpt-image-2-2026-04-21",
        "gpt-image-2.5-sunburst",
        "gpt-image-2.5-sunburst-2026-09-08",
        "gpt-image-2.5-flare",
        "gpt-image-2.5-flare-2026-09-08",
    }
)
FIXED_SIZE_MODELS = frozenset(
    {
        "gpt-image-1.5",
        "gpt-image-1-mini",
        "chatgpt-image-latest",
        "gpt-image-2.6-sunburst",
        "gpt-image-2.6-flare",
    }
)
FIXED_SIZES = ("1024x1024", "1024x1536", "1536x1024", "auto")
KNOWN_PARAMETERS = frozenset(
    {
        "prompt",
        "background",
        "complexity",
        "frame_count",
        "frame_duration_ms",
        "model",
        "moderation",
        "n",
        "output_compression",
        "output_format",
        "partial_images",
        "quality",
        "response_format",
        "safety_identifier",
        "size",
        "stream",
        "style",
        "svg",
        "user",
    }
)
_LEGACY = ("response_format", "style")
_EXTRA_QUALITIES = ("xhigh", "max")
MAX_LONG_EDGE, MAX_SHORT_EDGE = 3840, 2160
PROMPT_MAX_CHARS = 32000
_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
_QUALITY_TOKENS_PER_MEGAPIXEL = {
    "low": 272,
    "medium": 1056,
    "high": 4160,
    "xhigh": 8320,
    "max": 16640,
}
_SIZE = re.compile(r"^(\d+)x(\d+)$")


def validate_image_request(body: dict[str, Any]) -> FakeError | None:
    """Return the error OpenAI would send for this body, or None when it is acceptable."""
    unknown = sorted(set(body) - KNOWN_PARAMETERS) + [p for p in _LEGACY if p in body]
    if unknown:
        return invalid_request(
            f"Unknown parameter: '{unknown[0]}'.", param=unknown[0], code="unknown_parameter"
        )
    for name in ("prompt", "model"):
        if not isinstance(body.get(name), str) or not body[name]:
            return invalid_request(
                f"Missing required parameter: '{name}'.",
                param=name,
                code="missing_required_parameter",
            )
    model, prompt = str(body["model"]), str(body["prompt"])
    if model not in FLEXIBLE_SIZE_MODELS | FIXED_SIZE_MODELS:
        return FakeError(
            404,
            f"The model '{model}' does not exist or you do not have access to it.",
            "invalid_request_error",
            code="model_not_found",
        )
    if len(prompt) > PROMPT_MAX_CHARS:
        return invalid_request(
            f"Invalid 'prompt': string too long. Expected a string with maximum length "
            f"{PROMPT_MAX_CHARS}, but got a string with length {len(prompt)} instead.",
            param="prompt",
            code="string_above_max_length",
        )
    return _validate_values(model, body) or _validate_size(model, str(body.get("size", "auto")))


def _validate_values(model: str, body: dict[str, Any]) -> FakeError | None:
    for name, low, high in (("n", 1, 10), ("output_compression", 0, 100), ("partial_images", 0, 3)):
        value = body.get(name, low)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return _invalid(name, value, f"an integer between {low} and {high}")
    qualities = ("low", "medium", "high", "auto")
    if model.startswith("gpt-image-2.5-"):
        qualities += _EXTRA_QUALITIES
    for name, allowed in (
        ("output_format", tuple(_FORMATS)),
        ("quality", qualities),
        ("background", ("transparent", "opaque", "auto")),
        ("moderation", ("low", "auto")),
        ("complexity", ("low", "medium", "high")),
        ("stream", (False, True)),
    ):
        if name in body and body[name] not in allowed:
            return _invalid(name, body[name], "one of " + ", ".join(map(repr, allowed)))
    if body.get("background") == "transparent" and body.get("output_format") == "jpeg":
        return invalid_request(
            "Transparent background requires output_format 'png' or 'webp'.",
            param="background",
            code="invalid_value",
        )
    return None


def _validate_size(model: str, size: str) -> FakeError | None:
    if model in FIXED_SIZE_MODELS:
        if size in FIXED_SIZES:
            return None
        return _invalid("size", size, "one of " + ", ".join(map(repr, FIXED_SIZES)))
    if size == "auto":
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
