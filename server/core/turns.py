"""A chat turn: the session it belongs to, what a message means at the current step, the run.

Shared by the SSE, JSON and EventSource routes so they read a message the same way. Selections
are parsed by ``server.core.selection``; this module decides start, resume or 409.
"""

from __future__ import annotations

import secrets
from typing import Any, Literal

from langgraph.types import Interrupt
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from server.core.errors import conflict, not_found
from server.core.events import EventType, event
from server.core.retention import refuse_if_expired
from server.core.runs import RunRequest, ThreadBusyError
from server.core.selection import CONTEXT_KEYS, answer_for, selection_summary, theme_request
from server.core.services import Services
from server.core.users import User

__all__ = [
    "MessageCreate",
    "names_of",
    "pending_of",
    "plan_turn",
    "resolve_message",
    "session_of",
    "submit_message",
]


class _Body(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


_CONTEXT_DOC = (
    'Picks an option of the pending choice by id, as `{key: {"id": ...}}` or `{key: "<id>"}`'
    " (an id here wins over matching the message text against the options' names); keys per "
    "step: "
    + "; ".join(f"{step}: {', '.join(keys)}" for step, keys in CONTEXT_KEYS.items())
    + ". `avatar` names the video's presenter at script_selection."
)


class MessageCreate(_Body):
    """``POST /api/chat/sessions/{id}/messages``."""

    message: str = Field(min_length=1, max_length=4000)
    current_step: str | None = None
    context: dict[str, Any] = Field(default_factory=dict, description=_CONTEXT_DOC)
    selections: dict[str, Any] = Field(
        default_factory=dict, description="Read like `context` (the guide sends both)"
    )
    multitask: Literal["reject", "enqueue"] = "reject"


def session_of(services: Services, user: User, session_id: str) -> dict[str, Any]:
    """The caller's session record; another user's session is a 404 like an unknown one."""
    session = services.projections.view("sessions").get(session_id)
    if session is None or session["userId"] != user.id:
        raise not_found("session", session_id)
    return dict(session)


async def pending_of(
    services: Services, session_id: str
) -> tuple[list[Interrupt], tuple[str, ...]]:
    """The interrupts the session waits on and its next nodes, from graph state (the authority)."""
    snapshot = await services.runs.graph.aget_state({"configurable": {"thread_id": session_id}})
    return list(snapshot.interrupts), tuple(snapshot.next)


def names_of(session: dict[str, Any]) -> dict[str, str]:
    """Product and format names that frames repeat."""
    return {"product": session["product"]["name"], "format": session["format"]}


async def resolve_message(
    services: Services, session: dict[str, Any], body: MessageCreate, run: RunRequest
) -> dict[str, Any] | None:
    """Turn the message into ``run``'s graph input at the session's current step.

    Returns the selection summary when the message picked an option. Raises a 409 when the
    message does not fit the step (a render is running, the session is complete).
    """
    interrupts, next_nodes = await pending_of(services, run.thread_id)
    if not interrupts and not next_nodes and session["currentStep"] == "starting":
        text = body.message.strip()
        hint = None if text.lower().startswith("generate") else text
        run.kind = "start"
        run.payload = {
            "product": session["product"],
            "format": session["format"],
            "media_type": session["mediaType"],
        }
        if hint:
            run.payload["audience_hint"] = hint
        return None
    if not interrupts and next_nodes:  # a cancelled or failed run stopped between steps
        run.kind, run.payload = "continue", None
        return None
    if interrupts and interrupts[0].value.get("kind") != "media_job":
        pending = interrupts[0].value
        run.kind, run.interrupt_id = "resume", interrupts[0].id
        run.payload = answer_for(
            pending,
            body.message,
            {**body.selections, **body.context},
            avatar_id=body.context.get("avatar"),
        )
        if "optionId" not in run.payload:
            return None
        chosen = next(o for o in pending["options"] if o["id"] == run.payload["optionId"])
        return selection_summary(pending["kind"], chosen["label"])
    if interrupts:
        raise conflict(
            "render_in_progress",
            "your ad is rendering; wait for the result before sending messages",
        )
    raise conflict(
        "session_completed", "this session is complete; start a new session for another ad"
    )


async def plan_turn(
    services: Services, session: dict[str, Any], body: MessageCreate, run: RunRequest, *, now: bool
) -> dict[str, Any] | None:
    """Decide what ``run`` does with the message; shared by the Ad Forge API and ChatKit.

    A theme request ("switch to dark mode") runs no graph step, whatever the step. Otherwise the
    message is read against the current step now, or — for a run queued behind another — when
    the run starts, against the step the previous run left (``RunRequest.prepare``). Returns the
    selection summary of a message read now that picked an option.
    """
    refuse_if_expired(session, services.session_ttl_h)
    if theme := theme_request(body.message):
        run.kind, run.payload = "theme", {"theme": theme}
        return None
    if now:
        return await resolve_message(services, session, body, run)

    async def prepare() -> None:
        await resolve_message(services, session, body, run)

    run.prepare = prepare
    return None


async def submit_message(
    services: Services, user: User, session_id: str, body: MessageCreate
) -> tuple[RunRequest, int]:
    """Record the message and start (or queue) its run; return it and the seq its stream follows.

    A message that can run now is read against the current step before anything is recorded,
    so a message that does not fit answers 409 and leaves no trace. A queued message
    (``multitask=enqueue`` while a run is active) is read when its run starts, against the step
    the previous run left behind; if it does not fit then, its run fails with the same code.
    """
    session = session_of(services, user, session_id)
    busy = services.runs.busy(session_id)
    if busy and body.multitask == "reject":
        raise conflict(
            "run_in_progress",
            "a response is still being generated; wait, cancel it, or send with multitask=enqueue",
        )
    run = RunRequest(
        thread_id=session_id, user_id=user.id, kind="start", product_name=session["product"]["name"]
    )
    selection = await plan_turn(services, session, body, run, now=not busy)
    message = {
        "messageId": f"msg-{secrets.token_hex(6)}",
        "text": body.message,
        "selection": selection,
        "step": body.current_step,
    }
    [recorded] = await services.store.append(
        session_id, [event(session_id, EventType.USER_MESSAGE_SENT, message, message["messageId"])]
    )
    try:
        services.runs.submit(run, multitask=body.multitask)
    except ThreadBusyError as error:
        raise conflict("run_in_progress", str(error)) from error
    return run, recorded.seq  # the turn's stream starts after the user's own message
