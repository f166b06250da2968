"""Named crash points for fault-injection tests: the process kills itself where a test asks.

A crash between two writes is the case that loses or duplicates data, and it cannot be hit from
outside by timing a SIGKILL. So the places where durable state changes call ``crash_point(name)``;
with ``ADFORGE_CRASH_AT=name`` (``name:N`` for the N-th time it is reached, ``name:TAG`` for the first call about TAG) the process sends
itself SIGKILL right there — no cleanup, no flush, exactly like a power cut of the process. The
tests (tests/test_fault_injection.py) then restart the server on the same data directory and check
that the log shows exactly what the graph holds. Unset, a crash point costs one comparison.
"""

from __future__ import annotations

import os
import signal

__all__ = ["CRASH_POINTS", "configure", "crash_point"]

CRASH_POINTS = frozenset(
    {
        "after_writes_commit",  # a task's writes are durable, its events are not yet appended
        "after_events_commit",  # a task's events are durable, the step's checkpoint may not be
        "mid_append",  # inside the event transaction: rows inserted, not committed
        "after_checkpoint_commit",  # a step's checkpoint is durable
        "mid_job_completion",  # a media job's row is completed, the workflow not yet resumed
    }
)

_armed: dict[str, str] = {}
"""Crash point -> what arms it: a count ("3": the third time) or a tag ("PersonasProposed")."""


def configure(spec: str | None) -> None:
    """Arm ``name``, ``name:N`` (the N-th time) or ``name:TAG`` (``ADFORGE_CRASH_AT``).

    A tag arms the point for the first call that names it among its tags: for the event-log
    points the types being appended, for ``after_writes_commit`` the node that wrote.
    """
    _armed.clear()
    if not spec:
        return
    name, _, qualifier = spec.partition(":")
    if name not in CRASH_POINTS:
        known = ", ".join(sorted(CRASH_POINTS))
        raise ValueError(f"ADFORGE_CRASH_AT: unknown crash point {name!r}; known: {known}")
    _armed[name] = qualifier or "1"


def crash_point(name: str, *tags: str) -> None:
    """SIGKILL this process if ``name`` is armed and this call is the one it was armed for."""
    armed = _armed.get(name)
    if armed is None:
        return
    if not armed.isdigit():
        if armed not in tags:
            return
    elif int(armed) > 1:
        _armed[name] = str(int(armed) - 1)
        return
    os.kill(os.getpid(), signal.SIGKILL)
