"""Answering a workflow choice from ChatKit: a card's button or a structured-input answer.

Both become what the Ad Forge API makes of a selection message: a ``UserMessageSent`` with the
selection summary (so either protocol's transcript shows it) and a run resuming the interrupt with
an answer that fits its response schema (``server.core.selection.answer_for``). The answer names the
interrupt it was given for; if the thread has moved on (answered elsewhere, regenerated), it is
refused with a 409 rather than applied to another question (design invariant 7).
"""

from __future__ import annotations

from typing import Any

from server.core.runs import RunRequest
from server.core.selection import CHOICE_NOUNS, CONTEXT_KEYS, answer_for, selection_summary
from server.core.services import Services
from server.core.turns import pending_of, session_of
from server.http.errors import ApiError, conflict
from server.protocols.chatkit.context import RequestContext, Turn
from server.protocols.chatkit.view import ThreadView

__all__ = ["answer_turn"]


async def answer_turn(
    services: Services,
    ctx: RequestContext,
    thread: ThreadView,
    interrupt_id: str,
    *,
    option_id: str | None = None,
    text: str | None = None,
) -> Turn:
    """The run answering ``interrupt_id`` with an option id or text (a name or free text).

    Raises:
        ApiError: 409 when that choice is not the one pending; 422 for an option not on offer.
    """
    if thread.graph != "ad_workflow":
        raise ApiError(422, "invalid_request", "this thread has no workflow choices")
    interrupts, _ = await pending_of(services, thread.id)
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
    if option_id is not None:
        if option_id not in options:
            raise ApiError(
                422,
                "invalid_request",
                f"optionId must be one of {sorted(options)}, got {option_id!r}",
            )
        answer = answer_for(pending, "", {CONTEXT_KEYS[kind][0]: option_id})
    else:
        answer = answer_for(pending, text or "", {})
    noun = CHOICE_NOUNS[kind][1]
    selection: dict[str, Any] | None = None
    said = text or ""
    if "optionId" in answer:
        chosen = options[answer["optionId"]]
        selection = selection_summary(kind, chosen)
        said = f"Selected {noun}: {chosen}"
    session = session_of(services, ctx.user, thread.id)
    run = RunRequest(
        thread_id=thread.id,
        user_id=ctx.user.id,
        kind="resume",
        payload=answer,
        interrupt_id=interrupt_id,
        product_name=session["product"]["name"],
        graph="ad_workflow",
    )
    message = {
        "messageId": ctx.message_id,
        "text": said,
        "selection": selection,
        "step": kind,
        "source": "chatkit",
    }
    return Turn(run, message=message, selection=selection)
