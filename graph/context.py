"""Run context: immutable, per-run configuration kept out of state (LangGraph ``context_schema``).

Only JSON-friendly fields, so LangGraph Studio and the Agent Protocol can pass it as a plain object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.models import default_model_spec

__all__ = ["Context"]


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
