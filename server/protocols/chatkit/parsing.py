"""Parsing a ``POST /chatkit`` body: the typed request, its text, its options — or a 4xx.

openai-chatkit would raise out of ``process()`` on a bad body (a 500); parsing here first turns
every malformed request into the Ad Forge error shape before anything is decided or recorded.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from chatkit.types import (
    ChatKitReq,
    NonStreamingReq,
    StreamingReq,
    UserMessageInput,
    UserMessageTagContent,
)
from pydantic import TypeAdapter, ValidationError

from server.http.errors import ApiError
from server.http.input_checks import message_limit
from server.protocols.chatkit.context import ThreadOptions

__all__ = ["MAX_PAGE", "REQUEST_TYPES", "invalid", "options_of", "parse", "text_of"]

MAX_PAGE = 100

_REQUEST: TypeAdapter[Any] = TypeAdapter(ChatKitReq)
REQUEST_TYPES = tuple(
    cls.model_fields["type"].default for cls in get_args(StreamingReq) + get_args(NonStreamingReq)
)
"""Every request ``type`` of the installed openai-chatkit (16 in 1.6.5)."""
MAX_PAGE = 100


def invalid(message: str) -> ApiError:
    """A 422 ``invalid_request`` naming what is wrong with a ChatKit request."""
    return ApiError(422, "invalid_request", message)


def parse(body: bytes) -> Any:
    """The typed request, or a 400/422 ``ApiError`` naming what is wrong."""
    try:
        raw = json.loads(body or b"null")
    except ValueError as error:
        raise ApiError(400, "invalid_json", f"the body is not JSON: {error}") from error
    if not isinstance(raw, dict) or "type" not in raw:
        raise invalid('a ChatKit request is a JSON object {"type", "params"}')
    if raw["type"] not in REQUEST_TYPES:
        known = ", ".join(REQUEST_TYPES)
        raise ApiError(
            400,
            "unsupported_request",
            f"unknown ChatKit request type {raw['type']!r}; known: {known}",
        )
    try:
        return _REQUEST.validate_python(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:5]
        )
        raise invalid(f"invalid {raw['type']} request: {problems}") from error


def text_of(input: UserMessageInput) -> str:
    """The message's text (tags only when nothing else); attachments and over-long text refused."""
    if input.attachments:
        raise ApiError(400, "not_supported", "attachments are not supported by this server")
    text = (
        " ".join(p.text for p in input.content if not isinstance(p, UserMessageTagContent)).strip()
        or " ".join(p.text for p in input.content).strip()
    )
    if not text:
        raise invalid("the message has no text")
    if len(text) > message_limit():  # refused, not cut (the Ad Forge API refuses too)
        raise invalid(f"the message has {len(text)} characters; at most {message_limit()}")
    return text


def options_of(metadata: dict[str, Any]) -> ThreadOptions:
    """The thread options (and ``multitask``) a request's ``metadata`` asks for."""
    try:
        return ThreadOptions.model_validate(metadata)
    except ValidationError as error:
        problems = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in error.errors()[:5])
        raise invalid(f"invalid metadata: {problems}") from error
