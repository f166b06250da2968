"""Per-request context of ``POST /chatkit``, and the thread options a client can choose.

ChatKit's server class passes one context object to every ``Store`` method and to ``respond`` /
``action``. Ours carries who calls, the parsed request, and what the route's preflight already
decided (``server.protocols.chatkit.preflight``): the thread to create and the run to start. Deciding before
``process()`` is what lets a request that cannot succeed answer a 4xx JSON error instead of a
stream that breaks after its 200 headers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from server.core.runs import Reservation, RunRequest
from server.core.users import User

__all__ = ["GUIDED_PROMPT", "NewThread", "RequestContext", "ThreadOptions", "Turn", "new_id"]

GUIDED_PROMPT = "/guided"
"""A first message starting with this runs ``ad_workflow`` (the rest names the product)."""


def new_id(prefix: str) -> str:
    """A fresh ChatKit-style id (``thr_…``, ``msg_…``) with 64 random bits."""
    return f"{prefix}_{secrets.token_hex(8)}"


class ThreadOptions(BaseModel):
    """``metadata`` of a ``threads.create`` request (and ``multitask`` of any turn request).

    ``flow``: ``guided`` runs ``ad_workflow`` (also chosen by a first message starting with
    ``/guided``), anything else ``ad_assistant``. ``choices``: workflow choices as ``widget`` cards
    with buttons (default) or ``structured_input`` items. ``switchTheme``: ``effect`` (a
    ``client_effect``, default) or ``client_tool`` (a pending ``client_tool_call``, as the
    marketing sample's frontend expects). ``productId``/``format``/``mediaType`` configure a
    guided thread. ``multitask``: ``enqueue`` queues a turn behind a running one instead of 409.
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    flow: Literal["assistant", "guided"] | None = None
    choices: Literal["widget", "structured_input"] = "widget"
    switch_theme: Literal["effect", "client_tool"] = "effect"
    product_id: str | None = None
    format: str = "Hybrid Format"
    media_type: Literal["video", "image"] = "video"
    multitask: Literal["reject", "enqueue"] = "reject"


@dataclass
class NewThread:
    """A thread ``threads.create`` will record when ChatKit saves it."""

    thread_id: str
    graph: str
    options: dict[str, str]
    title: str | None
    user_id: str
    session: dict[str, Any] | None = None
    """The ``SessionStarted`` payload of a guided thread (it is an Ad Forge session too)."""
    recorded: bool = False


@dataclass
class Turn:
    """The run a streaming request starts, and the user message recorded with it."""

    run: RunRequest
    multitask: Literal["reject", "enqueue"] = "reject"
    message: dict[str, Any] | None = None
    """``UserMessageSent`` payload recorded as the turn starts (widget actions); chat messages
    are recorded by the store when ChatKit adds the user's item."""
    selection: dict[str, Any] | None = None
    """The selection summary a chat message made (guided threads), kept on its event."""


@dataclass
class RequestContext:
    """What every store method and handler of one ``POST /chatkit`` request sees."""

    user: User
    base_url: str
    request: Any
    new_thread: NewThread | None = None
    turn: Turn | None = None
    message_id: str = field(default_factory=lambda: new_id("msg"))
    """The id the user's message item gets (the run's input names it before ChatKit builds it)."""
    started_run: str | None = None
    """The run this request's stream started: the one a stop (client abort) cancels."""
    idempotency_key: str | None = None
    """The client's ``Idempotency-Key`` (``threads.add_user_message``)."""
    request_hash: str | None = None
    """Hash of the message a keyed request sends, kept on its event to tell a retry."""
    replay: tuple[int, str] | None = None
    """(seq of the user message, run id) when this request retries one already recorded: the
    answer is that turn's stream, replayed from the log."""
    reservation: Reservation | None = None
    """The hold the preflight took on the thread, released once the turn's run is submitted or
    the request ends (``server.core.runs.RunManager.hold``)."""
