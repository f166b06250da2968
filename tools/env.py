"""Reading settings from environment mappings, with errors that name the variable.

Providers configure themselves from ``os.environ`` (or a mapping tests pass in); a malformed value
must fail at start-up with the variable's name, not deep inside the first request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

__all__ = ["env_number", "env_text"]

N = TypeVar("N", int, float)


def env_number(env: Mapping[str, str], name: str, default: N, kind: type[N]) -> N:
    """``env[name]`` as an int or float; ``default`` when unset or blank.

    Raises:
        ValueError: naming ``name`` when the value is not a number.
    """
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


def env_text(env: Mapping[str, str], name: str) -> str | None:
    """``env[name]`` stripped, or None when unset or blank."""
    return env.get(name, "").strip() or None
