"""The three selections of the workflow, each a LangGraph interrupt with a response schema.

The schema is built per proposal set, so its JSON schema lists the valid ids (clients can render a
typed picker) and an unknown id, a misspelled key or a missing answer is rejected by
``interrupt()`` itself: nothing is saved and the same choice stays pending. Free text at any step
regenerates that step with the text as a hint.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator
from pydantic.alias_generators import to_camel

from graph.context import Context
from graph.nodes._common import context_of
from graph.state import WorkflowState
from tools.jobs import IMAGE_RESOLUTIONS, VIDEO_RESOLUTIONS

__all__ = [
    "SelectionAnswer",
    "choose_angle",
    "choose_concept",
    "choose_persona",
    "selection_schema",
]


class SelectionAnswer(BaseModel):
    """Base of every selection answer: pick an option by id, or write free text — exactly one."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    option_id: str | None = None
    free_text: str | None = Field(default=None, min_length=1, max_length=500)

    @model_validator(mode="after")
    def _exactly_one(self) -> SelectionAnswer:
        if (self.option_id is None) == (self.free_text is None):
            raise ValueError("answer with exactly one of optionId or freeText")
        return self


def selection_schema(name: str, ids: list[str], **extra_fields: Any) -> type[SelectionAnswer]:
    """A response schema whose ``optionId`` accepts only the ids on offer."""
    option_type: Any = Literal[tuple(ids)]
    return create_model(
        name,
        __base__=SelectionAnswer,
        option_id=(option_type | None, None),
        **extra_fields,
    )


def _request(
    kind: str, state: WorkflowState, options: list[dict[str, Any]], message: str
) -> dict[str, Any]:
    return {
        "kind": kind,
        "step": kind,
        "message": message,
        "options": [{"id": o["id"], "label": o.get("name") or o.get("title")} for o in options],
        "allowFreeText": True,
        "product": state["product"]["name"],
    }


def choose_persona(
    state: WorkflowState,
) -> Command[Literal["explain_persona_impact", "propose_personas"]]:
    """Wait for the marketer to pick a persona, or to describe the audience they want instead."""
    personas = state["personas"]
    answer = interrupt(
        _request(
            "persona_selection",
            state,
            personas,
            "Choose the audience to target, or describe another one.",
        ),
        response_schema=selection_schema("PersonaChoice", [p["id"] for p in personas]),
    )
    if answer.free_text is not None:
        return Command(goto="propose_personas", update={"audience_hint": answer.free_text})
    chosen = next(p for p in personas if p["id"] == answer.option_id)
    return Command(goto="explain_persona_impact", update={"selected_persona": chosen})


def choose_angle(state: WorkflowState) -> Command[Literal["propose_concepts", "propose_angles"]]:
    """Wait for the marketer to pick a marketing angle, or to steer the angles with free text."""
    angles = state["angles"]
    answer = interrupt(
        _request("angle_selection", state, angles, "Choose the marketing angle for your ad."),
        response_schema=selection_schema("AngleChoice", [a["id"] for a in angles]),
    )
    if answer.free_text is not None:
        return Command(goto="propose_angles", update={"angle_hint": answer.free_text})
    chosen = next(a for a in angles if a["id"] == answer.option_id)
    return Command(goto="propose_concepts", update={"selected_angle": chosen})


_BLOCKED = (
    "“{title}” has copy the compliance check blocks ({rules}). Pick another script, ask for a "
    "rewrite, or choose it again with acknowledgeFindings: true to render it anyway."
)


def _acknowledged(
    concept: dict[str, Any], acknowledged: bool, user_id: str
) -> dict[str, Any] | None:
    """The concept to render, or None when its copy is blocked and nobody acknowledged that."""
    verdict = concept.get("compliance") or {}
    if verdict.get("status") != "blocked":
        return concept
    if not acknowledged:
        return None
    return {**concept, "compliance": {**verdict, "acknowledgedBy": user_id}}


def _blocked_error(concept: dict[str, Any]) -> dict[str, Any]:
    findings = (concept.get("compliance") or {}).get("findings", [])
    rules = ", ".join(dict.fromkeys(f["ruleId"] for f in findings if f["severity"] == "block"))
    message = _BLOCKED.format(title=concept.get("title", "This script"), rules=rules)
    return {"code": "copy_blocked", "message": message, "retryable": False}


def choose_concept(
    state: WorkflowState, runtime: Runtime[Context]
) -> Command[Literal["submit_media_job", "propose_concepts", "choose_concept"]]:
    """Wait for a script choice and the render to make of it (video with an avatar, or image).

    A script whose copy the gate blocks is rendered only with ``acknowledgeFindings: true``,
    and the acknowledgement records who gave it; otherwise the choice is asked again with the
    reason shown.
    """
    concepts = state["concepts"]
    video = state.get("media_type", "video") == "video"
    action = "generate_video" if video else "generate_image"
    resolutions = VIDEO_RESOLUTIONS if video else IMAGE_RESOLUTIONS
    extra: dict[str, Any] = {
        "action": (Literal[action], action),
        "resolution": (Literal[resolutions], resolutions[0]),
        "acknowledge_findings": (bool, False),
    }
    if video:
        extra["avatar_id"] = (str | None, Field(default=None, max_length=120))
    request = _request("script_selection", state, concepts, "Choose a script to turn into your ad.")
    request |= {
        "action": action,
        "resolutions": list(resolutions),
        "mediaError": state.get("media_error"),
    }
    answer = interrupt(
        request,
        response_schema=selection_schema("ScriptChoice", [c["id"] for c in concepts], **extra),
    )
    if answer.free_text is not None:
        return Command(goto="propose_concepts", update={"concept_hint": answer.free_text})
    options = answer.model_dump()  # the per-session fields of the dynamic schema
    picked = next(c for c in concepts if c["id"] == answer.option_id)
    user_id = context_of(runtime).user_id
    chosen = _acknowledged(picked, options["acknowledge_findings"], user_id)
    if chosen is None:
        return Command(goto="choose_concept", update={"media_error": _blocked_error(picked)})
    media_request = {
        "action": action,
        "resolution": options["resolution"],
        "avatarId": options.get("avatar_id"),
    }
    return Command(
        goto="submit_media_job",
        update={"selected_concept": chosen, "media_request": media_request},
    )
