"""An AG-UI ``RunAgentInput`` read as the core command it is, and the thread it runs on.

Two phases, because AG-UI reports errors of a run only as ``RUN_ERROR`` while AdForge answers a
request it cannot even read with a 4xx JSON error (design invariant 10):

* ``open_thread`` (before the response starts): the thread must be the caller's (another user's
  thread is a 404, invariant 11) and of the graph the URL names; an unknown thread id is a new
  conversation, recorded only once the command below is accepted.
* ``run_input`` (inside the stream; an ``ApiError`` becomes ``RUN_ERROR`` with its code): a
  ``resume`` answers the pending choice (``answer_choice``); otherwise the newest user message is
  sent to the thread — an ``ad_workflow`` session through ``send_message``, the ``ad_assistant``
  graph as ChatKit runs it. Each command reserves the thread first, so a refused one records
  nothing. The user message's AG-UI id is the message id: a client that retries a run replays
  the turn its first attempt recorded instead of running it twice.

A thread is the same conversation on every protocol: the id an AG-UI client chooses for a new
thread becomes the session id (an Ad Forge session started on ``/api/chat/sessions`` continues
here under its ``sess-…`` id, and back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from ag_ui.core import RunAgentInput

from server.core.catalog_rules import check_format
from server.core.commands.choices import answer_choice
from server.core.commands.keys import replayed, request_hash
from server.core.commands.messages import MessageCreate, send_message, user_message_event_id
from server.core.commands.sessions import session_record
from server.core.errors import ApiError, conflict, invalid, not_found
from server.core.events import EventType, event
from server.core.products import resolve_product
from server.core.runs import RunRequest, ThreadBusyError
from server.core.services import Services
from server.core.users import User
from server.protocols.agui.conversation import Conversation
from server.protocols.agui.interrupts import answer_of
from tools.ids import stable_id

__all__ = ["GRAPHS", "Accepted", "Thread", "open_thread", "run_input"]

Graph = Literal["ad_workflow", "ad_assistant"]
GRAPHS: tuple[Graph, ...] = ("ad_workflow", "ad_assistant")
_THREAD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")


@dataclass(frozen=True, slots=True)
class Thread:
    """The thread a run is for: its fold so far, or None for a new conversation."""

    thread_id: str
    graph: Graph
    conversation: Conversation | None


@dataclass(frozen=True, slots=True)
class Accepted:
    """A recorded command: stream the log from ``cursor`` (its user message) to its turn's end."""

    cursor: int
    run_id: str


async def fold(services: Services, thread_id: str, *, before: int | None = None) -> Conversation:
    """The thread's conversation from its log (up to, not including, seq ``before``)."""
    conversation = Conversation(thread_id)
    limit = None if before is None else max(before - 1, 0)
    for recorded in await services.store.read_thread(thread_id, limit=limit):
        if before is None or recorded.seq < before:  # seqs start later after retention
            conversation.apply(recorded)
    return conversation


async def open_thread(
    services: Services, user: User, body: RunAgentInput, graph: Graph | None
) -> Thread:
    """The caller's thread named by ``body.thread_id``.

    Raises:
        ApiError: 422 for a malformed thread id, 404 for another user's thread, 409 when the
            thread runs another graph than the URL names.
    """
    thread_id = body.thread_id
    if not _THREAD_ID.fullmatch(thread_id):
        raise invalid("threadId must be 1 to 100 letters, digits or _ . : - characters")
    conversation = await fold(services, thread_id)
    if conversation.owner is None:
        return Thread(thread_id, graph or "ad_assistant", None)
    if conversation.owner != user.id or conversation.deleted:
        raise not_found("thread", thread_id)
    current: Graph = "ad_assistant" if conversation.graph == "ad_assistant" else "ad_workflow"
    if graph is not None and graph != current:
        raise conflict("graph_mismatch", f"thread {thread_id!r} runs {current}, not {graph}")
    return Thread(thread_id, current, conversation)


def _newest_user_message(body: RunAgentInput) -> tuple[str, str] | None:
    """(id, text) of the input's last message when it is the user's; None otherwise."""
    if not body.messages or body.messages[-1].role != "user":
        return None
    message: Any = body.messages[-1]
    content = message.content
    if isinstance(content, str):
        text = content
    else:
        text = " ".join(str(getattr(p, "text", "") or "") for p in content)
    text = text.strip()
    if not text:
        raise invalid("the user message has no text", code="empty_message")
    return str(message.id), text[:4000]


def _options(body: RunAgentInput) -> dict[str, Any]:
    """A new thread's settings: ``state`` first, then ``forwardedProps`` (CopilotKit sends both)."""
    found: dict[str, Any] = {}
    for source in (body.forwarded_props, body.state):
        if isinstance(source, dict):
            found.update({k: v for k, v in source.items() if v is not None})
    return found


async def run_input(
    services: Services, user: User, thread: Thread, body: RunAgentInput
) -> Accepted | None:
    """Record what the input asks for and start its run; None when it asks for nothing.

    Nothing to run is an input whose last message is not the user's and that resumes nothing —
    a client sending back a frontend tool's result, say.

    Raises:
        ApiError: the command was refused (nothing recorded); the stream shows it as RUN_ERROR.
    """
    if body.resume:
        if thread.graph != "ad_workflow" or thread.conversation is None:
            raise conflict("no_pending_interrupt", "this thread has no workflow choices")
        return await _resume(services, user, thread, body)
    newest = _newest_user_message(body)
    if newest is None:
        return None
    message_id, text = newest
    if thread.graph == "ad_assistant":
        return await _assistant_turn(services, user, thread, message_id, text)
    return await _workflow_turn(services, user, thread, body, message_id, text)


