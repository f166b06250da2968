"""What the log stores and returns: event records, their timestamps, and upcasting on read.

Kept apart from the store so the broker, the tail and the projections share these types without
importing SQLite code. Versioning follows style.md guideline 6: rows are never rewritten; an
``UpcasterRegistry`` turns an old payload into the newest shape each time it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from server.core.eventlog.errors import UpcasterError

__all__ = [
    "NewEvent",
    "RecordedEvent",
    "Upcaster",
    "UpcasterRegistry",
    "default_upcasters",
    "register_upcaster",
    "utc_timestamp",
]

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
"""Turns the payload of version ``n`` into version ``n + 1``."""


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append; ``event_id`` must be deterministic (thread, run, task, index)."""

    event_id: str
    type: str
    data: Mapping[str, Any]
    run_id: str | None = None
    schema_version: int = 1


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as stored; ``data`` and ``schema_version`` are upcast to the newest version.

    One instance is shared by every live subscriber (tails, projections): treat ``data`` as
    read-only. Copying it per subscriber would cost more than the discipline does.
    ``typed`` caches the payload's model once a reader parsed it
    (``server.core.event_types.payload_of``), so subscribers share one parse as they share ``data``.
    """

    position: int
    thread_id: str
    seq: int
    event_id: str
    type: str
    schema_version: int
    data: dict[str, Any]
    run_id: str | None
    created_at: str
    typed: Any = field(default=None, compare=False, repr=False)


class UpcasterRegistry:
    """Upcast-on-read: old rows stay as written; readers see the newest payload shape.

    The newest version of a type is one above its highest registered ``from_version``; a stored
    version with a missing step is an error rather than a payload of the wrong shape.
    """

    def __init__(self) -> None:
        self._steps: dict[tuple[str, int], Upcaster] = {}
        self._latest: dict[str, int] = {}

    def register(self, type: str, from_version: int, fn: Upcaster) -> None:
        """Register the step ``from_version`` -> ``from_version + 1`` of events named ``type``."""
        if from_version < 1:
            raise ValueError("from_version must be at least 1")
        if (type, from_version) in self._steps:
            raise UpcasterError(f"upcaster {type!r} v{from_version} is already registered")
        self._steps[type, from_version] = fn
        self._latest[type] = max(self._latest.get(type, 0), from_version + 1)

    def latest(self, type: str) -> int | None:
        """The newest version the steps registered for ``type`` reach; None when it has none."""
        return self._latest.get(type)

    def upcast(self, type: str, version: int, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Apply every step from ``version`` to the newest; returns (version, data)."""
        latest = self._latest.get(type, version)
        while version < latest:
            step = self._steps.get((type, version))
            if step is None:
                raise UpcasterError(f"no upcaster for {type!r} from v{version} to v{latest}")
            data, version = step(data), version + 1
        return version, data


default_upcasters = UpcasterRegistry()
"""The registry an ``EventStore`` uses unless given another (domain modules register here)."""


def register_upcaster(type: str, from_version: int, fn: Upcaster) -> None:
    """Register an upcaster in ``default_upcasters``."""
    default_upcasters.register(type, from_version, fn)


def utc_timestamp() -> str:
    """Now as ISO-8601 UTC with milliseconds and ``Z`` (what every client parses)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
