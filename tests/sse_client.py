"""A small SSE reader over httpx for integration tests: frames with their ids, as a browser sees them."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
