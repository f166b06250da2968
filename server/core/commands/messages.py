"""The ``send_message`` command: what a chat message means at the current step, and its run.

Shared by every protocol (Ad Forge SSE/JSON/EventSource/WebSocket, ChatKit), so a message is read
one way. The order is what makes a refused message leave no trace (design invariant 12): look the
client's key up (a retry answers what the first attempt answered), reserve the thread, read the
message against the step (a pick, a hint that regenerates, a theme switch, or a clarifying
question), and only then record the message and submit its run.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from langgraph.types import Interrupt
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from server.core.catalog_rules import check_avatar, offered_avatar_ids
from server.core.commands.keys import keyed_id, replayed, request_hash
from server.core.errors import conflict, not_found
from server.core.events import EventType, event, event_id
from server.core.runs import Multitask, Reservation, RunRequest, ThreadBusyError
from server.core.selection import Hint, Unclear, UnknownOption, interpret, theme_request
from server.core.services import Services
from server.core.users import User

__all__ = [
    "Accepted",
    "MessageCreate",
    "names_of",
    "pending_of",
    "plan_turn",
    "resolve_message",
    "send_message",
    "session_of",
    "start_turn",
    "user_message_event_id",
]


class _Body(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class MessageCreate(_Body):
    """``POST /api/chat/sessions/{id}/messages`` (and a WebSocket message frame)."""

    message: str = Field(min_length=1, max_length=4000)
    current_step: str | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    selections: dict[str, Any] = Field(default_factory=dict)
    multitask: Multitask = "reject"
    message_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="The client's id for this message; a retry with the same id records nothing",
    )


@dataclass(frozen=True, slots=True)
class Accepted:
    """A recorded message and its run: the adapter streams the log after ``cursor``."""

    run_id: str
    cursor: int
    """The seq of the user's message: the turn's frames follow it."""
    message_id: str
    replayed: bool = False
    """True when this answers a retry of a command recorded before (nothing new recorded)."""


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


async def start_turn(
    services: Services,
    run: RunRequest,
    *,
    message: dict[str, Any] | None,
    reservation: Reservation | None,
    multitask: Multitask = "reject",
) -> None:
    """Record a prepared turn's user message (if the caller has one) and submit its run.

    For protocols that decide a turn in one step and start it in another (ChatKit decides in its
    preflight and starts when its server streams): the reservation taken when the turn was
    decided is submitted with the run and then released.

    Raises:
        ThreadBusyError: only for a turn decided without a reservation, on a busy thread.
    """
    try:
        if message is not None:
            message_id = str(message["messageId"])
            await services.store.append(
                run.thread_id,
                [event(run.thread_id, EventType.USER_MESSAGE_SENT, message, message_id)],
            )
        services.runs.submit(run, multitask=multitask, reservation=reservation)
    finally:
        if reservation is not None:
            services.runs.release(reservation)


def user_message_event_id(thread_id: str, message_id: str) -> str:
    """The id of the ``UserMessageSent`` event of message ``message_id``."""
    return event_id(thread_id, EventType.USER_MESSAGE_SENT, message_id)


async def resolve_message(
    services: Services, session: dict[str, Any], body: MessageCreate, run: RunRequest
) -> dict[str, Any] | None:
    """Turn the message into ``run``'s graph input at the session's current step.

    Returns the selection summary when the message picked an option. Raises a 422 for an
    option not on offer and a 409 when the message does not fit the step (a render is running,
    the session is complete).
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
        context = {**body.selections, **body.context}
        reading = interpret(pending, body.message, context, avatar_id=body.context.get("avatar"))
        if isinstance(reading, UnknownOption):
            raise reading.error()
        if isinstance(reading, Unclear):  # ask again; the choice stays open
            run.kind, run.payload = "reply", {"text": reading.reply}
            return None
        run.kind, run.interrupt_id = "resume", interrupts[0].id
        if isinstance(reading, Hint):
            run.payload = reading.answer
            return None
        if avatar := reading.answer.get("avatarId"):
            check_avatar(str(avatar), await offered_avatar_ids(services.worker.video))
        run.payload = reading.answer
        return reading.selection
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
    if theme := theme_request(body.message):
        run.kind, run.payload = "theme", {"theme": theme}
        return None
    if now:
        return await resolve_message(services, session, body, run)

    async def prepare() -> None:
        await resolve_message(services, session, body, run)

    run.prepare = prepare
    return None


async def send_message(
    services: Services,
    user: User,
    session_id: str,
    body: MessageCreate,
    *,
    idempotency_key: str | None = None,
) -> Accepted:
    """Record the message and start (or queue) its run, or answer a retry as it was answered.

    A message that can run now is read against the current step before anything is recorded,
    so a message that does not fit answers 4xx and leaves no trace. A queued message
    (``multitask=enqueue`` while a run is active) is read when its run starts, against the step
    the previous run left behind; if it does not fit then, its run fails with the same code.
    """
    session = session_of(services, user, session_id)
    digest = request_hash(body.model_dump(mode="json", exclude={"multitask"}))
    message_id = body.message_id or (
        keyed_id("msg", user.id, session_id, idempotency_key) if idempotency_key else None
    )
    if message_id is not None:
        found = await replayed(
            services.store,
            user_message_event_id(session_id, message_id),
            digest,
            thread_id=session_id,
        )
        if found is not None:
            return Accepted(str(found.data.get("runId")), found.seq, message_id, replayed=True)
    message_id = message_id or f"msg-{secrets.token_hex(6)}"
    try:
        async with services.runs.reserve(session_id, body.multitask) as reservation:
            run = RunRequest(
                thread_id=session_id,
                user_id=user.id,
                kind="start",
                product_name=session["product"]["name"],
            )
            selection = await plan_turn(services, session, body, run, now=reservation.now)
            message = {
                "messageId": message_id,
                "text": body.message,
                "selection": selection,
                "step": body.current_step,
                "runId": run.run_id,
                "requestHash": digest,
            }
            new = await services.store.append(
                session_id,
                [event(session_id, EventType.USER_MESSAGE_SENT, message, message_id)],
            )
            if not new:  # a twin with the same key was recorded meanwhile (both enqueued)
                return await send_message(
                    services, user, session_id, body, idempotency_key=idempotency_key
                )
            services.runs.submit(run, multitask=body.multitask, reservation=reservation)
            recorded = new[0]
    except ThreadBusyError as error:
        raise conflict(
            "run_in_progress",
            "a response is still being generated; wait, cancel it, or send with multitask=enqueue",
        ) from error
    return Accepted(run.run_id, recorded.seq, message_id)
