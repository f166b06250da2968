"""Run context: immutable, per-run configuration kept out of state (LangGraph ``context_schema``).

Only JSON-friendly fields, so LangGraph Studio and the Agent Protocol can pass it as a plain object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.models import default_model_spec
from tools.compliance import parse_placements
from tools.settings import load_settings

__all__ = ["Context", "default_placements"]


def default_placements() -> str:
    """``ADFORGE_PLACEMENTS`` (checked), e.g. ``"meta,tiktok"``; the copy gate's default otherwise."""
    return ",".join(parse_placements(load_settings().copy_checks.placements))


@dataclass(kw_only=True)
class Context:
    """Which model to use and on whose behalf the run happens."""

    model: str = field(
        default_factory=default_model_spec,
        metadata={
            "description": "The chat model as 'provider:model', e.g. 'openai:gpt-4.1' or "
            "'offline:adforge-creative-1' (the deterministic local engine)."
        },
    )
    user_id: str = field(
        default="local", metadata={"description": "Owner of the thread, for asset records."}
    )
    placements: str = field(
        default_factory=default_placements,
        metadata={
            "description": "Comma-separated ad placements the copy gate checks lengths against: "
            "'meta', 'tiktok'."
        },
    )
