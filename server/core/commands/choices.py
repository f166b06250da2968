"""The ``answer_choice`` command: answer a named workflow choice with an option id or text.

A protocol whose UI answers a specific question (a ChatKit card's button, a structured-input
answer, an AG-UI resume) names the interrupt it answers. If the thread has moved on (answered
elsewhere, regenerated), the answer is refused with a 409 rather than applied to another question
(design invariant 7); an option not on offer is a 422 listing those that are; text is read as
the Ad Forge API reads a chat message (``server.core.selection.interpret``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.core.commands.messages import pending_of, session_of
from server.core.errors import conflict, invalid
from server.core.runs import RunRequest
from server.core.selection import (
    CHOICE_NOUNS,
    CONTEXT_KEYS,
    Hint,
    Pick,
    Unclear,
    UnknownOption,
    interpret,
)
from server.core.services import Services
from server.core.users import User

__all__ = ["ChoiceAnswer", "answer_choice"]


@dataclass(frozen=True, slots=True)
class ChoiceAnswer:
    """The run that answers the choice and the user message to record with it."""

    run: RunRequest
    message: dict[str, Any]
    selection: dict[str, Any] | None


async def answer_choice(
    services: Services,
    user: User,
    thread_id: str,
    interrupt_id: str,
    *,
    message_id: str,
    option_id: str | None = None,
    text: str | None = None,
    source: str | None = None,
) -> ChoiceAnswer:
    """The run answering ``interrupt_id`` with an option id or text (a name, an ordinal, a hint).

    Raises:
        ApiError: 409 when that choice is not the one pending; 422 for an option not on offer.
    """
    session = session_of(services, user, thread_id)
    interrupts, _ = await pending_of(services, thread_id)
    if not interrupts or interrupts[0].id != interrupt_id:
        raise conflict(
            "choice_not_pending",
            "this choice is no longer pending; reload the thread for the current one",
        )
    pending: dict[str, Any] = interrupts[0].value
    kind = str(pending.get("kind"))
    if kind not in CHOICE_NOUNS:
        raise conflict("choice_not_pending", "the thread is waiting for a render, not a choice")
    options = {str(o["id"]): str(o.get("label")) for o in pending.get("options") or []}
    context = {CONTEXT_KEYS[kind][0]: option_id} if option_id is not None else {}
    reading = interpret(pending, text or "", context)
    run = RunRequest(
        thread_id=thread_id,
        user_id=user.id,
        kind="resume",
        interrupt_id=interrupt_id,
        product_name=session["product"]["name"],
        graph="ad_workflow",
    )
    said, selection = text or "", None
    if option_id is not None and option_id not in options:
        raise invalid(
            f"optionId must be one of {sorted(options)}, got {option_id!r}", code="unknown_option"
        )
    if isinstance(reading, UnknownOption):
        raise reading.error()
    if isinstance(reading, Unclear):  # ask again; the choice stays open
        run.kind, run.payload, run.interrupt_id = "reply", {"text": reading.reply}, None
    elif isinstance(reading, Hint):
        run.payload = reading.answer
    else:
        assert isinstance(reading, Pick)
        run.payload, selection = reading.answer, reading.selection
        said = f"Selected {CHOICE_NOUNS[kind][1]}: {reading.label}"
    message = {
        "messageId": message_id,
        "text": said,
        "selection": selection,
        "step": kind,
        "runId": run.run_id,
    }
    if source:
        message["source"] = source
    return ChoiceAnswer(run, message, selection)
