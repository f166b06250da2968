r"""Checks on hostile JSON and text, shared by the request guard and the WebSocket.

Python's ``json`` recurses once per nesting level, so 10,000 nested brackets raise
``RecursionError`` (a 500) before any model sees them; the depth is therefore counted on the raw
bytes first, with strings skipped, and only a document within the limit is parsed. Lone
surrogates (``"\ud800"``) parse into a ``str`` that cannot be encoded as UTF-8 and fail later,
deep in SQLite or a response encoder; NUL bytes end strings in C libraries and logs. Both are
refused with 422 wherever text enters (design invariant 10), as is any array or object larger
than the configured number of items (``context`` and ``selections`` are free-form objects).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from annotated_types import MaxLen

from server.core.commands.messages import MessageCreate
from server.core.errors import ApiError
from server.settings import Settings

__all__ = [
    "InputLimits",
    "check_json_bytes",
    "check_text",
    "input_limits",
    "loads_checked",
    "message_limit",
]

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class InputLimits:
    """The size limits of one request (``Settings`` fields of the same names)."""

    max_body_bytes: int = 1_000_000
    max_json_depth: int = 32
    max_json_items: int = 1_000


def input_limits(settings: Settings) -> InputLimits:
    """The limits ``settings`` configure."""
    return InputLimits(
        max_body_bytes=settings.max_body_bytes,
        max_json_depth=settings.max_json_depth,
        max_json_items=settings.max_json_items,
    )


def _invalid(message: str) -> ApiError:
    return ApiError(422, "invalid_request", message)


def message_limit() -> int:
    """The longest chat message, in characters: ``MessageCreate.message``'s constraint.

    Read from the model so the Ad Forge API, the WebSocket and ChatKit refuse at one length.
    """
    for constraint in MessageCreate.model_fields["message"].metadata:
        if isinstance(constraint, MaxLen):
            return int(constraint.max_length)
    raise RuntimeError("MessageCreate.message has no max_length")


def _depth(body: bytes) -> int:
    deepest = depth = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', body)):
        depth += 1 if match.group() in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


def check_text(value: str, where: str = "text") -> None:
    """Refuse a NUL character or a lone surrogate in ``value`` with a 422."""
    if found := _BAD_CHAR.search(value):
        kind = "a NUL character" if found.group() == "\x00" else "a lone UTF-16 surrogate"
        raise _invalid(f"{where} contains {kind}; send valid Unicode text")


def _walk(value: Any, limits: InputLimits) -> None:
    # Recursion is bounded: the depth was checked before parsing.
    if isinstance(value, str):
        check_text(value, "a string")
    elif isinstance(value, dict | list):
        if len(value) > limits.max_json_items:
            raise _invalid(
                f"an array or object has {len(value)} items; at most "
                f"{limits.max_json_items} are accepted"
            )
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str):
                check_text(key, "an object key")
            _walk(item, limits)


def check_json_bytes(body: bytes, limits: InputLimits) -> Any:
    """Check a JSON document within the limits and return it parsed.

    Returns ``None`` for a body that is not JSON at all: the route's parser answers that in its own
    words (422 ``invalid_request``, or ChatKit's 400 ``invalid_json``).

    Raises:
        ApiError: 422 for nesting deeper than ``max_json_depth``, an array or object over
            ``max_json_items``, or a NUL or lone surrogate in any string or key.
    """
    depth = _depth(body)
    if depth > limits.max_json_depth:
        raise _invalid(
            f"the JSON is nested {depth} levels deep; at most {limits.max_json_depth} are accepted"
        )
    try:
        value = json.loads(body)
    except ValueError:
        return None
    _walk(value, limits)
    return value


def loads_checked(raw: str, limits: InputLimits) -> Any:
    """``json.loads`` for a WebSocket frame, with the checks of ``check_json_bytes``.

    Raises:
        ApiError: 422 as ``check_json_bytes``, also for a frame that is not JSON.
    """
    encoded = raw.encode("utf-8", "surrogatepass")
    if len(encoded) > limits.max_body_bytes:
        raise ApiError(
            413,
            "payload_too_large",
            f"the frame is {len(encoded)} bytes; at most {limits.max_body_bytes} are accepted",
        )
    value = check_json_bytes(encoded, limits)
    if value is None:
        raise _invalid("each WebSocket frame must be a JSON object")
    return value
