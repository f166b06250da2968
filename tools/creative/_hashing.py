"""Stable, input-derived choices: the offline engine's only source of variety.

Python's ``hash()`` is salted per process and ``random`` without a seed changes every run, so both
would make the same brief produce different content after a restart (and break replayed graph
nodes). Every choice here is derived from SHA-256 of the inputs instead: same brief, same output,
on every machine and every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["pick", "score", "shuffled", "stable_int"]

T = TypeVar("T")


def stable_int(*parts: object) -> int:
    """Map the parts to a 64-bit integer that is the same in every process."""
    data = "\x1f".join(str(part) for part in parts).encode("utf-8")
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big")


def pick(options: Sequence[T], *parts: object) -> T:
    """Choose one option, keyed by the parts.

    Raises:
        ValueError: if there is nothing to choose from (a template table is empty).
    """
    if not options:
        raise ValueError("pick() needs at least one option")
    return options[stable_int(*parts) % len(options)]


def shuffled(options: Sequence[T], *parts: object) -> list[T]:
    """A deterministic permutation of the options, keyed by the parts and each option's position."""
    order = sorted(range(len(options)), key=lambda index: stable_int(*parts, index))
    return [options[index] for index in order]


def score(centre: float, *parts: object, spread: float = 0.5) -> float:
    """A plausible 0–10 score near ``centre``, one decimal, jittered by the parts.

    Scores are what a marketer reads first, so they must vary between options (identical scores
    look fake) yet never leave a believable band.
    """
    unit = (stable_int(*parts) % 10_001) / 10_000  # 0.0 … 1.0
    value = centre + (unit * 2 - 1) * spread
    return round(min(9.8, max(5.5, value)), 1)
