"""A small SSE reader over httpx for integration tests: frames with their ids, as a browser sees them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Frame:
    """One dispatched SSE event: its id and decoded JSON data."""

    id: str | None
    data: dict[str, Any]


def frames(response: httpx.Response) -> Iterator[Frame]:
    """Yield each data event of an open streaming response (comments and id-only events skipped)."""
    event_id: str | None = None
    data: list[str] = []
    for line in response.iter_lines():
        if line == "":
            if data:
                yield Frame(event_id, json.loads("\n".join(data)))
            data = []
        elif line.startswith("id:"):
            event_id = line[3:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


def read_until(response: httpx.Response, last_type: str) -> list[Frame]:
    """All frames up to and including the first of type ``last_type``."""
    seen: list[Frame] = []
    for frame in frames(response):
        seen.append(frame)
        if frame.data.get("type") == last_type:
            return seen
    raise AssertionError(f"stream ended before {last_type}: {[f.data.get('type') for f in seen]}")


@dataclass(frozen=True)
class LogFrame:
    """One SSE block that carries an ``id:``: a data frame, or an id-only frame (a comment naming
    the log event type) for events no chat message shows. Pings and id-less comments are skipped.
    """

    id: str
    comment: str | None
    data: dict[str, Any] | None


class _BlockParser:
    """Feeds SSE lines and returns each completed block that carried an id."""

    def __init__(self) -> None:
        self._id: str | None = None
        self._comment: str | None = None
        self._data: list[str] = []

    def feed(self, line: str) -> LogFrame | None:
        if line != "":
            if line.startswith("id:"):
                self._id = line[3:].strip()
            elif line.startswith("data:"):
                self._data.append(line[5:].lstrip())
            elif line.startswith(":") and self._comment is None:
                self._comment = line[1:].strip()
            return None
        block = None
        if self._id is not None:
            data = json.loads("\n".join(self._data)) if self._data else None
            block = LogFrame(self._id, self._comment, data)
        self._id, self._comment, self._data = None, None, []
        return block


def log_frames(response: httpx.Response) -> Iterator[LogFrame]:
    """Yield every block with an id of an open streaming response, comment-only ones included."""
    parser = _BlockParser()
    for line in response.iter_lines():
        if (block := parser.feed(line)) is not None:
            yield block


async def alog_frames(response: httpx.Response) -> AsyncIterator[LogFrame]:
    """``log_frames`` for an ``httpx.AsyncClient`` stream."""
    parser = _BlockParser()
    async for line in response.aiter_lines():
        if (block := parser.feed(line)) is not None:
            yield block
