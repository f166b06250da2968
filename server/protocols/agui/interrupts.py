"""A workflow choice as an AG-UI interrupt, and a ``resume`` entry read back as an answer.

AG-UI's human-in-the-loop model: a run that needs the user ends with ``RUN_FINISHED`` whose
outcome is ``interrupt`` and lists ``Interrupt``s (id, reason, message, response schema); the
client answers with a new run carrying ``resume: [{interruptId, status, payload}]``. A choice's
interrupt id is LangGraph's, so an answer sent over AG-UI, the Ad Forge API or ChatKit names the
same thing. The payload is the graph's own answer shape: ``{"optionId": …}`` or
``{"freeText": …}`` (a bare string is read as free text, as a chat message would be).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ag_ui.core import Interrupt, ResumeEntry

from server.core.errors import ApiError

__all__ = ["Answer", "answer_of", "interrupt_of"]

FREE_TEXT_MAX = 500
"""As the graph's response schema (``graph.nodes.choices.SelectionAnswer``)."""


def response_schema(choice: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of an answer: one of the options' ids, or free text."""
    ids = [str(o["id"]) for o in choice.get("options") or []]
    return {
        "type": "object",
        "properties": {
            "optionId": {"type": "string", "enum": ids},
            "freeText": {"type": "string", "minLength": 1, "maxLength": FREE_TEXT_MAX},
        },
        "oneOf": [{"required": ["optionId"]}, {"required": ["freeText"]}],
        "additionalProperties": False,
    }


def interrupt_of(choice: dict[str, Any]) -> Interrupt:
    """The AG-UI interrupt of a pending choice (a ``ChoiceRequested`` payload)."""
    return Interrupt(
        id=str(choice["interruptId"]),
        reason="input_required",
        message=choice.get("message"),
        response_schema=response_schema(choice),
        metadata={"adforge": {"kind": choice.get("kind"), "options": choice.get("options")}},
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """What a resume entry answers: an option id or text for ``answer_choice``."""

    interrupt_id: str
    option_id: str | None
    text: str | None


def _refused(code: str, message: str) -> ApiError:
    return ApiError(422, code, message)


def answer_of(resume: list[ResumeEntry], choice: dict[str, Any] | None) -> Answer:
    """The answer to the pending choice that ``resume`` carries.

    AG-UI's rules: a resume must name the open interrupt and cover every open one (a workflow
    thread has at most one); a choice cannot be abandoned (``cancelled``), since the workflow
    cannot go on without it.

    Raises:
        ApiError: 409 ``no_pending_interrupt`` / ``interrupt_mismatch`` when the resume does not
            answer what is pending; 422 ``invalid_resume`` for a payload that is not an answer.
    """
    if choice is None:
        raise ApiError(409, "no_pending_interrupt", "this thread is not waiting for a choice")
    pending = str(choice["interruptId"])
    if len(resume) != 1 or resume[0].interrupt_id != pending:
        named = sorted(entry.interrupt_id for entry in resume)
        raise ApiError(
            409,
            "interrupt_mismatch",
            f"resume must answer exactly the open interrupt {pending!r}, got {named}",
        )
    entry = resume[0]
    if entry.status != "resolved":
        raise _refused(
            "invalid_resume",
            "a workflow choice cannot be cancelled: pick an option or describe one",
        )
    payload = entry.payload
    if isinstance(payload, str) and payload.strip():
        return Answer(pending, None, payload.strip()[:FREE_TEXT_MAX])
    if isinstance(payload, dict) and len(payload) == 1:
        option_id, text = payload.get("optionId"), payload.get("freeText")
        if isinstance(option_id, str) and option_id:
            return Answer(pending, option_id, None)
        if isinstance(text, str) and 0 < len(text.strip()) <= FREE_TEXT_MAX:
            return Answer(pending, None, text.strip())
    raise _refused(
        "invalid_resume",
        'the resume payload must be {"optionId": <one of the options>} or {"freeText": <text>}',
    )
