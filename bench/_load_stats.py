"""Shared pieces of ``bench/load.py``: the result of one load phase and how it is summarised.

Both sides (the server over HTTP and the graph called directly) run through ``run_load`` so the
concurrency shape is identical: ``sessions`` workers started together by ``asyncio.gather``, each
playing ``rounds`` scenarios one after the other. Only the scenario function differs.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["LoadResult", "percentile", "ratio", "run_load"]

Scenario = Callable[[int], Awaitable[list[float]]]
"""Plays scenario number ``n`` and returns its time-to-first-event samples, in seconds."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """One side's figures for one concurrency level."""

    side: str
    sessions: int
    scenarios: int
    seconds: float
    first_event_s: tuple[float, ...]

    @property
    def scenarios_per_s(self) -> float:
        """Completed scenarios per wall-clock second, all workers together."""
        return self.scenarios / self.seconds

    def first_event_ms(self, p: float) -> float:
        """The ``p``-th percentile of the time to the first event, in milliseconds."""
        return percentile(self.first_event_s, p) * 1000

    def as_json(self) -> dict[str, Any]:
        """Machine-readable figures (samples included, so other percentiles can be derived)."""
        return {
            "scenarios": self.scenarios,
            "seconds": round(self.seconds, 4),
            "scenarios_per_s": round(self.scenarios_per_s, 3),
            "first_event_p50_ms": round(self.first_event_ms(50), 3),
            "first_event_p99_ms": round(self.first_event_ms(99), 3),
            "first_event_samples_ms": [round(s * 1000, 3) for s in self.first_event_s],
        }


def percentile(samples: tuple[float, ...] | list[float], p: float) -> float:
    """Nearest-rank percentile: always a measured value, never an interpolation between two."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(server: float, direct: float) -> float:
    """``server / direct``; infinite when the baseline measured zero (never expected)."""
    return server / direct if direct else math.inf


async def run_load(side: str, sessions: int, rounds: int, scenario: Scenario) -> LoadResult:
    """Run ``sessions`` concurrent workers of ``rounds`` scenarios each and time the whole."""

    async def worker(index: int) -> list[float]:
        samples: list[float] = []
        for round_ in range(rounds):
            samples += await scenario(index * rounds + round_)
        return samples

    started = time.perf_counter()
    per_worker = await asyncio.gather(*(worker(i) for i in range(sessions)))
    elapsed = time.perf_counter() - started
    samples = tuple(s for worker_samples in per_worker for s in worker_samples)
    return LoadResult(side, sessions, sessions * rounds, elapsed, samples)
