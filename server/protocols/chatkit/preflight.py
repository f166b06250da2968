"""Everything a ChatKit request must pass before ``ChatKitServer.process`` runs it.

openai-chatkit maps no error to an HTTP status: a bad body raises out of ``process()`` (a 500 in
its samples), and a failure inside a stream surfaces after the 200 headers, cutting the stream
with no error event. So the route parses the request here first and answers every problem it can
foresee as a 4xx JSON error in the Ad Forge shape (design invariant 10): malformed JSON or params
(400/422), an unknown or foreign thread or item (404, invariant 11), a busy thread or a stale
choice (409), features not offered (400 ``not_supported``). What passes leaves a
``RequestContext`` holding the thread to create and the run to start, decided with the same
rules the Ad Forge API uses (``server.core.commands``).
"""

from __future__ import annotations

from typing import Any

from chatkit.types import (
    AttachmentsCreateReq,
    AttachmentsDeleteReq,
    InputTranscribeReq,
    ItemsFeedbackReq,
    ItemsListReq,
    ThreadsAddClientToolOutputReq,
    ThreadsAddStructuredInputReq,
    ThreadsAddUserMessageReq,
    ThreadsCreateReq,
    ThreadsCustomActionReq,
    ThreadsDeleteReq,
    ThreadsGetByIdReq,
    ThreadsListReq,
    ThreadsRetryAfterItemReq,
    ThreadsSyncCustomActionReq,
    ThreadsUpdateReq,
)

from server.core.catalog_rules import check_format
from server.core.commands.choices import answer_choice
from server.core.commands.keys import keyed_id, replayed, request_hash
from server.core.commands.messages import (
    MessageCreate,
    plan_turn,
    session_of,
    user_message_event_id,
)
from server.core.commands.retry import retry_from
from server.core.commands.sessions import session_record
from server.core.products import resolve_product
from server.core.runs import Multitask, RunRequest, ThreadBusyError
from server.core.services import Services
from server.core.users import User
from server.http.errors import ApiError, conflict, not_found
from server.protocols.chatkit.context import (
    GUIDED_PROMPT,
    NewThread,
    RequestContext,
    Turn,
    new_id,
)
from server.protocols.chatkit.parsing import (
    MAX_PAGE,
    invalid,
    options_of,
    parse,
    text_of,
)
from server.protocols.chatkit.projection import PROJECTION_NAME, ChatKitView
from server.protocols.chatkit.view import ThreadView
from server.protocols.chatkit.widgets import CHOOSE_ACTION

__all__ = ["prepare"]

_NOT_OFFERED = (AttachmentsCreateReq, AttachmentsDeleteReq, InputTranscribeReq)


def _thread(services: Services, user: User, thread_id: str) -> ThreadView:
    view: ChatKitView = services.projections.view(PROJECTION_NAME)
    thread = view.owned(thread_id, user.id)
    if thread is None:
        raise not_found("thread", thread_id)
    return thread


def _free(ctx: RequestContext, services: Services, thread_id: str, multitask: Multitask) -> bool:
    """Hold the thread for this request (``ctx.reservation``); 409 when busy and it may not queue.

    Returns whether the message may be read against the current step now (False: it was
    enqueued behind a running turn and is read when its run starts).
    """
    try:
        ctx.reservation = services.runs.hold(thread_id, multitask)
    except ThreadBusyError as error:
        raise conflict(
            "run_in_progress",
            "a response is still being generated; wait, stop it, or send with "
            'metadata {"multitask": "enqueue"}',
        ) from error
    return ctx.reservation.now


def _guided_rest(text: str) -> str | None:
    """The text after ``/guided`` when the message starts with it."""
    head, _, rest = text.partition(" ")
    return rest.strip() if head.casefold() == GUIDED_PROMPT else None


async def _resolved(
    services: Services,
    session: dict[str, Any],
    text: str,
    run: RunRequest,
    free: bool,
) -> dict[str, Any] | None:
    """What a chat message means at the guided thread's step (the Ad Forge API's rules)."""
    return await plan_turn(services, session, MessageCreate(message=text), run, now=free)