async def _resume(services: Services, user: User, thread: Thread, body: RunAgentInput) -> Accepted:
    assert thread.conversation is not None and body.resume
    entry = body.resume[0]
    digest = request_hash(
        {"resume": [e.model_dump(mode="json", by_alias=True) for e in body.resume]}
    )
    message_id = stable_id("msg", thread.thread_id, entry.interrupt_id, digest, length=16)
    event_id = user_message_event_id(thread.thread_id, message_id)
    found = await replayed(services.store, event_id, digest, thread_id=thread.thread_id)
    if found is not None:  # the same answer again: its turn, as first recorded
        return Accepted(found.seq, str(found.data.get("runId")))
    answer = answer_of(body.resume, thread.conversation.choice)
    try:
        async with services.runs.reserve(thread.thread_id) as reservation:
            chosen = await answer_choice(
                services,
                user,
                thread.thread_id,
                answer.interrupt_id,
                message_id=message_id,
                option_id=answer.option_id,
                text=answer.text,
                source="agui",
            )
            message = {**chosen.message, "requestHash": digest}
            new = await services.store.append(
                thread.thread_id,
                [event(thread.thread_id, EventType.USER_MESSAGE_SENT, message, message_id)],
            )
            services.runs.submit(chosen.run, reservation=reservation)
    except ThreadBusyError as error:
        raise _busy() from error
    return Accepted(new[0].seq, chosen.run.run_id)


def _busy() -> ApiError:
    return conflict(
        "run_in_progress", "a response is still being generated; wait for it or cancel it"
    )


async def _workflow_turn(
    services: Services,
    user: User,
    thread: Thread,
    body: RunAgentInput,
    message_id: str,
    text: str,
) -> Accepted:
    known = await services.store.exists(user_message_event_id(thread.thread_id, message_id))
    if thread.conversation is None:
        text = await _start_session(services, user, thread.thread_id, _options(body), text)
    elif not known and thread.conversation.choice is not None:
        raise conflict(
            "interrupt_pending",
            "a choice is pending: answer it with resume [{interruptId, status, payload}]",
        )
    accepted = await send_message(
        services, user, thread.thread_id, MessageCreate(message=text, message_id=message_id)
    )
    return Accepted(accepted.cursor, accepted.run_id)


async def _start_session(
    services: Services, user: User, thread_id: str, options: dict[str, Any], text: str
) -> str:
    """Record a new ``ad_workflow`` session; returns the message that starts its flow.

    The product is ``productId`` from the state (or forwarded props), else the message names or
    describes it — then the message starts the flow as "Generate ads" would, instead of being
    read as an audience hint.
    """
    media_type = str(options.get("mediaType") or "video")
    if media_type not in ("video", "image"):
        raise invalid("mediaType must be video or image")
    format_name = check_format(str(options.get("format") or "Hybrid Format"), media_type).name
    given = options.get("productId")
    product_id, product = await resolve_product(
        services.products, user.id, str(given) if given else None, None if given else text
    )
    session = session_record(
        thread_id, user.id, product_id, product, format_name, media_type, source="agui"
    )
    recorded = await services.store.append(
        thread_id, [event(thread_id, EventType.SESSION_STARTED, session)]
    )
    if recorded:
        await services.projections.wait_for(recorded[0].position)
    return text if given else "Generate ads"


async def _assistant_turn(
    services: Services, user: User, thread: Thread, message_id: str, text: str
) -> Accepted:
    thread_id = thread.thread_id
    digest = request_hash({"text": text})
    event_id = user_message_event_id(thread_id, message_id)
    found = await replayed(services.store, event_id, digest, thread_id=thread_id)
    if found is not None:
        return Accepted(found.seq, str(found.data.get("runId")))
    try:
        async with services.runs.reserve(thread_id) as reservation:
            run = RunRequest(
                thread_id=thread_id,
                user_id=user.id,
                kind="start",
                payload={"messages": [{"role": "user", "content": text, "id": message_id}]},
                graph="ad_assistant",
            )
            events = []
            if thread.conversation is None:
                started = {
                    "threadId": thread_id,
                    "userId": user.id,
                    "graph": "ad_assistant",
                    "options": {"choices": "widget", "switchTheme": "effect"},
                    "title": text[:60],
                    "source": "agui",
                }
                events.append(event(thread_id, EventType.CHAT_THREAD_STARTED, started))
            message = {
                "messageId": message_id,
                "text": text,
                "selection": None,
                "step": None,
                "source": "agui",
                "runId": run.run_id,
                "requestHash": digest,
            }
            events.append(event(thread_id, EventType.USER_MESSAGE_SENT, message, message_id))
            new = await services.store.append(thread_id, events)
            services.runs.submit(run, reservation=reservation)
    except ThreadBusyError as error:
        raise _busy() from error
    return Accepted(new[-1].seq, run.run_id)
