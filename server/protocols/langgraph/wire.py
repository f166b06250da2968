"""The Agent Protocol's wire forms: JSON-ready values and SSE frames as langgraph-api sends them.

State values hold LangChain messages, interrupts and pydantic models; the protocol sends them as
plain JSON (a message as its ``model_dump``, an interrupt as ``{"id", "value"}``), the way
langgraph-api's serialiser does, so the SDK and Studio read them unchanged. SSE lines are
separated by CRLF like langgraph-api's (``sse.py``), and every frame carries an ``id:``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from langgraph.types import Interrupt
from pydantic import BaseModel

__all__ = ["encode_frame", "interrupt_json", "jsonable"]


def interrupt_json(item: Interrupt) -> dict[str, Any]:
    """An interrupt as the protocol shows it: id, value and, when set, its response schema."""
    found: dict[str, Any] = {"id": item.id, "value": jsonable(item.value)}
    schema = getattr(item, "response_schema", None)
    if schema is not None:
        found["response_schema"] = jsonable(schema)
    return found


def jsonable(value: Any) -> Any:
    """``value`` with every model, message, interrupt and tuple turned into plain JSON types."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Interrupt):
        return interrupt_json(value)
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump(mode="json"))
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, type) and issubclass(value, BaseModel):  # a response schema class
        return value.model_json_schema()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    return str(value)


def encode_frame(event: str, data: Any, frame_id: str) -> bytes:
    """One SSE frame: ``event:``, ``data:`` (compact JSON on one line) and ``id:``."""
    body = json.dumps(jsonable(data), separators=(",", ":"), ensure_ascii=False)
    return f"event: {event}\r\ndata: {body}\r\nid: {frame_id}\r\n\r\n".encode()