async def _create(services: Services, ctx: RequestContext, req: ThreadsCreateReq) -> None:
    options = options_of(req.metadata)
    text = text_of(req.params.input)
    rest = _guided_rest(text)
    thread_id = new_id("thr")
    user = ctx.user
    kept: dict[str, str] = {"choices": options.choices, "switchTheme": options.switch_theme}
    if options.flow == "guided" or (options.flow is None and rest is not None):
        # The product: metadata's productId, else what follows /guided, else the whole message.
        described = rest if rest is not None else None if options.product_id else text
        format_name = check_format(options.format, options.media_type).name
        product_id, product = await resolve_product(
            services.products, user.id, options.product_id, described
        )
        hint = text if rest is None and options.product_id else "generate"  # as Ad Forge reads it
        session = session_record(
            thread_id, user.id, product_id, product, format_name, options.media_type
        )
        run = RunRequest(
            thread_id=thread_id,
            user_id=user.id,
            kind="start",
            product_name=product.name,
            graph="ad_workflow",
        )
        record = {**session, "currentStep": "starting"}
        selection = await _resolved(services, record, hint, run, True)
        ctx.new_thread = NewThread(thread_id, "ad_workflow", kept, product.name, user.id, session)
        ctx.turn = Turn(run, selection=selection)
        return
    ctx.new_thread = NewThread(thread_id, "ad_assistant", kept, None, user.id)
    ctx.turn = Turn(_assistant_run(ctx, thread_id, text))


def _assistant_run(ctx: RequestContext, thread_id: str, text: str) -> RunRequest:
    message = {"role": "user", "content": text, "id": ctx.message_id}
    return RunRequest(
        thread_id=thread_id,
        user_id=ctx.user.id,
        kind="start",
        payload={"messages": [message]},
        graph="ad_assistant",
    )


async def _add_message(
    services: Services, ctx: RequestContext, req: ThreadsAddUserMessageReq
) -> None:
    thread = _thread(services, ctx.user, req.params.thread_id)
    text = text_of(req.params.input)
    multitask = options_of(req.metadata).multitask
    if ctx.idempotency_key is not None:
        ctx.message_id = keyed_id("msg", ctx.user.id, f"chatkit:{thread.id}", ctx.idempotency_key)
        ctx.request_hash = request_hash({"text": text})
        found = await replayed(
            services.store,
            user_message_event_id(thread.id, ctx.message_id),
            ctx.request_hash,
            thread_id=thread.id,
        )
        if found is not None:
            ctx.replay = (found.seq, str(found.data.get("runId")))
            return
    free = _free(ctx, services, thread.id, multitask)
    if thread.graph != "ad_workflow":
        ctx.turn = Turn(_assistant_run(ctx, thread.id, text), multitask)
        return
    session = session_of(services, ctx.user, thread.id)
    run = RunRequest(
        thread_id=thread.id,
        user_id=ctx.user.id,
        kind="start",
        product_name=session["product"]["name"],
        graph="ad_workflow",
    )
    selection = await _resolved(services, session, text, run, free)
    ctx.turn = Turn(run, multitask, selection=selection)


async def _choose(services: Services, ctx: RequestContext, req: ThreadsCustomActionReq) -> None:
    params = req.params
    thread = _thread(services, ctx.user, params.thread_id)
    if params.item_id is not None:
        item = thread.item(params.item_id)
        if item is None:
            raise not_found("item", params.item_id)
        if item["type"] != "widget":
            raise invalid(f"item {params.item_id!r} is not a widget")
    if params.action.type != CHOOSE_ACTION:
        raise invalid(f"unknown action {params.action.type!r}; this server handles {CHOOSE_ACTION}")
    payload = params.action.payload
    if not isinstance(payload, dict) or not all(
        isinstance(payload.get(k), str) for k in ("interruptId", "optionId")
    ):
        raise invalid(f"{CHOOSE_ACTION} needs a payload {{interruptId, optionId}}")
    _free(ctx, services, thread.id, "reject")
    ctx.turn = await _answer(
        services, ctx, thread, payload["interruptId"], payload["optionId"], None
    )


async def _structured(
    services: Services, ctx: RequestContext, req: ThreadsAddStructuredInputReq
) -> None:
    params = req.params
    thread = _thread(services, ctx.user, params.thread_id)
    item = thread.item(params.item_id)
    if item is None:
        raise not_found("item", params.item_id)
    if item["type"] != "structured_input":
        raise invalid(f"item {params.item_id!r} is not a structured_input item")
    if item.get("status") != "pending" or thread.choice is None:
        raise conflict("choice_not_pending", "this question was already answered")
    if thread.choice.item_id != params.item_id:
        raise conflict("choice_not_pending", "this question is no longer the pending one")
    answer = params.input.answers.get(thread.choice.interrupt_id)
    values = [v for v in (answer.values if answer else []) if v.strip()]
    if params.input.status == "skipped" or not values or (answer is not None and answer.skipped):
        raise invalid("this choice cannot be skipped: pick an option or type what you want")
    _free(ctx, services, thread.id, "reject")
    ctx.turn = await _answer(services, ctx, thread, thread.choice.interrupt_id, None, values[0])


async def _answer(
    services: Services,
    ctx: RequestContext,
    thread: ThreadView,
    interrupt_id: str,
    option_id: str | None,
    text: str | None,
) -> Turn:
    if thread.graph != "ad_workflow":
        raise invalid("this thread has no workflow choices")
    answer = await answer_choice(
        services,
        ctx.user,
        thread.id,
        interrupt_id,
        message_id=ctx.message_id,
        option_id=option_id,
        text=text,
        source="chatkit",
    )
    return Turn(answer.run, message=answer.message, selection=answer.selection)


async def _tool_output(
    services: Services, ctx: RequestContext, req: ThreadsAddClientToolOutputReq
) -> None:
    thread = _thread(services, ctx.user, req.params.thread_id)
    newest = thread.items[-1] if thread.items else None
    if newest is None or newest["type"] != "client_tool_call" or newest["status"] != "pending":
        raise conflict("no_pending_client_tool_call", "no client tool call waits for output")


async def _retry(services: Services, ctx: RequestContext, req: ThreadsRetryAfterItemReq) -> None:
    thread = _thread(services, ctx.user, req.params.thread_id)
    item = thread.item(req.params.item_id)
    if item is None:
        raise not_found("item", req.params.item_id)
    if item["type"] != "user_message":
        raise invalid(f"item {req.params.item_id!r} is not a user message")
    _free(ctx, services, thread.id, "reject")
    run = await retry_from(services, ctx.user, thread.id, thread.graph, req.params.item_id)
    ctx.turn = Turn(run)


def _limit(limit: int | None) -> None:
    if limit is not None and not 1 <= limit <= MAX_PAGE:
        raise invalid(f"limit must be between 1 and {MAX_PAGE}")


async def prepare(
    services: Services,
    user: User,
    body: bytes,
    base_url: str,
    *,
    idempotency_key: str | None = None,
) -> RequestContext:
    """Parse and check a ``POST /chatkit`` body; the context ``process()`` runs it with.

    Raises:
        ApiError: 4xx for a request that cannot succeed; nothing is recorded then.
    """
    request = parse(body)
    ctx = RequestContext(
        user=user, base_url=base_url.rstrip("/"), request=request, idempotency_key=idempotency_key
    )
    try:
        await _check(services, user, ctx, request)
    except BaseException:
        if ctx.reservation is not None:  # refused after holding the thread: nothing recorded
            services.runs.release(ctx.reservation)
        raise
    return ctx


async def _check(services: Services, user: User, ctx: RequestContext, request: Any) -> None:
    if isinstance(request, _NOT_OFFERED):
        raise ApiError(400, "not_supported", f"{request.type} is not supported by this server")
    match request:
        case ThreadsCreateReq():
            await _create(services, ctx, request)
        case ThreadsAddUserMessageReq():
            await _add_message(services, ctx, request)
        case ThreadsCustomActionReq() | ThreadsSyncCustomActionReq():
            await _choose(services, ctx, request)  # type: ignore[arg-type]  # same params
        case ThreadsAddStructuredInputReq():
            await _structured(services, ctx, request)
        case ThreadsAddClientToolOutputReq():
            await _tool_output(services, ctx, request)
        case ThreadsRetryAfterItemReq():
            await _retry(services, ctx, request)
        case ThreadsListReq():
            _limit(request.params.limit)
        case ItemsListReq():
            _limit(request.params.limit)
            _thread(services, user, request.params.thread_id)
        case ThreadsUpdateReq():
            _thread(services, user, request.params.thread_id)
            if len(request.params.title) > 200:
                raise invalid("a title has at most 200 characters")
        case ThreadsGetByIdReq() | ThreadsDeleteReq() | ItemsFeedbackReq():
            _thread(services, user, request.params.thread_id)
